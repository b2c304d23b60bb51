package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.RateLimitedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding-window limit per user: at most {@code limit} acquisitions in any {@code window}. Kept in memory,
 * per server instance.
 */
public final class TestRateLimiter {
  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<UserId, Deque<Long>> hits = new ConcurrentHashMap<>();

  public TestRateLimiter(int limit, Duration window, Clock clock) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Takes one slot.
   *
   * @throws RateLimitedException when the user has used every slot of the window
   */
  public void acquire(UserId userId) {
    long now = clock.millis();
    long[] retryAfterMs = {0};
    hits.compute(userId, (id, q) -> {
      Deque<Long> queue = q == null ? new ArrayDeque<>() : q;
      while (!queue.isEmpty() && queue.peekFirst() <= now - window.toMillis()) {
        queue.pollFirst();
      }
      if (queue.size() >= limit) {
        retryAfterMs[0] = queue.peekFirst() + window.toMillis() - now;
      } else {
        queue.addLast(now);
      }
      return queue;
    });
    if (retryAfterMs[0] > 0) {
      long seconds = Math.max(1, (retryAfterMs[0] + 999) / 1000);
      throw new RateLimitedException("Too many connection tests; try again in " + seconds + " s",
          Duration.ofSeconds(seconds));
    }
  }
}
