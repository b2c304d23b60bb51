package com.nexflux.integrations.core.error;

import java.time.Duration;

/** The caller, or an outside service, asked for too much too fast; retry after {@link #retryAfter()}. */
public final class RateLimitedException extends IntegrationsException {
  private static final long serialVersionUID = 1L;
  private final Duration retryAfter;

  public RateLimitedException(String message, Duration retryAfter) {
    super("RATE_LIMITED", message);
    this.retryAfter = retryAfter;
  }

  /** @return how long to wait before trying again (at least one second) */
  public Duration retryAfter() {
    return retryAfter;
  }
}
