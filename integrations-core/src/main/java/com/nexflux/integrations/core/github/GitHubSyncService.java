package com.nexflux.integrations.core.github;

import com.nexflux.integrations.core.github.GitHubIntegrationService.Config;
import com.nexflux.integrations.core.github.GitHubIntegrationService.Config.RepoRef;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.sync.Project;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.oauth.AccessTokens;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.sync.JobScheduler;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.sync.ProjectSource;
import com.nexflux.integrations.core.sync.SyncJobRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs sync jobs in the background ({@link JobScheduler#SYNC_TASK} and {@link JobScheduler#AUTO_SYNC_TASK}).
 *
 * <p>A sync writes the job's projects ({@link ProjectLayout}) to the repository's default branch as ONE commit
 * through the Git Data API, with a number of calls that does not depend on the number of projects or files:
 * <ol>
 *   <li>{@code headCommit} of the default branch;
 *   <li>{@code tree(head)}, recursive: every desired file's git blob SHA-1 is computed locally and compared with
 *       the tree's entry; when nothing differs the job succeeds with no commit and no write at all;
 *   <li>{@code createTree} on the head's tree with the changed files only, text inline (UTF-8), binary files (not
 *       UTF-8, or containing NUL) by blob SHA, each made by one {@code createBlob} first;
 *   <li>{@code createCommit} "NexFlux sync: &lt;n&gt; project(s)" with the head as its only parent;
 *   <li>{@code updateRef}, fast-forward only. When GitHub refuses (the branch moved), steps 1-5 run again on the new
 *       head (blobs already made are reused), at most {@code maxNonFastForwardRetries} more times; then the job fails.
 * </ol>
 * So text-only syncs cost 5 calls when something changed and 2 when nothing did, plus one {@code createBlob} per
 * changed binary file. The repository's owner, name and default branch come from the connection's {@code repo_refs}
 * (written when the sync was requested or the repository selected); only when they are missing, or GitHub answers
 * 404 for them, one {@code repositories} lookup is made.
 *
 * <p>A project's manifest is rewritten (with a new {@code synced_at}) only when one of its files changed or the
 * manifest is missing, so an unchanged project produces no diff. When GitHub truncates the tree (over 100,000
 * entries or 7 MB) nothing can be compared: every desired file counts as changed (the commit may then change only
 * the manifests). Files that were removed from a project stay in the repository (the tree port cannot delete).
 * Projects that no longer exist when the job runs are skipped; when none is left the job fails.
 *
 * <p>Failures: rate limits and unavailability put the job back in the queue and schedule it again at now +
 * max(retryAfter, 1 s · 2^(attempts-1)) (an unavailable GitHub counts from 5 s), capped at 15 minutes unless GitHub
 * asks for longer; after {@value #MAX_ATTEMPTS} attempts the job fails. A connection that needs re-authorization,
 * a refused token, a missing repository or branch, and anything unexpected fail the job at once with a message.
 * The scheduler must let a running execution schedule its own instance id again.
 */
public final class GitHubSyncService {
  /** How many times a job runs before a transient failure fails it. */
  public static final int MAX_ATTEMPTS = 10;
  /** The longest backoff this service picks itself (GitHub may ask for longer). */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

  private static final Logger LOG = Logger.getLogger(GitHubSyncService.class.getName());
  private static final Duration MIN_RETRY = Duration.ofSeconds(1);
  private static final Duration UNAVAILABLE_BASE = Duration.ofSeconds(5);

  private final SyncJobRepository jobs;
  private final OAuthConnectionRepository connections;
  private final AccessTokens tokens;
  private final GitHubApi github;
  private final ProjectSource projects;
  private final JobScheduler scheduler;
  private final Clock clock;
  private final int maxNonFastForwardRetries;

  /** A sync's result. */
  private record Outcome(String commitSha, int filesChanged) {}

  /** A failure that ends the job with a message for the user. */
  private static final class SyncFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyncFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** A file to write: where, what, and whether it goes inline. */
  private record Change(String repoPath, byte[] content, String sha, boolean text) {}

  /**
   * @param maxNonFastForwardRetries how many times a sync starts again on a moved branch (3)
   */
  public GitHubSyncService(SyncJobRepository jobs, OAuthConnectionRepository connections, AccessTokens tokens,
      GitHubApi github, ProjectSource projects, JobScheduler scheduler, Clock clock, int maxNonFastForwardRetries) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.github = Objects.requireNonNull(github, "github");
    this.projects = Objects.requireNonNull(projects, "projects");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxNonFastForwardRetries < 0) {
      throw new IllegalArgumentException("maxNonFastForwardRetries must not be negative");
    }
    this.maxNonFastForwardRetries = maxNonFastForwardRetries;
  }

  /**
   * Runs one job ({@link JobScheduler#SYNC_TASK}). A finished job is left alone, so a revived execution does no
   * harm; a job found running (its execution died) runs again, which is safe because unchanged files are not
   * written twice.
   */
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
    job = job.running();
    jobs.save(job);
    try {
      Outcome outcome = sync(job);
      Instant now = clock.instant();
      jobs.save(job.succeeded(outcome.commitSha(), outcome.filesChanged(), now));
      recordLastSync(job.userId(), job.repositoryId(), now);
    } catch (RateLimitedException e) {
      retryLater(job, e.retryAfter(), MIN_RETRY, "rate limited by GitHub");
    } catch (UnavailableException e) {
      retryLater(job, null, UNAVAILABLE_BASE, "GitHub or the token service is unavailable");
    } catch (ReauthRequiredException e) {
      fail(job, "The GitHub connection must be authorized again; reconnect GitHub and sync again");
    } catch (OAuthGrantException e) {
      fail(job, "GitHub refused the stored token; reconnect GitHub and sync again");
    } catch (SecretUnreadableException e) {
      fail(job, "The stored GitHub token cannot be read; reconnect GitHub and sync again");
    } catch (NotFoundException e) {
      fail(job, "Not found: " + e.getMessage());
    } catch (SyncFailure e) {
      fail(job, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Sync job " + job.id() + " failed unexpectedly", e);
      fail(job, "The sync failed unexpectedly (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Runs a debounced auto-sync ({@link JobScheduler#AUTO_SYNC_TASK}, instance id {@code <user id>:<repository id>}):
   * takes the projects waiting for it and, when there are any and auto-sync is still on for that repository, makes
   * a queued job of them and runs it at once (a rate limit then reschedules the job itself).
   */
  public void runAutoSync(String instanceId) {
    int colon = instanceId == null ? -1 : instanceId.lastIndexOf(':');
    UserId userId;
    long repositoryId;
    try {
      if (colon < 0) {
        throw new IllegalArgumentException("no colon");
      }
      userId = new UserId(UUID.fromString(instanceId.substring(0, colon)));
      repositoryId = Long.parseLong(instanceId.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "Ignoring an auto-sync with a malformed instance id");
      return;
    }
    List<String> pending = jobs.takePending(userId, repositoryId);
    if (pending.isEmpty()) {
      return;
    }
    Optional<OAuthConnection> connection = connections.find(userId, Provider.GITHUB);
    if (connection.isEmpty() || connection.get().status() != ConnectionStatus.CONNECTED
        || !Config.autoSync(connection.get().config())
        || !Config.selectedRepos(connection.get().config()).contains(repositoryId)) {
      return; // turned off (or disconnected) while the change waited
    }
    SyncJob job = SyncJob.queued(userId, repositoryId, List.copyOf(new LinkedHashSet<>(pending)), clock.instant());
    jobs.save(job);
    runJob(job.id());
  }

  // ---------------------------------------------------------------- the sync

  private Outcome sync(SyncJob job) {
    Secret token = tokens.accessToken(job.userId(), Provider.GITHUB);
    List<ProjectLayout.Placed> placed = load(job);
    RepoRef repo = repository(job, token, false);
    try {
      return commit(token, repo, placed);
    } catch (NotFoundException e) {
      // The remembered location may be stale (renamed, default branch changed): look it up once.
      RepoRef fresh = repository(job, token, true);
      if (fresh.equals(repo)) {
        throw new SyncFailure("The branch " + repo.defaultBranch() + " of " + repo.owner() + "/" + repo.name()
            + " was not found (an empty repository needs a first commit)");
      }
      return commit(token, fresh, placed);
    }
  }

  private List<ProjectLayout.Placed> load(SyncJob job) {
    List<ProjectLayout.Placed> placed = new ArrayList<>();
    Map<String, String> folders = new HashMap<>();
    for (String id : new LinkedHashSet<>(job.projectIds())) {
      Optional<Project> project = projects.load(job.userId(), id);
      if (project.isEmpty()) {
        LOG.log(Level.INFO, "Project " + id + " of sync job " + job.id() + " no longer exists; skipped");
        continue;
      }
      ProjectLayout.Placed p;
      try {
        p = ProjectLayout.place(project.get());
      } catch (IllegalArgumentException e) {
        throw new SyncFailure(e.getMessage());
      }
      String other = folders.putIfAbsent(p.slug(), p.projectId());
      if (other != null) {
        throw new SyncFailure("Projects " + other + " and " + p.projectId() + " would share the folder "
            + p.folder() + "; sync them separately or rename one");
      }
      placed.add(p);
    }
    if (placed.isEmpty()) {
      throw new SyncFailure("None of the projects to sync exists any more");
    }
    return placed;
  }

  /** Where the job's repository is: remembered in the connection, or looked up (and remembered) once. */
  private RepoRef repository(SyncJob job, Secret token, boolean lookUp) {
    OAuthConnection connection = connections.find(job.userId(), Provider.GITHUB)
        .orElseThrow(() -> new SyncFailure("GitHub is not connected any more"));
    if (!lookUp) {
      Optional<RepoRef> known = Config.repositoryRef(connection.config(), job.repositoryId());
      if (known.isPresent()) {
        return known.get();
      }
    }
    GitHubRepository found = github.repositories(token).stream()
        .filter(r -> r.id() == job.repositoryId())
        .findFirst()
        .orElseThrow(() -> new SyncFailure("Repository " + job.repositoryId()
            + " is not among the repositories this GitHub account can access any more"));
    try {
      Map<String, Object> config = new java.util.LinkedHashMap<>(connection.config());
      Config.rememberRepositories(config, List.of(found), List.of(found.id()));
      connections.updateConfig(connection.withConfig(config, clock.instant()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not remember the repository's location: " + e.getClass().getSimpleName());
    }
    return new RepoRef(found.owner(), found.name(), found.defaultBranch());
  }

  private Outcome commit(Secret token, RepoRef repo, List<ProjectLayout.Placed> placed) {
    Instant now = clock.instant();
    Map<String, String> blobs = new HashMap<>(); // content SHA -> blob SHA made by this job (reused on retry)
    for (int attempt = 0; attempt <= maxNonFastForwardRetries; attempt++) {
      String head = github.headCommit(token, repo.owner(), repo.name(), repo.defaultBranch());
      GitTree tree = github.tree(token, repo.owner(), repo.name(), head);
      Map<String, String> existing = new HashMap<>();
      if (!tree.truncated()) {
        for (GitTree.Entry e : tree.entries()) {
          if ("blob".equals(e.type())) {
            existing.put(e.path(), e.sha());
          }
        }
      }
      List<Change> changes = new ArrayList<>();
      int changedProjects = 0;
      for (ProjectLayout.Placed p : placed) {
        if (plan(p, existing, tree.truncated(), now, changes)) {
          changedProjects++;
        }
      }
      if (changes.isEmpty()) {
        return new Outcome(null, 0);
      }
      List<NewTreeEntry> entries = new ArrayList<>(changes.size());
      for (Change c : changes) {
        if (c.text()) {
          entries.add(new NewTreeEntry(c.repoPath(), new String(c.content(), StandardCharsets.UTF_8), null));
        } else {
          String blob = blobs.get(c.sha());
          if (blob == null) {
            blob = github.createBlob(token, repo.owner(), repo.name(), c.content());
            blobs.put(c.sha(), blob);
          }
          entries.add(new NewTreeEntry(c.repoPath(), null, blob));
        }
      }
      String newTree = github.createTree(token, repo.owner(), repo.name(), tree.sha(), entries);
      String commit = github.createCommit(token, repo.owner(), repo.name(),
          "NexFlux sync: " + changedProjects + " project(s)", newTree, head);
      if (github.updateRef(token, repo.owner(), repo.name(), repo.defaultBranch(), commit)) {
        return new Outcome(commit, changes.size());
      }
      if (attempt < maxNonFastForwardRetries) {
        LOG.log(Level.INFO, "The branch moved during a sync to " + repo.owner() + "/" + repo.name()
            + "; starting again on the new head (retry " + (attempt + 1) + " of " + maxNonFastForwardRetries + ")");
      }
    }
    throw new SyncFailure("The branch " + repo.defaultBranch() + " kept moving during the sync (not a fast "
        + "forward " + (maxNonFastForwardRetries + 1) + " times); sync again later");
  }

  /**
   * Adds a project's changed files (and then its refreshed manifest) to {@code changes}.
   *
   * @return whether the project changed
   */
  private static boolean plan(ProjectLayout.Placed p, Map<String, String> existing, boolean truncated, Instant now,
      List<Change> changes) {
    List<Change> mine = new ArrayList<>();
    for (ProjectLayout.PlacedFile f : p.files()) {
      if (truncated || !f.sha().equals(existing.get(f.repoPath()))) {
        mine.add(new Change(f.repoPath(), f.content(), f.sha(), f.text()));
      }
    }
    if (mine.isEmpty() && !truncated && existing.containsKey(p.manifestPath())) {
      return false;
    }
    byte[] manifest = ProjectLayout.manifest(p, now);
    mine.add(new Change(p.manifestPath(), manifest, ProjectLayout.blobSha(manifest), true));
    changes.addAll(mine);
    return true;
  }

  // ---------------------------------------------------------------- outcomes

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
   * @param retryAfter what GitHub asked for, or null
   * @param base the first wait when GitHub asked for nothing (or less)
   * @param attempts how many times the job ran (1 after the first run)
   * @return max(retryAfter, min(15 min, max(base, retryAfter) · 2^(attempts-1))), at least one second
   */
  static Duration backoff(Duration retryAfter, Duration base, int attempts) {
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

  private void recordLastSync(UserId userId, long repositoryId, Instant at) {
    try {
      connections.find(userId, Provider.GITHUB).ifPresent(c ->
          connections.updateConfig(c.withConfig(Config.withLastSync(c.config(), repositoryId, at), at)));
    } catch (RuntimeException e) {
      // The commit is made and the job says so; only the view's last_sync lags.
      LOG.log(Level.WARNING, "Could not record the last sync time: " + e.getClass().getSimpleName());
    }
  }
}
