package com.nexflux.integrations.providers.testing;

import java.time.Duration;

/** The fakes' added latency: a real sleep in the request handler, before the request is read. */
final class FakeLatency {
  private FakeLatency() {}

  /** Sleeps {@code value} (nothing when zero); an interrupt ends the sleep early and is kept. */
  static void sleep(Duration value) {
    if (value.isZero()) {
      return;
    }
    try {
      Thread.sleep(value.toMillis(), (int) (value.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return {@code value}, checked */
  static Duration check(Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or positive");
    }
    return value;
  }
}
