package com.nexflux.integrations.providers.http;

/**
 * A request tag that turns redirect following off for one request of a guarded client: the redirect answer is
 * returned to the caller as it is. For requests that must never be sent twice or elsewhere, such as an OAuth token
 * request carrying a single-use code and the client secret:
 * {@code new Request.Builder().url(url).tag(NoRedirects.class, NoRedirects.INSTANCE)}.
 */
public final class NoRedirects {
  /** The tag. */
  public static final NoRedirects INSTANCE = new NoRedirects();

  private NoRedirects() {}

  @Override
  public String toString() {
    return "NoRedirects";
  }
}
