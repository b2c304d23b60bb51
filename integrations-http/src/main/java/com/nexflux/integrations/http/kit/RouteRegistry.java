package com.nexflux.integrations.http.kit;

import io.javalin.http.Handler;

/**
 * Where a {@link RouteModule} declares its routes. Each handler is wrapped so that an unexpected exception is answered
 * in the envelope as {@code INTERNAL}; paths must start with {@code /api/v1/users/me/}, {@code /api/v1/auth/} or
 * {@code /internal/v1/} (anything else is refused with {@link IllegalArgumentException}).
 */
public interface RouteRegistry {
  void get(String path, Handler handler);

  void put(String path, Handler handler);

  void post(String path, Handler handler);

  void delete(String path, Handler handler);

  /**
   * A {@code POST} that takes a large body (a file upload): its declared body may be up to {@code maxBodyBytes}
   * instead of the shared 64 KiB, and the handler reads (and bounds) the body itself, streaming. Every other route
   * keeps the shared limit.
   *
   * @param maxBodyBytes the largest declared {@code Content-Length} let through to the handler, above 64 KiB
   */
  void upload(String path, long maxBodyBytes, Handler handler);
}
