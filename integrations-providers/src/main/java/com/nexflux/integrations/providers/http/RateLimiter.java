package com.nexflux.integrations.providers.http;

import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.providers.internal.RetryAfter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per {@link RateLimitKey}, all with the same {@link RateLimit}. {@link #acquire} takes one
 * permit for a request: at once while the bucket has one, otherwise after waiting for it, and not at all (a
 * {@link RateLimitedException}) when the wait would be longer than {@link RateLimit#maxWait()}.
 *
 * <p>A waiting request reserves its permit before it sleeps, so concurrent requests for one key are spaced one
 * interval apart instead of all waking at once. Time and sleeping are injectable so that tests need no real
 * waiting. A bucket that has filled up again is forgotten once more than {@value #MAX_KEYS} keys are known.
 * Thread-safe; one instance serves every connection of one provider.
 */
public final class RateLimiter {
  /** How many keys are kept before full (idle) buckets are dropped. */
  public static final int MAX_KEYS = 10_000;

  /** Waits. {@link #SYSTEM} sleeps the calling thread. */
  @FunctionalInterface
  public interface Sleeper {
    /** {@link Thread#sleep}. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    /**
     * @param duration how long to wait (positive)
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
  }

  private static final class Bucket {
    double permits;
    long updatedNanos;

    Bucket(double permits, long now) {
      this.permits = permits;
      this.updatedNanos = now;
    }
  }

  private final RateLimit limit;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final double permitsPerNano;
  private final Map<RateLimitKey, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param limit the rate, burst and longest wait
   * @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime} in production)
   * @param sleeper how to wait ({@link Sleeper#SYSTEM} in production)
   */
  public RateLimiter(RateLimit limit, LongSupplier nanoTime, Sleeper sleeper) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.permitsPerNano = limit.permitsPerSecond() / 1_000_000_000d;
  }

  /** @return a limiter on the system's monotonic clock that sleeps the calling thread */
  public static RateLimiter create(RateLimit limit) {
    return new RateLimiter(limit, System::nanoTime, Sleeper.SYSTEM);
  }

  /** @return the limit every bucket follows */
  public RateLimit limit() {
    return limit;
  }

  /**
   * Takes one permit from {@code key}'s bucket, waiting for it when needed.
   *
   * @return how long this call waited ({@link Duration#ZERO} when a permit was there)
   * @throws RateLimitedException when the wait would exceed {@link RateLimit#maxWait()}; nothing is taken then, and
   *     {@link RateLimitedException#retryAfter()} says when a permit will be there (at least one second)
   * @throws InterruptedException when interrupted while waiting (the reserved permit is not given back)
   */
  public Duration acquire(RateLimitKey key) throws InterruptedException {
    Objects.requireNonNull(key, "key");
    long waitNanos = reserve(key);
    if (waitNanos <= 0) {
      return Duration.ZERO;
    }
    Duration wait = Duration.ofNanos(waitNanos);
    sleeper.sleep(wait);
    return wait;
  }

  private long reserve(RateLimitKey key) {
    long now = nanoTime.getAsLong();
    if (buckets.size() >= MAX_KEYS) {
      forgetFullBuckets(now);
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), now));
    synchronized (bucket) {
      refill(bucket, now);
      if (bucket.permits >= 1) {
        bucket.permits -= 1;
        return 0;
      }
      long waitNanos = (long) Math.ceil((1 - bucket.permits) / permitsPerNano);
      if (waitNanos > limit.maxWait().toNanos()) {
        throw new RateLimitedException("The outbound rate limit for this connection (" + rate()
            + ") is used up; not sending the request", RetryAfter.clamp(Duration.ofNanos(waitNanos)));
      }
      bucket.permits -= 1; // a reservation: the next caller waits one interval longer
      return waitNanos;
    }
  }

  private void refill(Bucket bucket, long now) {
    long elapsed = now - bucket.updatedNanos;
    if (elapsed > 0) {
      bucket.permits = Math.min(limit.burst(), bucket.permits + elapsed * permitsPerNano);
      bucket.updatedNanos = now;
    }
  }

  private void forgetFullBuckets(long now) {
    buckets.values().removeIf(b -> {
      synchronized (b) {
        refill(b, now);
        return b.permits >= limit.burst();
      }
    });
  }

  private String rate() {
    double r = limit.permitsPerSecond();
    String n = r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    return n + (r == 1 ? " request" : " requests") + " per second";
  }
}
