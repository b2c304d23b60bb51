package com.nexflux.integrations.core.domain;

/**
 * Who asked and from where, for the audit log.
 *
 * @param requestId the request's id (also sent back as {@code X-Request-Id})
 * @param ip the client address as the server saw it, or {@code null}
 * @param userAgent the client's user agent, or {@code null}
 */
public record RequestContext(String requestId, String ip, String userAgent) {
  /** A context for calls that do not come from an HTTP request (library use, background jobs). */
  public static RequestContext internal(String requestId) {
    return new RequestContext(requestId, null, null);
  }
}
