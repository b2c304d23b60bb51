package com.nexflux.integrations.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link Clock} that stands still until a test moves it. Thread-safe. */
public final class MutableClock extends Clock {
  /** The instant a clock made with {@link #MutableClock()} starts at. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-15T10:00:00Z");

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** Starts at {@link #DEFAULT_START}, UTC. */
  public MutableClock() {
    this(DEFAULT_START);
  }

  /** Starts at {@code start}, UTC. */
  public MutableClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Moves the clock forward (or back, for a negative duration); returns the new instant. */
  public Instant advance(Duration by) {
    return now.updateAndGet(i -> i.plus(by));
  }

  /** Sets the clock. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** @return a clock in another zone that shares (and moves with) this one's time */
  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, zone);
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
