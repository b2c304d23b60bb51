package com.nexflux.integrations.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * db-scheduler on real PostgreSQL, with two scheduler instances (two pools, two names) on one database where the
 * cluster matters. Waits are polls with generous upper bounds; nothing asserts exact timing.
 */
class DbSchedulerJobSchedulerTest {
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String TASK = "github-sync";

  private TestDatabase db;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private HikariDataSource pool() {
    HikariDataSource pool = DataSources.create(db.jdbcUrl(), 8);
    resources.add(pool);
    return pool;
  }

  private DbSchedulerJobScheduler scheduler(String name, Map<String, Consumer<String>> handlers) {
    DbSchedulerJobScheduler scheduler = new DbSchedulerJobScheduler(pool(), handlers, name, POLL, 4);
    resources.add(scheduler);
    return scheduler;
  }

  private Consumer<String> counting() {
    return id -> runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
  }

  private int runs(String id) {
    AtomicInteger count = runs.get(id);
    return count == null ? 0 : count.get();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Gives the schedulers a few more polls to do anything they should not. */
  private static void settle() throws InterruptedException {
    Thread.sleep(POLL.multipliedBy(3).toMillis());
  }

  private long rows() {
    return Sql.count(db.dataSource(), "SELECT count(*) FROM scheduled_tasks WHERE task_name = ?", TASK);
  }

  private Instant executionTime(String id) {
    return ((Timestamp) Sql.rows(db.dataSource(),
        "SELECT execution_time FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?", TASK, id)
        .get(0).get("execution_time")).toInstant();
  }

  @Test
  void eachExecutionRunsExactlyOnceAcrossTwoInstances() throws Exception {
    DbSchedulerJobScheduler a = scheduler("instance-a", Map.of(TASK, counting()));
    DbSchedulerJobScheduler b = scheduler("instance-b", Map.of(TASK, counting()));
    Instant now = Instant.now();
    for (int i = 0; i < 30; i++) {
      String id = "job-" + i;
      a.schedule(TASK, id, now);
      b.schedule(TASK, id, now); // the same waiting execution from the other instance: not a second one
    }
    assertThat(rows()).isEqualTo(30);
    a.start();
    b.start();
    await("every job to run", () -> runs.size() == 30 && rows() == 0);
    settle();
    for (int i = 0; i < 30; i++) {
      assertThat(runs("job-" + i)).as("job-%d", i).isEqualTo(1);
    }
    assertThat(rows()).isZero();
  }

  @Test
  void scheduleKeepsAWaitingExecutionAndScheduleOrPostponeMovesIt() throws Exception {
    DbSchedulerJobScheduler scheduler = scheduler("solo", Map.of(TASK, counting()));
    Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    scheduler.schedule(TASK, "k", later);
    scheduler.schedule(TASK, "k", Instant.now());
    assertThat(executionTime("k")).isEqualTo(later);
    Instant sooner = later.minus(Duration.ofMinutes(30));
    scheduler.scheduleOrPostpone(TASK, "k", sooner);
    assertThat(executionTime("k")).isEqualTo(sooner);
    assertThat(rows()).isEqualTo(1);

    scheduler.start();
    scheduler.scheduleOrPostpone(TASK, "k", Instant.now());
    await("the moved execution to run", () -> runs("k") == 1 && rows() == 0);
  }

  @Test
  void scheduleOrPostponeDebounces() throws Exception {
    DbSchedulerJobScheduler a = scheduler("instance-a", Map.of(TASK, counting()));
    DbSchedulerJobScheduler b = scheduler("instance-b", Map.of(TASK, counting()));
    a.start();
    b.start();
    for (int i = 0; i < 5; i++) {
      (i % 2 == 0 ? a : b).scheduleOrPostpone(TASK, "user:repo", Instant.now().plus(Duration.ofSeconds(2)));
      Thread.sleep(100);
    }
    assertThat(rows()).isEqualTo(1);
    await("the debounced run", () -> runs("user:repo") == 1 && rows() == 0);
    settle();
    assertThat(runs("user:repo")).isEqualTo(1);
  }

  @Test
  void schedulingWhileRunningGivesExactlyOneFollowUpRun() throws Exception {
    CountDownLatch firstRunStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstRun = new CountDownLatch(1);
    AtomicInteger count = new AtomicInteger();
    Consumer<String> handler = id -> {
      if (count.incrementAndGet() == 1) {
        firstRunStarted.countDown();
        try {
          releaseFirstRun.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    DbSchedulerJobScheduler a = scheduler("instance-a", Map.of(TASK, handler));
    DbSchedulerJobScheduler b = scheduler("instance-b", Map.of(TASK, handler));
    a.start();
    b.start();
    a.scheduleOrPostpone(TASK, "debounced", Instant.now());
    assertThat(firstRunStarted.await(30, TimeUnit.SECONDS)).isTrue();

    // changes arrive while the debounced run executes: they must not be dropped, nor run more than once more
    for (int i = 0; i < 3; i++) {
      b.scheduleOrPostpone(TASK, "debounced", Instant.now());
      a.schedule(TASK, "debounced", Instant.now());
    }
    String data = (String) Sql.scalar(db.dataSource(),
        "SELECT convert_from(task_data, 'UTF8') FROM scheduled_tasks WHERE task_instance = 'debounced'");
    assertThat(data).startsWith("{\"follow_up_at\":\""); // JSON, never a serialized Java object
    releaseFirstRun.countDown();

    await("the follow-up run", () -> count.get() == 2 && rows() == 0);
    settle();
    assertThat(count.get()).isEqualTo(2);
  }

  @Test
  void aHandlerMayRescheduleItselfAsARetry() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
    DbSchedulerJobScheduler scheduler = scheduler("retrying", Map.of(TASK, id -> handlers.get(TASK).accept(id)));
    handlers.put(TASK, id -> {
      if (attempts.incrementAndGet() < 3) {
        scheduler.schedule(TASK, id, Instant.now()); // rate limited: try again
      } else {
        done.incrementAndGet();
      }
    });
    scheduler.start();
    scheduler.schedule(TASK, "job", Instant.now());
    await("three attempts", () -> done.get() == 1 && rows() == 0);
    settle();
    assertThat(attempts.get()).isEqualTo(3);
  }

  @Test
  void aFailingHandlerCompletesItsExecution() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    DbSchedulerJobScheduler scheduler = scheduler("failing", Map.of(TASK, id -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("boom with secret-ish detail");
    }));
    scheduler.start();
    scheduler.schedule(TASK, "job", Instant.now());
    await("the attempt", () -> attempts.get() == 1 && rows() == 0);
    settle();
    assertThat(attempts.get()).isEqualTo(1);
  }

  @Test
  void aRecurringTaskRunsOnOneInstanceAtATime() throws Exception {
    AtomicInteger executions = new AtomicInteger();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    List<String> ranOn = new CopyOnWriteArrayList<>();
    Duration every = Duration.ofSeconds(1);
    List<DbSchedulerJobScheduler> cluster = new ArrayList<>();
    for (String name : List.of("instance-a", "instance-b")) {
      cluster.add(scheduler(name, Map.of(TASK, counting())).recurring("token-refresh-sweeper", every, () -> {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        executions.incrementAndGet();
        ranOn.add(name);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        inside.decrementAndGet();
      }));
    }
    long started = System.nanoTime();
    cluster.forEach(DbSchedulerJobScheduler::start);
    Thread.sleep(6_000);
    cluster.forEach(DbSchedulerJobScheduler::close);
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(executions.get()).isGreaterThanOrEqualTo(1);
    assertThat(maxInside.get()).isEqualTo(1);
    // one execution per interval cluster-wide: two independent schedules would run about twice as often
    assertThat(executions.get()).isLessThanOrEqualTo((int) (seconds / every.toSeconds()) + 2);
    assertThat(Sql.count(db.dataSource(),
        "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'token-refresh-sweeper'")).isEqualTo(1);
  }

  @Test
  void scheduledExecutionsSurviveARestart() throws Exception {
    DbSchedulerJobScheduler first = scheduler("before-restart", Map.of(TASK, counting()));
    first.start();
    first.schedule(TASK, "survivor", Instant.now().plus(Duration.ofSeconds(2)));
    first.close();
    assertThat(runs("survivor")).isZero();
    assertThat(rows()).isEqualTo(1);

    DbSchedulerJobScheduler second = scheduler("after-restart", Map.of(TASK, counting()));
    second.start();
    await("the surviving execution", () -> runs("survivor") == 1 && rows() == 0);
  }

  @Test
  void misuseIsRefused() {
    DbSchedulerJobScheduler scheduler = scheduler("misuse", Map.of(TASK, counting()));
    assertThatThrownBy(() -> scheduler.schedule("unknown-task", "x", Instant.now()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> scheduler.scheduleOrPostpone(TASK, " ", Instant.now()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> scheduler.recurring(TASK, Duration.ofSeconds(1), () -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    scheduler.start();
    assertThatThrownBy(() -> scheduler.recurring("late", Duration.ofSeconds(1), () -> { }))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
    scheduler.close();
    scheduler.close();
  }
}
