package com.nexflux.integrations.app.provider;

import com.nexflux.integrations.core.domain.SecretCipher;
import com.nexflux.integrations.core.net.HostResolver;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.sync.JobScheduler;
import com.nexflux.integrations.core.sync.ProjectSource;
import com.nexflux.integrations.core.sync.SyncService;
import com.nexflux.integrations.persistence.DbSchedulerJobScheduler;
import com.nexflux.integrations.persistence.PostgresPersistence;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;

/**
 * The shared mechanisms every provider module is built from: persistence, the cipher, the clock, the outbound guard,
 * the blocking executor, the outbound HTTP client, the job scheduler, the project source and the one sync service.
 * Built once by the facade; the scheduler and the sync service are created on first use (a deployment whose modules
 * schedule nothing runs no scheduler).
 */
public final class SharedParts {
  private final DataSource dataSource;
  private final PostgresPersistence persistence;
  private final SecretCipher cipher;
  private final Clock clock;
  private final OutboundGuard guard;
  private final ExecutorService blocking;
  private final OkHttpClient http;
  private final OutboundHttpClients outbound;
  private final URI frontendUrl;
  private final String instanceName;
  private final Duration schedulerPollInterval;
  private final ProjectSource projects;
  private final Duration autoSyncDebounce;
  private DbSchedulerJobScheduler scheduler;
  private SyncService sync;

  /**
   * Built by the facade.
   *
   * @param projects where project files come from, or {@code null} (no project is found)
   * @param autoSyncDebounce how long after the last project change an auto-sync runs
   */
  public SharedParts(DataSource dataSource, PostgresPersistence persistence, SecretCipher cipher, Clock clock,
      OutboundGuard guard, HostResolver resolver, ExecutorService blocking, OkHttpClient http, URI frontendUrl,
      String instanceName, Duration schedulerPollInterval, ProjectSource projects, Duration autoSyncDebounce) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.persistence = Objects.requireNonNull(persistence, "persistence");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.blocking = Objects.requireNonNull(blocking, "blocking");
    this.http = Objects.requireNonNull(http, "http");
    this.outbound = new OutboundHttpClients(http, guard, resolver);
    this.frontendUrl = frontendUrl;
    this.instanceName = Objects.requireNonNull(instanceName, "instanceName");
    this.schedulerPollInterval = Objects.requireNonNull(schedulerPollInterval, "schedulerPollInterval");
    this.projects = projects != null ? projects : (user, id) -> Optional.empty();
    this.autoSyncDebounce = Objects.requireNonNull(autoSyncDebounce, "autoSyncDebounce");
  }

  /** @return where project files come from (the host's, or the standalone server's {@code PROJECTS_DIR}) */
  public ProjectSource projects() {
    return projects;
  }

  /**
   * @return the one sync service of every provider, created on first call with its tasks
   *     ({@link JobScheduler#SYNC_TASK}, {@link JobScheduler#AUTO_SYNC_TASK}) registered on the scheduler; modules
   *     register their {@link com.nexflux.integrations.core.sync.SyncDestination} with it
   */
  public synchronized SyncService sync() {
    if (sync == null) {
      DbSchedulerJobScheduler jobs = scheduler();
      SyncService service = new SyncService(persistence.syncJobs(), projects, jobs, clock, autoSyncDebounce);
      jobs.handle(JobScheduler.SYNC_TASK, id -> service.runJob(UUID.fromString(id)))
          .handle(JobScheduler.AUTO_SYNC_TASK, service::runAutoSync);
      sync = service;
    }
    return sync;
  }

  public PostgresPersistence persistence() {
    return persistence;
  }

  public SecretCipher cipher() {
    return cipher;
  }

  public Clock clock() {
    return clock;
  }

  /** @return the outbound guard for user-given hosts ({@code OUTBOUND_ALLOWED_NETWORKS} applied) */
  public OutboundGuard guard() {
    return guard;
  }

  /** @return the executor for blocking work around connection tests and provider calls */
  public ExecutorService blocking() {
    return blocking;
  }

  /** @return the shared base HTTP client (connection pool and dispatcher); providers use {@link #outbound()} */
  public OkHttpClient http() {
    return http;
  }

  /**
   * @return the guarded outbound HTTP clients every provider's HTTP goes through: allow-listed fixed hosts or
   *     guard-checked user hosts, redirects only to allowed hosts, bounded timeouts, rate limits, redaction
   */
  public OutboundHttpClients outbound() {
    return outbound;
  }

  /** @return {@code FRONTEND_URL}, where OAuth callbacks send the browser; empty when not set */
  public Optional<URI> frontendUrl() {
    return Optional.ofNullable(frontendUrl);
  }

  /** @return the job scheduler, created on first call; modules add their tasks before the facade starts it */
  public synchronized DbSchedulerJobScheduler scheduler() {
    if (scheduler == null) {
      scheduler = new DbSchedulerJobScheduler(dataSource, java.util.Map.of(), instanceName, schedulerPollInterval, 4);
    }
    return scheduler;
  }

  /** @return the scheduler when a module asked for it */
  public synchronized Optional<DbSchedulerJobScheduler> schedulerIfCreated() {
    return Optional.ofNullable(scheduler);
  }
}
