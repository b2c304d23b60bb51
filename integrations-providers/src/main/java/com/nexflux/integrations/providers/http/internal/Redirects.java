package com.nexflux.integrations.providers.http.internal;

import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The pure rules of following one redirect (no I/O), used by {@link RedirectInterceptor}. */
public final class Redirects {
  private Redirects() {}

  /**
   * @return where {@code response} redirects to: for 301, 302, 303, 307 and 308 with a {@code Location} that
   *     resolves against the request's URL to an http(s) URL; {@code null} for anything else (a 308 without
   *     {@code Location}, as in Google's resumable uploads, is an answer, not a redirect)
   */
  public static HttpUrl target(Response response) {
    int code = response.code();
    if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
      return null;
    }
    String location = response.header("Location");
    if (location == null || location.isBlank()) {
      return null;
    }
    return response.request().url().resolve(location.trim());
  }

  /** @return whether following from {@code from} to {@code target} would leave https for plain http */
  public static boolean downgrades(HttpUrl from, HttpUrl target) {
    return from.isHttps() && !target.isHttps();
  }

  /** @return whether {@code a} and {@code b} have the same scheme, host and port */
  public static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  /**
   * The request to send to {@code target} after {@code code}: 303 turns anything but HEAD into a body-less GET,
   * 301 and 302 turn POST into GET (what browsers do), 307 and 308 keep the method and body. When the origin
   * changes, {@code Authorization}, {@code Proxy-Authorization} and {@code Cookie} are dropped.
   *
   * @return the next request, or {@code null} when it would have to send a one-shot body again
   */
  public static Request follow(Request request, int code, HttpUrl target) {
    String method = request.method();
    boolean toGet = code == 303 ? !"HEAD".equals(method) : (code == 301 || code == 302) && "POST".equals(method);
    Request.Builder next = request.newBuilder().url(target);
    if (toGet) {
      next.method("GET", null)
          .removeHeader("Content-Type")
          .removeHeader("Content-Length")
          .removeHeader("Transfer-Encoding");
    } else {
      RequestBody body = request.body();
      if (body != null && body.isOneShot()) {
        return null;
      }
    }
    if (!sameOrigin(request.url(), target)) {
      next.removeHeader("Authorization").removeHeader("Proxy-Authorization").removeHeader("Cookie");
    }
    return next.build();
  }
}
