package com.nexflux.integrations.providers.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses HTTP's {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
public final class RetryAfter {
  /** The shortest wait handed out: one second (a zero or past wait would invite a tight retry loop). */
  public static final Duration MINIMUM = Duration.ofSeconds(1);
  /** The longest wait accepted from a header: one day (anything longer is treated as one day). */
  public static final Duration MAXIMUM = Duration.ofDays(1);

  private RetryAfter() {}

  /**
   * @param header the header's value, or {@code null}
   * @param clock the clock an HTTP-date is compared with
   * @return the wait, clamped to [{@link #MINIMUM}, {@link #MAXIMUM}]; empty when the header is absent or unreadable
   */
  public static Optional<Duration> parse(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      if (value.length() > 9) {
        return Optional.of(MAXIMUM);
      }
      return Optional.of(clamp(Duration.ofSeconds(Long.parseLong(value))));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(clamp(Duration.between(clock.instant(), at)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** @return {@code wait} clamped to [{@link #MINIMUM}, {@link #MAXIMUM}] */
  public static Duration clamp(Duration wait) {
    if (wait.compareTo(MINIMUM) < 0) {
      return MINIMUM;
    }
    return wait.compareTo(MAXIMUM) > 0 ? MAXIMUM : wait;
  }
}
