package com.nexflux.integrations.http.internal;

import io.javalin.http.Context;

/**
 * Decides whether the browser talks to us over HTTPS, which makes the OAuth flow cookie {@code Secure} with a
 * {@code __Host-} name.
 *
 * <ol>
 *   <li>{@code publicBaseUrlIsHttps}: always secure (the public URL is HTTPS, whatever the last hop to us);</li>
 *   <li>else {@code trustForwardedProto}: secure when the first {@code X-Forwarded-Proto} value is {@code https}
 *       (only safe behind a proxy that sets it); without the header, as 3;</li>
 *   <li>else the request itself: secure when Jetty saw TLS ({@code isSecure()}, which a host's
 *       {@code ForwardedRequestCustomizer} may also set).</li>
 * </ol>
 *
 * @param publicBaseUrlIsHttps the public base URL is HTTPS
 * @param trustForwardedProto believe {@code X-Forwarded-Proto}
 */
public record CookieSecurity(boolean publicBaseUrlIsHttps, boolean trustForwardedProto) {

  /** @return whether this request's flow cookie is {@code Secure} with a {@code __Host-} name */
  public boolean secure(Context ctx) {
    if (publicBaseUrlIsHttps) {
      return true;
    }
    if (trustForwardedProto) {
      String proto = ctx.header("X-Forwarded-Proto");
      if (proto != null && !proto.isBlank()) {
        return proto.split(",", 2)[0].strip().equalsIgnoreCase("https");
      }
    }
    return ctx.req().isSecure();
  }
}
