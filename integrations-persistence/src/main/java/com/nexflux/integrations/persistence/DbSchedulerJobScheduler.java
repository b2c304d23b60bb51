package com.nexflux.integrations.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.sync.JobScheduler;
import com.nexflux.integrations.persistence.internal.Db;
import com.nexflux.integrations.persistence.internal.Jsonb;
import com.nexflux.integrations.persistence.internal.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JobScheduler} on db-scheduler ({@code com.github.kagkarlsson:db-scheduler}) and its one table,
 * {@code scheduled_tasks} (created by migration V2): executions survive restarts, and every execution runs on exactly
 * one instance of the cluster (db-scheduler's {@code lock-and-fetch} polling, {@code SELECT ... FOR UPDATE SKIP
 * LOCKED}). An execution whose instance died is revived after db-scheduler's dead-execution limit (6 missed
 * heartbeats of 5 minutes), so delivery is at least once: handlers must be idempotent.
 *
 * <p><b>Tasks.</b> Each entry of {@code handlers} becomes a one-time task of that name; an execution calls the
 * handler with its instance id, which carries the key (a job id, {@code <user>:<repository>}). Task data is never
 * Java-serialized: this scheduler stores no data for its executions other than a small JSON follow-up marker (see
 * below), and db-scheduler is given a serializer that only handles text. A handler that throws is logged (exception
 * class and error code, never the message) and its execution counts as done: handlers retry by calling
 * {@link #schedule} themselves. {@link #recurring} adds a recurring task (a fixed delay after each run; one row, so
 * one execution at a time cluster-wide), such as the token-refresh sweeper.
 *
 * <p><b>Scheduling</b> is done with this class's own statements on {@code scheduled_tasks}, each atomic, so it
 * works before {@link #start()} and from any instance:
 *
 * <ul>
 *   <li>{@link #schedule}: inserts the execution unless one exists ({@code ON CONFLICT DO NOTHING}).</li>
 *   <li>{@link #scheduleOrPostpone}: moves a waiting execution to the new time, else inserts one.</li>
 *   <li>Either one, while the execution is <em>running</em>: records a follow-up on its row (its {@code task_data}),
 *       and when the running execution completes its row is rescheduled to the follow-up time instead of deleted
 *       (both under the row lock). So a handler that calls {@code schedule} for its own key (a retry), or a change
 *       that arrives while a debounced run is executing, gets one more run rather than being dropped.
 *       {@code schedule} keeps an existing follow-up, {@code scheduleOrPostpone} moves it.</li>
 * </ul>
 *
 * <p><b>Lifecycle.</b> Construct, add recurring tasks, {@link #start()}; {@link #close()} stops polling and waits up
 * to {@link #SHUTDOWN_MAX_WAIT} for running executions before interrupting them. No JVM shutdown hook is
 * registered: the application closes it.
 */
public final class DbSchedulerJobScheduler implements JobScheduler, AutoCloseable {
  /** The polling interval for production. */
  public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(5);
  /** How long {@link #close()} waits for running executions before interrupting them. */
  public static final Duration SHUTDOWN_MAX_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(DbSchedulerJobScheduler.class);
  private static final String FOLLOW_UP_AT = "follow_up_at";

  private static final String INSERT = """
      INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
      VALUES (:task, :instance, NULL, CAST(:at AS timestamptz), false, 1, :priority)
      ON CONFLICT (task_name, task_instance) DO NOTHING
      """;
  private static final String KEY = " WHERE task_name = :task AND task_instance = :instance";
  private static final String POSTPONE = "UPDATE scheduled_tasks SET execution_time = CAST(:at AS timestamptz), "
      + "version = version + 1" + KEY + " AND NOT picked";
  private static final String FOLLOW_UP = "UPDATE scheduled_tasks SET task_data = :data" + KEY + " AND picked";
  private static final String FOLLOW_UP_IF_NONE = FOLLOW_UP + " AND task_data IS NULL";
  private static final String EXISTS = "SELECT EXISTS (SELECT 1 FROM scheduled_tasks" + KEY + ")";
  private static final String LOCK_DONE = "SELECT task_data FROM scheduled_tasks" + KEY
      + " AND version = :version FOR UPDATE";
  private static final String DELETE_DONE = "DELETE FROM scheduled_tasks" + KEY + " AND version = :version";
  private static final String RESCHEDULE_DONE = """
      UPDATE scheduled_tasks
         SET picked = false, picked_by = NULL, last_heartbeat = NULL, task_data = NULL,
             execution_time = CAST(:at AS timestamptz), last_success = CAST(:now AS timestamptz),
             consecutive_failures = 0, version = version + 1
      """ + KEY + " AND version = :version";
  private static final int ATTEMPTS = 10;

  private final DataSource dataSource;
  private final Jdbi jdbi;
  private final Map<String, Consumer<String>> handlers;
  private final String instanceName;
  private final Duration pollingInterval;
  private final int threads;
  private final List<RecurringTask<Void>> recurringTasks = new ArrayList<>();
  private Scheduler scheduler;
  private boolean closed;

  /**
   * Configures a scheduler; {@link #start()} starts it.
   *
   * @param dataSource the database holding {@code scheduled_tasks} (a pool: db-scheduler takes a connection per
   *     statement)
   * @param handlers one-time task name to the handler of its executions (called with the instance id)
   * @param instanceName this instance's name, recorded as {@code picked_by} (at most 50 characters are kept)
   * @param pollingInterval how often to look for due executions (e.g. {@link #DEFAULT_POLLING_INTERVAL})
   * @param threads how many executions run at once on this instance
   */
  public DbSchedulerJobScheduler(DataSource dataSource, Map<String, Consumer<String>> handlers, String instanceName,
      Duration pollingInterval, int threads) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.jdbi = Db.jdbi(dataSource);
    this.handlers = new java.util.concurrent.ConcurrentHashMap<>();
    handlers.forEach(this::handle);
    this.instanceName = requireName(instanceName);
    this.pollingInterval = Objects.requireNonNull(pollingInterval, "pollingInterval");
    if (pollingInterval.isNegative() || pollingInterval.isZero()) {
      throw new IllegalArgumentException("pollingInterval must be positive");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.threads = threads;
  }

  /** Like the full constructor with {@link #DEFAULT_POLLING_INTERVAL} and 4 threads. */
  public DbSchedulerJobScheduler(DataSource dataSource, Map<String, Consumer<String>> handlers, String instanceName) {
    this(dataSource, handlers, instanceName, DEFAULT_POLLING_INTERVAL, 4);
  }

  private static String requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("names must not be blank");
    }
    return name;
  }

  /**
   * Adds a one-time task: each execution of {@code name} calls {@code handler} with its instance id. Must be called
   * before {@link #start()}; lets the services that schedule the task be built with this scheduler first and
   * register their handler afterwards.
   *
   * @param name the task name; unique among this scheduler's tasks
   * @return this
   */
  public synchronized DbSchedulerJobScheduler handle(String name, Consumer<String> handler) {
    requireName(name);
    Objects.requireNonNull(handler, "handler");
    if (scheduler != null || closed) {
      throw new IllegalStateException("tasks must be added before start()");
    }
    if (handlers.containsKey(name) || recurringTasks.stream().anyMatch(t -> t.getName().equals(name))) {
      throw new IllegalArgumentException("a task with this name exists already");
    }
    handlers.put(name, handler);
    return this;
  }

  /**
   * Adds a recurring task: {@code work} runs on one instance of the cluster, then again {@code every} after it
   * ended (the first run is due at start when the task has never run). Must be called before {@link #start()}.
   * What {@code work} throws is logged (class only) and the next run stays scheduled.
   *
   * @param name the task name; unique among this scheduler's tasks
   * @return this
   */
  public synchronized DbSchedulerJobScheduler recurring(String name, Duration every, Runnable work) {
    requireName(name);
    Objects.requireNonNull(every, "every");
    Objects.requireNonNull(work, "work");
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("every must be positive");
    }
    if (scheduler != null || closed) {
      throw new IllegalStateException("recurring tasks must be added before start()");
    }
    if (handlers.containsKey(name) || recurringTasks.stream().anyMatch(t -> t.getName().equals(name))) {
      throw new IllegalArgumentException("a task with this name exists already");
    }
    recurringTasks.add(Tasks.recurring(name, FixedDelay.of(every))
        .execute((instance, context) -> run(name, "recurring", work)));
    return this;
  }

  /**
   * Starts polling (and schedules the recurring tasks that are not yet scheduled).
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database cannot be reached (nothing
   *     is started)
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (scheduler != null || closed) {
      throw new IllegalStateException("already started or closed");
    }
    Db.run(() -> jdbi.useHandle(h -> h.createQuery("SELECT count(*) FROM scheduled_tasks WHERE false")
        .mapTo(Long.class).one()));
    List<Task<?>> known = new ArrayList<>();
    handlers.forEach((name, handler) -> known.add(oneTimeTask(name, handler)));
    // startTasks adds the recurring tasks to the known ones (and schedules them unless scheduled already)
    scheduler = Scheduler.create(dataSource, known)
        .startTasks(recurringTasks)
        .schedulerName(new SchedulerName.Fixed(instanceName))
        .pollingInterval(pollingInterval)
        .threads(threads)
        .pollUsingLockAndFetch(0.5, 1.0)
        .serializer(new TextSerializer())
        .shutdownMaxWait(SHUTDOWN_MAX_WAIT)
        .build();
    scheduler.start();
  }

  private CustomTask<String> oneTimeTask(String name, Consumer<String> handler) {
    CompletionHandler<String> done = (complete, operations) -> finish(complete.getExecution());
    FailureHandler<String> failed = (complete, operations) -> finish(complete.getExecution());
    return Tasks.custom(name, String.class)
        .onFailure(failed)
        .onDeadExecutionRevive()
        .execute((instance, context) -> {
          String id = instance.getId();
          run(name, id, () -> handler.accept(id));
          return done;
        });
  }

  private static void run(String task, String instance, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      String code = e instanceof IntegrationsException ie ? ie.code() : "-";
      LOG.warn("Task {} instance {} failed with {} (code {}); the execution counts as done", task, instance,
          e.getClass().getName(), code);
    }
  }

  /** Removes a completed execution, or reschedules it when a follow-up was requested while it ran. */
  private void finish(Execution execution) {
    String task = execution.taskInstance.getTaskName();
    String instance = execution.taskInstance.getId();
    jdbi.useTransaction(h -> {
      Optional<Optional<byte[]>> row = h.createQuery(LOCK_DONE)
          .bind("task", task).bind("instance", instance).bind("version", execution.version)
          .map((rs, ctx) -> Optional.ofNullable(rs.getBytes("task_data")))
          .findOne();
      if (row.isEmpty()) {
        LOG.warn("Task {} instance {} changed while it ran; leaving it as it is", task, instance);
        return;
      }
      if (row.get().isEmpty()) {
        h.createUpdate(DELETE_DONE)
            .bind("task", task).bind("instance", instance).bind("version", execution.version)
            .execute();
        return;
      }
      h.createUpdate(RESCHEDULE_DONE)
          .bind("at", Timestamps.bind(followUpAt(row.get().get())))
          .bind("now", Timestamps.bind(Instant.now()))
          .bind("task", task).bind("instance", instance).bind("version", execution.version)
          .execute();
    });
  }

  private static Instant followUpAt(byte[] data) {
    try {
      JsonNode node = Jsonb.parse(new String(data, StandardCharsets.UTF_8));
      return Instant.parse(Jsonb.text(node, FOLLOW_UP_AT));
    } catch (RuntimeException e) {
      return Instant.now();
    }
  }

  private static byte[] followUp(Instant at) {
    ObjectNode node = Jsonb.object();
    node.put(FOLLOW_UP_AT, Timestamps.micros(at).toString());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void requireTask(String task, String instanceId, Instant at) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(at, "at");
    requireName(instanceId);
    if (!handlers.containsKey(task)) {
      throw new IllegalArgumentException("no one-time task is registered under this name");
    }
  }

  /**
   * {@inheritDoc} While the execution runs, a follow-up at {@code at} is recorded instead (unless one is recorded
   * already).
   *
   * @throws IllegalArgumentException for a task name without a handler
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public void schedule(String task, String instanceId, Instant at) {
    requireTask(task, instanceId, at);
    Db.run(() -> jdbi.useHandle(h -> {
      for (int i = 0; i < ATTEMPTS; i++) {
        if (insert(h, task, instanceId, at)) {
          return;
        }
        if (followUp(h, FOLLOW_UP_IF_NONE, task, instanceId, at)) {
          return;
        }
        if (h.createQuery(EXISTS).bind("task", task).bind("instance", instanceId).mapTo(Boolean.class).one()) {
          return; // waiting (already scheduled) or running with a follow-up already recorded
        }
      }
      throw new IllegalStateException("the execution kept changing while it was being scheduled");
    }));
  }

  /**
   * {@inheritDoc} While the execution runs, its follow-up is recorded (or moved) to {@code at}.
   *
   * @throws IllegalArgumentException for a task name without a handler
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public void scheduleOrPostpone(String task, String instanceId, Instant at) {
    requireTask(task, instanceId, at);
    Db.run(() -> jdbi.useHandle(h -> {
      for (int i = 0; i < ATTEMPTS; i++) {
        if (postpone(h, task, instanceId, at)) {
          return;
        }
        if (followUp(h, FOLLOW_UP, task, instanceId, at)) {
          return;
        }
        if (insert(h, task, instanceId, at)) {
          return;
        }
      }
      throw new IllegalStateException("the execution kept changing while it was being scheduled");
    }));
  }

  private static boolean insert(Handle h, String task, String instanceId, Instant at) {
    return h.createUpdate(INSERT)
        .bind("task", task).bind("instance", instanceId)
        .bind("at", Timestamps.bind(at))
        .bind("priority", (short) CustomTask.DEFAULT_PRIORITY)
        .execute() == 1;
  }

  private static boolean postpone(Handle h, String task, String instanceId, Instant at) {
    return h.createUpdate(POSTPONE)
        .bind("task", task).bind("instance", instanceId)
        .bind("at", Timestamps.bind(at))
        .execute() == 1;
  }

  private static boolean followUp(Handle h, String sql, String task, String instanceId, Instant at) {
    return h.createUpdate(sql)
        .bind("task", task).bind("instance", instanceId)
        .bind("data", followUp(at))
        .execute() == 1;
  }

  /** Stops polling and waits for running executions (up to {@link #SHUTDOWN_MAX_WAIT}). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (scheduler != null) {
      scheduler.stop();
    }
  }

  @Override
  public String toString() {
    return "DbSchedulerJobScheduler[" + instanceName + "]";
  }

  /** Task data as UTF-8 text; anything else is refused, so nothing is ever Java-serialized. */
  private static final class TextSerializer implements Serializer {
    @Override
    public byte[] serialize(Object data) {
      if (data == null) {
        return null;
      }
      if (data instanceof String text) {
        return text.getBytes(StandardCharsets.UTF_8);
      }
      throw new IllegalArgumentException("only text task data is supported");
    }

    @Override
    public <T> T deserialize(Class<T> clazz, byte[] serializedData) {
      if (serializedData == null || clazz == Void.class) {
        return null;
      }
      if (clazz == String.class || clazz == Object.class) {
        return clazz.cast(new String(serializedData, StandardCharsets.UTF_8));
      }
      throw new IllegalArgumentException("only text task data is supported");
    }
  }
}
