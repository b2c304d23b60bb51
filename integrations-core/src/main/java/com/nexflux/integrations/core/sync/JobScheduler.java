package com.nexflux.integrations.core.sync;

import java.time.Instant;

/**
 * Runs background work on any instance, each execution exactly once, surviving restarts (SPI). Tasks are named;
 * the composition root registers what each task name runs.
 */
public interface JobScheduler {
  /** The task that runs one sync job of any provider; the instance id is the job id. */
  String SYNC_TASK = "sync";
  /** The debounced auto-sync of any provider; the instance id is the target's debounce key (a UUID). */
  String AUTO_SYNC_TASK = "auto-sync";

  /** Schedules {@code task}/{@code instanceId} at {@code at} unless it is already scheduled. */
  void schedule(String task, String instanceId, Instant at);

  /** Schedules it, or moves an already scheduled (not yet running) execution to {@code at} (debounce). */
  void scheduleOrPostpone(String task, String instanceId, Instant at);
}
