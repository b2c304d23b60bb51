package com.nexflux.integrations.providers.http;

import java.time.Duration;
import java.util.Objects;

/**
 * A provider's request rate limit as a token bucket: {@code burst} requests may go at once, then one every
 * {@code 1 / permitsPerSecond} seconds. A request that would have to wait longer than {@code maxWait} is not sent;
 * it fails with {@link com.nexflux.integrations.core.error.RateLimitedException} instead.
 *
 * @param permitsPerSecond the sustained rate (for Arduino Cloud's free tier: 1)
 * @param burst how many requests may go back to back after a quiet period (at least 1)
 * @param maxWait the longest a request waits for its turn ({@link Duration#ZERO}: never wait, fail at once); it
 *     must be shorter than the client's call timeout
 */
public record RateLimit(double permitsPerSecond, int burst, Duration maxWait) {
  /**
   * @throws IllegalArgumentException when the rate is not a positive number of at most one million, the burst is
   *     under 1, or the wait is negative or over {@link Timeouts#MAXIMUM}
   */
  public RateLimit {
    if (!(permitsPerSecond > 0) || permitsPerSecond > 1_000_000 || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException("permitsPerSecond must be a positive number of at most one million");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1");
    }
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative() || maxWait.compareTo(Timeouts.MAXIMUM) > 0) {
      throw new IllegalArgumentException("maxWait must be between 0 and " + Timeouts.MAXIMUM.toMinutes()
          + " minutes");
    }
  }

  /** Shorthand for {@code new RateLimit(permitsPerSecond, burst, maxWait)}. */
  public static RateLimit perSecond(double permitsPerSecond, int burst, Duration maxWait) {
    return new RateLimit(permitsPerSecond, burst, maxWait);
  }

  /** @return the time one permit takes to come back */
  public Duration interval() {
    return Duration.ofNanos(Math.max(1, Math.round(1_000_000_000d / permitsPerSecond)));
  }
}
