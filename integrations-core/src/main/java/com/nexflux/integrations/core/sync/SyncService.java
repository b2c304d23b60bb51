package com.nexflux.integrations.core.sync;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sync of projects to any provider: the queue of jobs, the debounced auto-sync, retries with backoff, job state
 * and last-sync bookkeeping. What a sync writes, and how, is the provider's {@link SyncDestination}, registered
 * once per provider.
 *
 * <p>Tasks ({@link JobScheduler}): {@link JobScheduler#SYNC_TASK} runs one job ({@link #runJob}, instance id = job
 * id); {@link JobScheduler#AUTO_SYNC_TASK} runs a debounced auto-sync ({@link #runAutoSync(String)}, instance id =
 * the target's debounce key from {@link SyncJobRepository#addPending}).
 *
 * <p>A job: its projects are loaded from the {@link ProjectSource} (projects that no longer exist are skipped; when
 * none is left the job fails), handed to the destination, and the job ends succeeded (the destination then records
 * the last sync) or failed with a message. Transient failures (rate limits, unavailability) put the job back in the
 * queue and schedule it again at now + max(retryAfter, 1 s · 2^(attempts-1)) (unavailability counts from 5 s),
 * capped at {@link #MAX_BACKOFF} unless the provider asks for longer; after {@value #MAX_ATTEMPTS} attempts the job
 * fails. A finished job is left alone, so a revived execution does no harm; a job found running (its execution died)
 * runs again, which destinations make safe by not writing unchanged content twice. The scheduler must let a running
 * execution schedule its own instance id again.
 */
public final class SyncService {
  /** How many times a job runs before a transient failure fails it. */
  public static final int MAX_ATTEMPTS = 10;
  /** The longest backoff this service picks itself (a provider may ask for longer). */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

  private static final Logger LOG = Logger.getLogger(SyncService.class.getName());
  private static final Duration MIN_RETRY = Duration.ofSeconds(1);
  private static final Duration UNAVAILABLE_BASE = Duration.ofSeconds(5);

  private final SyncJobRepository jobs;
  private final ProjectSource projects;
  private final JobScheduler scheduler;
  private final Clock clock;
  private final Duration autoSyncDebounce;
  private final Map<Provider, SyncDestination> destinations = new ConcurrentHashMap<>();

  /**
   * @param autoSyncDebounce how long after the last project change an auto-sync runs (30 s)
   */
  public SyncService(SyncJobRepository jobs, ProjectSource projects, JobScheduler scheduler, Clock clock,
      Duration autoSyncDebounce) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.projects = Objects.requireNonNull(projects, "projects");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.autoSyncDebounce = Objects.requireNonNull(autoSyncDebounce, "autoSyncDebounce");
    if (autoSyncDebounce.isNegative()) {
      throw new IllegalArgumentException("autoSyncDebounce must not be negative");
    }
  }

  /**
   * Adds a provider's destination.
   *
   * @return this
   * @throws IllegalArgumentException when the provider has one already
   */
  public SyncService register(SyncDestination destination) {
    Objects.requireNonNull(destination, "destination");
    if (destinations.putIfAbsent(destination.provider(), destination) != null) {
      throw new IllegalArgumentException("a destination for " + destination.provider().key() + " exists already");
    }
    return this;
  }

  /**
   * Queues a sync (checked by the caller) and schedules it at once; the job and its audit row are stored in one
   * transaction.
   *
   * @param audit the audit row of the request, made from the queued job
   * @return the queued job
   */
  public SyncJob request(SyncTarget target, List<String> projectIds, Function<SyncJob, AuditEvent> audit) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(audit, "audit");
    destination(target.provider());
    Instant now = clock.instant();
    SyncJob job = SyncJob.queued(target, projectIds, now);
    jobs.save(job, Objects.requireNonNull(audit.apply(job), "audit event"));
    scheduler.schedule(JobScheduler.SYNC_TASK, job.id().toString(), now);
    return job;
  }

  /**
   * A project changed and should go to {@code target}: it joins the target's pending projects and the target's
   * auto-sync execution moves to now + debounce.
   */
  public void changed(SyncTarget target, String projectId) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(projectId, "projectId");
    UUID key = jobs.addPending(target, projectId);
    scheduler.scheduleOrPostpone(JobScheduler.AUTO_SYNC_TASK, key.toString(), clock.instant().plus(autoSyncDebounce));
  }

  /** Runs one job ({@link JobScheduler#SYNC_TASK}). */
  public void runJob(UUID jobId) {
    Optional<SyncJob> found = jobs.find(jobId);
    if (found.isEmpty()) {
      LOG.log(Level.WARNING, "Sync job " + jobId + " does not exist; nothing to run");
      return;
    }
    SyncJob job = found.get();
    if (job.status() == SyncJob.Status.SUCCEEDED || job.status() == SyncJob.Status.FAILED) {
      return;
    }
    SyncDestination destination = destinations.get(job.provider());
    job = job.running();
    jobs.save(job);
    if (destination == null) {
      fail(job, "Syncing to " + job.provider().key() + " is not available");
      return;
    }
    String name = destination.displayName();
    try {
      List<Project> loaded = load(job);
      SyncDestination.Pushed pushed = destination.push(job.target(), loaded);
      Instant now = clock.instant();
      jobs.save(job.succeeded(pushed.revision(), pushed.filesChanged(), now));
      recordLastSync(destination, job.target(), now);
    } catch (RateLimitedException e) {
      retryLater(job, e.retryAfter(), MIN_RETRY, "rate limited by " + name);
    } catch (UnavailableException e) {
      retryLater(job, null, UNAVAILABLE_BASE, name + " or the token service is unavailable");
    } catch (SyncDestination.Failure e) {
      fail(job, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Sync job " + job.id() + " failed unexpectedly", e);
      fail(job, "The sync failed unexpectedly (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Runs a debounced auto-sync ({@link JobScheduler#AUTO_SYNC_TASK}); an instance id that is no debounce key is
   * ignored.
   */
  public void runAutoSync(String instanceId) {
    UUID key;
    try {
      key = UUID.fromString(String.valueOf(instanceId));
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "Ignoring an auto-sync with a malformed instance id");
      return;
    }
    jobs.pendingTarget(key).ifPresent(this::runAutoSync);
  }

  /**
   * Takes the projects waiting for the target and, when there are any and its destination still wants an auto-sync,
   * makes a queued job of them and runs it at once (a rate limit then reschedules the job itself).
   */
  public void runAutoSync(SyncTarget target) {
    Objects.requireNonNull(target, "target");
    List<String> pending = jobs.takePending(target);
    if (pending.isEmpty()) {
      return;
    }
    SyncDestination destination = destinations.get(target.provider());
    if (destination == null || !destination.autoSyncWanted(target)) {
      return; // turned off (or disconnected) while the change waited
    }
    SyncJob job = SyncJob.queued(target, List.copyOf(new LinkedHashSet<>(pending)), clock.instant());
    jobs.save(job);
    runJob(job.id());
  }

  private SyncDestination destination(Provider provider) {
    SyncDestination destination = destinations.get(provider);
    if (destination == null) {
      throw new IllegalStateException("no sync destination for " + provider.key());
    }
    return destination;
  }

  private List<Project> load(SyncJob job) {
    List<Project> loaded = new ArrayList<>();
    for (String id : new LinkedHashSet<>(job.projectIds())) {
      Optional<Project> project = projects.load(job.userId(), id);
      if (project.isEmpty()) {
        LOG.log(Level.INFO, "Project " + id + " of sync job " + job.id() + " no longer exists; skipped");
        continue;
      }
      loaded.add(project.get());
    }
    if (loaded.isEmpty()) {
      throw new SyncDestination.Failure("None of the projects to sync exists any more");
    }
    return loaded;
  }

  private void retryLater(SyncJob job, Duration retryAfter, Duration base, String reason) {
    Instant now = clock.instant();
    if (job.attempts() >= MAX_ATTEMPTS) {
      fail(job, reason + "; gave up after " + job.attempts() + " attempts");
      return;
    }
    Duration delay = backoff(retryAfter, base, job.attempts());
    jobs.save(job.requeued(reason + "; retrying at " + now.plus(delay)));
    scheduler.schedule(JobScheduler.SYNC_TASK, job.id().toString(), now.plus(delay));
  }

  /**
   * @param retryAfter what the provider asked for, or null
   * @param base the first wait when the provider asked for nothing (or less)
   * @param attempts how many times the job ran (1 after the first run)
   * @return max(retryAfter, min(15 min, max(base, retryAfter) · 2^(attempts-1))), at least one second
   */
  public static Duration backoff(Duration retryAfter, Duration base, int attempts) {
    Duration asked = retryAfter == null || retryAfter.compareTo(MIN_RETRY) < 0 ? MIN_RETRY : retryAfter;
    Duration start = asked.compareTo(base) > 0 ? asked : base;
    Duration exponential = start;
    for (int i = 1; i < attempts && exponential.compareTo(MAX_BACKOFF) < 0; i++) {
      exponential = exponential.multipliedBy(2);
    }
    if (exponential.compareTo(MAX_BACKOFF) > 0) {
      exponential = MAX_BACKOFF;
    }
    return asked.compareTo(exponential) > 0 ? asked : exponential;
  }

  private void fail(SyncJob job, String message) {
    jobs.save(job.failed(message, clock.instant()));
  }

  private static void recordLastSync(SyncDestination destination, SyncTarget target, Instant at) {
    try {
      destination.synced(target, at);
    } catch (RuntimeException e) {
      // The destination holds the change and the job says so; only the view's last sync lags.
      LOG.log(Level.WARNING, "Could not record the last sync time: " + e.getClass().getSimpleName());
    }
  }
}
