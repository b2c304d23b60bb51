package com.nexflux.integrations.providers.testing;

import java.time.Duration;

/** Counts the HiveMQ MQTT client's Netty threads ({@code com.hivemq.client*}), to find clients left open. */
public final class HiveMqClientThreads {
  /** The name prefix of the client's threads. */
  public static final String PREFIX = "com.hivemq.client";

  private HiveMqClientThreads() {}

  /** @return how many live threads have a name starting with {@value #PREFIX} */
  public static long count() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith(PREFIX))
        .count();
  }

  /**
   * Polls until no such thread is left.
   *
   * @return the count at the end: 0 unless {@code timeout} passed first
   */
  public static long awaitNone(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    long count = count();
    while (count > 0 && System.nanoTime() < end) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      count = count();
    }
    return count;
  }
}
