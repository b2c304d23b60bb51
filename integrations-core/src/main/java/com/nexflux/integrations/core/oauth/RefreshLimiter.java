package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.error.UnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Caps how many token renewals run at once in this process. A renewal holds a pooled database connection (the row
 * lock's transaction) while it waits on the provider, so without a cap a slow provider could take every connection
 * of the pool and starve the API. A permit is taken <em>before</em> the connection: callers that cannot get one
 * within {@code maxWait} hold nothing and fail with {@link UnavailableException} ({@code UNAVAILABLE}, HTTP 503);
 * the background sweeper does not wait at all. Keep {@code permits} well below the database pool size.
 */
public final class RefreshLimiter {
  /** The default number of renewals at once. */
  public static final int DEFAULT_PERMITS = 4;
  /** The default wait for a permit. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);

  private final Semaphore permits;
  private final int size;
  private final Duration maxWait;

  /**
   * @param permits renewals at once, 1-1000
   * @param maxWait how long an on-demand caller waits for a permit (zero: not at all)
   */
  public RefreshLimiter(int permits, Duration maxWait) {
    if (permits < 1 || permits > 1000) {
      throw new IllegalArgumentException("permits must be between 1 and 1000");
    }
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative");
    }
    this.permits = new Semaphore(permits, true);
    this.size = permits;
    this.maxWait = maxWait;
  }

  /** @return a limiter with {@link #DEFAULT_PERMITS} and {@link #DEFAULT_MAX_WAIT} */
  public static RefreshLimiter defaults() {
    return new RefreshLimiter(DEFAULT_PERMITS, DEFAULT_MAX_WAIT);
  }

  /**
   * Runs {@code work} holding a permit, waiting up to the bound for one.
   *
   * @throws UnavailableException when no permit came within the bound (or the thread was interrupted)
   */
  public <T> T call(Supplier<T> work) {
    boolean acquired;
    try {
      acquired = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("Interrupted while waiting to renew a token", e);
    }
    if (!acquired) {
      throw new UnavailableException("Too many token renewals are waiting on providers; try again shortly", null);
    }
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }

  /** Runs {@code work} when a permit is free at once: @return whether it ran */
  public boolean tryRun(Runnable work) {
    if (!permits.tryAcquire()) {
      return false;
    }
    try {
      work.run();
      return true;
    } finally {
      permits.release();
    }
  }

  /** @return the number of permits */
  public int permits() {
    return size;
  }

  /** @return permits free right now (for metrics and tests) */
  public int available() {
    return permits.availablePermits();
  }

  /** @return the longest wait for a permit */
  public Duration maxWait() {
    return maxWait;
  }
}
