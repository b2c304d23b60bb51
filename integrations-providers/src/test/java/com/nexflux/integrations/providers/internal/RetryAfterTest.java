package com.nexflux.integrations.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private final MutableClock clock = new MutableClock(); // 2026-01-15T10:00:00Z

  @Test
  void secondsAndHttpDates() {
    assertThat(RetryAfter.parse("8", clock)).contains(Duration.ofSeconds(8));
    assertThat(RetryAfter.parse(" 120 ", clock)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Thu, 15 Jan 2026 10:01:30 GMT", clock)).contains(Duration.ofSeconds(90));
  }

  @Test
  void clampedToOneSecondAndOneDay() {
    assertThat(RetryAfter.parse("0", clock)).contains(Duration.ofSeconds(1));
    assertThat(RetryAfter.parse("Thu, 15 Jan 2026 09:00:00 GMT", clock)).contains(Duration.ofSeconds(1));
    assertThat(RetryAfter.parse("99999999999999", clock)).contains(Duration.ofDays(1));
  }

  @Test
  void absentOrUnreadable() {
    assertThat(RetryAfter.parse(null, clock)).isEmpty();
    assertThat(RetryAfter.parse("", clock)).isEmpty();
    assertThat(RetryAfter.parse("soon", clock)).isEmpty();
    assertThat(RetryAfter.parse("-5", clock)).isEmpty();
  }

  @Test
  void safeText() {
    assertThat(SafeText.code("bad_verification_code")).isEqualTo("bad_verification_code");
    assertThat(SafeText.code("has space")).isEqualTo("unknown");
    assertThat(SafeText.code(null)).isEqualTo("unknown");
    assertThat(SafeText.line("a\n\tb\u0000  c", 100)).isEqualTo("a b c");
    assertThat(SafeText.line("abcdef", 3)).isEqualTo("abc…");
  }
}
