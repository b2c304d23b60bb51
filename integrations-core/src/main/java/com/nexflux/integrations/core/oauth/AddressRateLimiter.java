package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.error.RateLimitedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding-window limit per client address: at most {@code limit} acquisitions in any {@code window}. In memory,
 * per server instance; addresses whose window emptied are dropped when the table grows, so it stays bounded by the
 * addresses active within one window.
 */
public final class AddressRateLimiter {
  private static final int SWEEP_ABOVE = 10_000;

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Long>> hits = new ConcurrentHashMap<>();

  /** @param limit at least 1 */
  public AddressRateLimiter(int limit, Duration window, Clock clock) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    this.limit = limit;
    this.window = Objects.requireNonNull(window, "window");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Takes one slot for {@code address} ({@code null} counts as one shared "unknown" address).
   *
   * @throws RateLimitedException when the address used every slot of the window
   */
  public void acquire(String address, String what) {
    long now = clock.millis();
    long windowMs = window.toMillis();
    long[] retryAfterMs = {0};
    if (hits.size() > SWEEP_ABOVE) {
      hits.entrySet().removeIf(e -> {
        synchronized (e.getValue()) {
          Long last = e.getValue().peekLast();
          return last == null || last <= now - windowMs;
        }
      });
    }
    hits.compute(address == null ? "-" : address, (k, q) -> {
      Deque<Long> queue = q == null ? new ArrayDeque<>() : q;
      synchronized (queue) {
        while (!queue.isEmpty() && queue.peekFirst() <= now - windowMs) {
          queue.pollFirst();
        }
        if (queue.size() >= limit) {
          retryAfterMs[0] = queue.peekFirst() + windowMs - now;
        } else {
          queue.addLast(now);
        }
      }
      return queue;
    });
    if (retryAfterMs[0] > 0) {
      long seconds = Math.max(1, (retryAfterMs[0] + 999) / 1000);
      throw new RateLimitedException("Too many " + what + " from this address; try again in " + seconds + " s",
          Duration.ofSeconds(seconds));
    }
  }
}
