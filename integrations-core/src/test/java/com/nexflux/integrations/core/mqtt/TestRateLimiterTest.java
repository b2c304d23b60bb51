package com.nexflux.integrations.core.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.testing.MutableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TestRateLimiterTest {
  final MutableClock clock = new MutableClock();
  final TestRateLimiter limiter = new TestRateLimiter(10, Duration.ofMinutes(1), clock);
  final UserId alice = new UserId(UUID.randomUUID());
  final UserId bob = new UserId(UUID.randomUUID());

  void acquire(UserId user, int times) {
    for (int i = 0; i < times; i++) {
      limiter.acquire(user);
    }
  }

  @Test
  void allows_the_limit_and_refuses_one_more() {
    acquire(alice, 10);

    var e = catchThrowableOfType(() -> limiter.acquire(alice), RateLimitedException.class);

    assertThat(e).isNotNull();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(e.getMessage()).contains("60 s");
  }

  @Test
  void retry_after_is_the_time_until_the_oldest_slot_frees_rounded_up_to_whole_seconds() {
    limiter.acquire(alice);
    clock.advance(Duration.ofMillis(20_500));
    acquire(alice, 9);

    var e = catchThrowableOfType(() -> limiter.acquire(alice), RateLimitedException.class);

    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(40)); // 39.5 s rounded up
  }

  @Test
  void retry_after_is_at_least_one_second() {
    acquire(alice, 10);
    clock.advance(Duration.ofMillis(59_999));

    var e = catchThrowableOfType(() -> limiter.acquire(alice), RateLimitedException.class);

    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void a_refused_attempt_does_not_use_a_slot() {
    acquire(alice, 10);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> limiter.acquire(alice)).isInstanceOf(RateLimitedException.class);
    }
    clock.advance(Duration.ofSeconds(60));
    assertThatCode(() -> acquire(alice, 10)).doesNotThrowAnyException();
  }

  @Test
  void the_window_slides() {
    limiter.acquire(alice); // t = 0
    clock.advance(Duration.ofSeconds(30));
    acquire(alice, 9); // t = 30 s
    assertThatThrownBy(() -> limiter.acquire(alice)).isInstanceOf(RateLimitedException.class);

    clock.advance(Duration.ofSeconds(30)); // t = 60 s: the first slot is free again, the other nine are not
    limiter.acquire(alice);
    assertThatThrownBy(() -> limiter.acquire(alice)).isInstanceOf(RateLimitedException.class);

    clock.advance(Duration.ofSeconds(30)); // t = 90 s
    assertThatCode(() -> acquire(alice, 9)).doesNotThrowAnyException();
  }

  @Test
  void one_millisecond_before_the_window_ends_is_still_limited() {
    acquire(alice, 10);
    clock.advance(Duration.ofMillis(59_999));
    assertThatThrownBy(() -> limiter.acquire(alice)).isInstanceOf(RateLimitedException.class);
    clock.advance(Duration.ofMillis(1));
    assertThatCode(() -> limiter.acquire(alice)).doesNotThrowAnyException();
  }

  @Test
  void limits_are_per_user() {
    acquire(alice, 10);
    assertThatThrownBy(() -> limiter.acquire(alice)).isInstanceOf(RateLimitedException.class);
    assertThatCode(() -> acquire(bob, 10)).doesNotThrowAnyException();
    assertThatThrownBy(() -> limiter.acquire(bob)).isInstanceOf(RateLimitedException.class);
  }

  @Test
  void a_limit_below_one_is_refused() {
    assertThatThrownBy(() -> new TestRateLimiter(0, Duration.ofMinutes(1), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_limit_of_one_allows_one() {
    var one = new TestRateLimiter(1, Duration.ofSeconds(10), clock);
    one.acquire(alice);
    assertThatThrownBy(() -> one.acquire(alice)).isInstanceOf(RateLimitedException.class);
  }
}
