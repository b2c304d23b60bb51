package com.nexflux.integrations.providers.mqtt.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The probe's threads: one small daemon scheduler per probe instance, for timeouts only. */
public final class ProbeThreads {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private ProbeThreads() {}

  /**
   * @return a one-thread daemon scheduler ({@code nexflux-mqtt-probe-N}) that drops cancelled tasks and still
   *     runs already scheduled timeouts after {@code shutdown()}
   */
  public static ScheduledThreadPoolExecutor newScheduler() {
    int id = COUNTER.incrementAndGet();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "nexflux-mqtt-probe-" + id);
      t.setDaemon(true);
      return t;
    };
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, factory);
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(true);
    scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    return scheduler;
  }
}
