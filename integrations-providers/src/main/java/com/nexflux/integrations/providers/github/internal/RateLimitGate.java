package com.nexflux.integrations.providers.github.internal;

import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.providers.internal.RetryAfter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Headers;

/**
 * GitHub's rate limits, remembered per bucket (one per token, one for the OAuth app's own credentials), so that a
 * call made while a bucket is known to be exhausted fails fast with {@link RateLimitedException} instead of
 * reaching GitHub (GitHub may ban integrations that keep calling while limited).
 *
 * <p>What is learned from GitHub (per its REST documentation, "Rate limits for the REST API"):
 * <ul>
 *   <li>any response with {@code x-ratelimit-remaining: 0} and {@code x-ratelimit-reset}: the bucket is blocked
 *       until the reset instant;</li>
 *   <li>a 403/429 refusal: the wait is {@code Retry-After} when present, the time to {@code x-ratelimit-reset} when
 *       {@code x-ratelimit-remaining} is 0 (the longer of the two when both are there), else 60 s when the
 *       message names a secondary rate limit (or the old "abuse detection"), and 60 s for any 429; the bucket is
 *       blocked that long.</li>
 * </ul>
 * Waits are at least one second and at most a day. Buckets are keyed by a SHA-256 of the token, never the token.
 * Thread-safe.
 */
public final class RateLimitGate {
  /** The wait when GitHub signals a limit but says nothing about its length. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  private static final int MAX_BUCKETS = 10_000;

  private final Clock clock;
  private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();

  /** @param clock compared with {@code x-ratelimit-reset} */
  public RateLimitGate(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** @return the bucket of a token (a hash; the token is not kept) */
  public static String bucketOf(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return "token:" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Fails fast when the bucket is blocked.
   *
   * @throws RateLimitedException with the time left
   */
  public void check(String bucket) {
    Instant until = blockedUntil.get(bucket);
    if (until == null) {
      return;
    }
    Instant now = clock.instant();
    if (now.isBefore(until)) {
      throw new RateLimitedException("GitHub's rate limit for this account is used up; not calling GitHub until "
          + until, RetryAfter.clamp(Duration.between(now, until)));
    }
    blockedUntil.remove(bucket, until);
  }

  /** Learns from any response: blocks the bucket until the reset when {@code x-ratelimit-remaining} is 0. */
  public void observe(String bucket, Headers headers) {
    if (Long.valueOf(0).equals(number(headers.get("x-ratelimit-remaining")))) {
      Long reset = number(headers.get("x-ratelimit-reset"));
      if (reset != null) {
        Instant at = Instant.ofEpochSecond(reset);
        Instant now = clock.instant();
        if (at.isAfter(now)) {
          block(bucket, at.isAfter(now.plus(RetryAfter.MAXIMUM)) ? now.plus(RetryAfter.MAXIMUM) : at);
        }
      }
    }
  }

  /**
   * Decides whether a 403 or 429 is a rate limit and, when it is, blocks the bucket.
   *
   * @param status the HTTP status (only 403 and 429 can be rate limits)
   * @param headers the response's headers
   * @param message GitHub's {@code message}, or {@code ""}
   * @return the wait, or empty when the refusal is not about rate limits
   */
  public Optional<Duration> refused(String bucket, int status, Headers headers, String message) {
    if (status != 403 && status != 429) {
      return Optional.empty();
    }
    Optional<Duration> retryAfter = RetryAfter.parse(headers.get("Retry-After"), clock);
    Optional<Duration> untilReset = Optional.empty();
    if (Long.valueOf(0).equals(number(headers.get("x-ratelimit-remaining")))) {
      Long reset = number(headers.get("x-ratelimit-reset"));
      untilReset = Optional.of(reset == null ? DEFAULT_WAIT
          : RetryAfter.clamp(Duration.between(clock.instant(), Instant.ofEpochSecond(reset))));
    }
    Optional<Duration> wait;
    if (retryAfter.isPresent() && untilReset.isPresent()) {
      wait = Optional.of(retryAfter.get().compareTo(untilReset.get()) >= 0 ? retryAfter.get() : untilReset.get());
    } else if (retryAfter.isPresent()) {
      wait = retryAfter;
    } else if (untilReset.isPresent()) {
      wait = untilReset;
    } else {
      String lower = message.toLowerCase(Locale.ROOT);
      boolean secondary = lower.contains("secondary rate limit") || lower.contains("abuse detection");
      wait = secondary || status == 429 ? Optional.of(DEFAULT_WAIT) : Optional.empty();
    }
    wait.ifPresent(w -> block(bucket, clock.instant().plus(w)));
    return wait;
  }

  private void block(String bucket, Instant until) {
    if (blockedUntil.size() >= MAX_BUCKETS) {
      Instant now = clock.instant();
      blockedUntil.values().removeIf(u -> !u.isAfter(now));
    }
    blockedUntil.merge(bucket, until, (a, b) -> a.isAfter(b) ? a : b);
  }

  private static Long number(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
