package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.sync.JobScheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link JobScheduler} that runs nothing: it records every call ({@link #calls()}) and keeps the executions that
 * are waiting ({@link #scheduledAt}) with the port's semantics: {@code schedule} leaves a waiting execution alone,
 * {@code scheduleOrPostpone} moves it. A test "runs" an execution with {@link #take}, which removes it (as a real
 * scheduler does once an execution is picked, so it may then schedule its own instance id again). Thread-safe.
 */
public final class RecordingScheduler implements JobScheduler {
  /** Which method was called. */
  public enum Kind { SCHEDULE, SCHEDULE_OR_POSTPONE }

  /** One call. */
  public record Call(Kind kind, String task, String instanceId, Instant at) {}

  private record Key(String task, String instanceId) {}

  private final List<Call> calls = new ArrayList<>();
  private final Map<Key, Instant> waiting = new LinkedHashMap<>();

  /** Nothing scheduled. */
  public RecordingScheduler() {}

  @Override
  public synchronized void schedule(String task, String instanceId, Instant at) {
    record(Kind.SCHEDULE, task, instanceId, at);
    waiting.putIfAbsent(new Key(task, instanceId), at);
  }

  @Override
  public synchronized void scheduleOrPostpone(String task, String instanceId, Instant at) {
    record(Kind.SCHEDULE_OR_POSTPONE, task, instanceId, at);
    waiting.put(new Key(task, instanceId), at);
  }

  /** @return every call, in order */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** @return the calls for one task */
  public synchronized List<Call> calls(String task) {
    return calls.stream().filter(c -> c.task().equals(task)).toList();
  }

  /** @return when the waiting execution will run, or empty when none waits */
  public synchronized Optional<Instant> scheduledAt(String task, String instanceId) {
    return Optional.ofNullable(waiting.get(new Key(task, instanceId)));
  }

  /** @return how many executions wait */
  public synchronized int waiting() {
    return waiting.size();
  }

  /** Picks the execution (as the scheduler does when it starts it). @return whether one was waiting */
  public synchronized boolean take(String task, String instanceId) {
    return waiting.remove(new Key(task, instanceId)) != null;
  }

  /** Forgets calls and waiting executions. */
  public synchronized void clear() {
    calls.clear();
    waiting.clear();
  }

  private void record(Kind kind, String task, String instanceId, Instant at) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(at, "at");
    calls.add(new Call(kind, task, instanceId, at));
  }
}
