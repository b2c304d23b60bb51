package com.nexflux.integrations.providers.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds on one outbound HTTP call. Every value is required, at least one millisecond (OkHttp reads 0 as "no
 * timeout", which is never wanted here) and at most {@link #MAXIMUM}.
 *
 * @param connect how long to wait for a TCP (and TLS) connection
 * @param read how long to wait for each read of the answer
 * @param write how long to wait for each write of the request
 * @param call the bound on the whole call: DNS, connecting, redirects, rate-limit waits, sending and reading
 */
public record Timeouts(Duration connect, Duration read, Duration write, Duration call) {
  /** The longest value accepted for any timeout: ten minutes. */
  public static final Duration MAXIMUM = Duration.ofMinutes(10);

  /** 5 s connect, 15 s read, 15 s write, 30 s for the whole call. */
  public static final Timeouts DEFAULT =
      new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(30));

  /** @throws IllegalArgumentException when a value is under one millisecond or over {@link #MAXIMUM} */
  public Timeouts {
    check(connect, "connect");
    check(read, "read");
    check(write, "write");
    check(call, "call");
  }

  /** @return these timeouts with another connect timeout */
  public Timeouts withConnect(Duration value) {
    return new Timeouts(value, read, write, call);
  }

  /** @return these timeouts with another read timeout */
  public Timeouts withRead(Duration value) {
    return new Timeouts(connect, value, write, call);
  }

  /** @return these timeouts with another write timeout */
  public Timeouts withWrite(Duration value) {
    return new Timeouts(connect, read, value, call);
  }

  /** @return these timeouts with another bound on the whole call */
  public Timeouts withCall(Duration value) {
    return new Timeouts(connect, read, write, value);
  }

  private static void check(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.toMillis() < 1) {
      throw new IllegalArgumentException(name + " timeout must be at least 1 ms");
    }
    if (value.compareTo(MAXIMUM) > 0) {
      throw new IllegalArgumentException(name + " timeout must be at most " + MAXIMUM.toMinutes() + " minutes");
    }
  }
}
