package com.nexflux.integrations.core.github;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.sync.Project;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.oauth.AccessTokens;
import com.nexflux.integrations.core.oauth.ConnectionDisconnect;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.audit.AuditLog;
import com.nexflux.integrations.core.sync.JobScheduler;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.sync.ProjectSource;
import com.nexflux.integrations.core.sync.SyncJobRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The GitHub integration's use cases: the status view, settings, disconnect, sync requests and the auto-sync trigger.
 * The sync itself runs in the background ({@link GitHubSyncService}).
 *
 * <p>Settings and profile live in the connection's {@code config} (see {@link Config} for the keys). The user's
 * repository list is cached in memory per user for {@code repoCacheTtl}; the cache is dropped on disconnect, and a
 * validation that misses an id in a cached list asks GitHub once more before it refuses (a repository created a
 * moment ago is found). When GitHub is unreachable and a stale list is cached, the view shows the stale list.
 */
public final class GitHubIntegrationService implements GitHubIntegrations {
  /** Audit action of a sync request. */
  public static final String SYNC_REQUESTED = "github.sync_requested";
  /** The most projects one sync request may name. */
  public static final int MAX_PROJECTS_PER_SYNC = 100;
  /** The most repositories that may be selected for auto-sync. */
  public static final int MAX_SELECTED_REPOS = 100;
  /** The most jobs {@link #jobs} lists. */
  public static final int MAX_JOBS_LIMIT = 100;
  /**
   * What a project id may look like: 1-200 of {@code [A-Za-z0-9._-]}, not starting with a dot (project sources may
   * use it as a path segment, so no slash, backslash, {@code .} or {@code ..}).
   */
  static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

  private static final Logger LOG = Logger.getLogger(GitHubIntegrationService.class.getName());
  private static final int CACHE_SWEEP_SIZE = 1_000;

  private final OAuthConnectionRepository connections;
  private final AccessTokens tokens;
  private final GitHubApi github;
  private final ConnectionDisconnect disconnects;
  private final SyncJobRepository jobs;
  private final JobScheduler scheduler;
  private final ProjectSource projects;
  private final AuditLog auditLog;
  private final Clock clock;
  private final Duration repoCacheTtl;
  private final Duration autoSyncDebounce;
  private final Map<UserId, CachedRepos> repoCache = new ConcurrentHashMap<>();

  private record CachedRepos(String accountId, List<GitHubRepository> repositories, Instant fetchedAt) {}

  private record Repos(List<GitHubRepository> list, boolean fresh) {}

  /**
   * @param tokens usable access tokens (refreshed when about to expire)
   * @param disconnects the shared disconnect (revocation upstream, local delete, audit)
   * @param repoCacheTtl how long a user's repository list is reused (60 s)
   * @param autoSyncDebounce how long after the last project change an auto-sync runs (30 s)
   */
  public GitHubIntegrationService(OAuthConnectionRepository connections,
      AccessTokens tokens, GitHubApi github, ConnectionDisconnect disconnects, SyncJobRepository jobs,
      JobScheduler scheduler, ProjectSource projects, AuditLog auditLog, Clock clock, Duration repoCacheTtl,
      Duration autoSyncDebounce) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.github = Objects.requireNonNull(github, "github");
    this.disconnects = Objects.requireNonNull(disconnects, "disconnects");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.projects = Objects.requireNonNull(projects, "projects");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.repoCacheTtl = Objects.requireNonNull(repoCacheTtl, "repoCacheTtl");
    this.autoSyncDebounce = Objects.requireNonNull(autoSyncDebounce, "autoSyncDebounce");
    if (repoCacheTtl.isNegative() || autoSyncDebounce.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  // ---------------------------------------------------------------- view

  /**
   * {@inheritDoc}
   *
   * <p>No connection: status {@code not_configured}. Status {@code needs_reauth} (stored, or found out now because
   * the token refresh or GitHub refused the token): the stored profile and no repositories, without a GitHub call.
   */
  @Override
  public GitHubView view(UserId userId) {
    Optional<OAuthConnection> found = connections.find(userId, Provider.GITHUB);
    if (found.isEmpty()) {
      return notConfigured();
    }
    OAuthConnection connection = found.get();
    if (connection.status() != ConnectionStatus.CONNECTED) {
      return view(connection, List.of(), ConnectionStatus.NEEDS_REAUTH);
    }
    try {
      return view(connection, repositories(connection, false).list(), ConnectionStatus.CONNECTED);
    } catch (ReauthRequiredException | OAuthGrantException e) {
      return view(connection, List.of(), ConnectionStatus.NEEDS_REAUTH);
    } catch (NotFoundException e) {
      return notConfigured(); // disconnected meanwhile
    } catch (UnavailableException | RateLimitedException e) {
      CachedRepos stale = repoCache.get(userId);
      if (stale != null && Objects.equals(stale.accountId(), connection.accountId())) {
        LOG.log(Level.FINE, "GitHub unreachable; showing the cached repository list");
        return view(connection, stale.repositories(), ConnectionStatus.CONNECTED);
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- settings

  @Override
  public GitHubView updateSettings(UserId userId, Boolean autoSync, List<Long> selectedRepos,
      RequestContext context) {
    OAuthConnection connection = requireConnection(userId);
    Map<String, Object> config = new LinkedHashMap<>(connection.config());
    List<GitHubRepository> repositories = null;
    Map<String, String> details = new LinkedHashMap<>();
    if (selectedRepos != null) {
      List<Long> wanted = dedupe(selectedRepos, "selected_repos");
      if (wanted.size() > MAX_SELECTED_REPOS) {
        throw ValidationException.of("selected_repos", "at most " + MAX_SELECTED_REPOS + " repositories");
      }
      if (!wanted.isEmpty()) {
        repositories = knownRepositories(connection, wanted, "selected_repos");
        Config.rememberRepositories(config, repositories, wanted);
      }
      config.put(Config.SELECTED_REPOS, List.copyOf(wanted));
      details.put("selected_repos", Integer.toString(wanted.size()));
    }
    if (autoSync != null) {
      config.put(Config.AUTO_SYNC, autoSync);
      details.put("auto_sync", autoSync.toString());
    }
    OAuthConnection updated = connection.withConfig(config, clock.instant());
    if (!connections.updateConfig(updated)) {
      throw new NotFoundException("GitHub is not connected");
    }
    appendAudit(audit(userId, AuditEvent.Actions.UPDATE, AuditEvent.Outcome.SUCCESS, null, context, details));
    if (repositories == null) {
      return view(userId);
    }
    return view(updated, repositories, ConnectionStatus.CONNECTED);
  }

  // ---------------------------------------------------------------- disconnect

  /**
   * {@inheritDoc}
   *
   * <p>The shared {@link ConnectionDisconnect}: GitHub's grant is revoked ({@code DELETE /applications/{client_id}/grant}
   * with a usable access token), then the connection is deleted locally whatever GitHub answered. Audit
   * {@code integration.disconnect}: outcome success when GitHub revoked the grant; failure with reason
   * {@code no_token} (no usable token: needs re-authorization, unreadable, refresh failed) or {@code revoke_failed}
   * (GitHub answered with an error or was unreachable); details {@code upstream_revoked} and
   * {@code upstream_revocation}. Without a connection: success with reason {@code not_configured} and no GitHub
   * call.
   */
  @Override
  public void disconnect(UserId userId, RequestContext context) {
    repoCache.remove(userId);
    disconnects.disconnect(userId, Provider.GITHUB, context);
    repoCache.remove(userId);
  }

  // ---------------------------------------------------------------- sync requests

  /**
   * {@inheritDoc}
   *
   * <p>Checks, all reported together: {@code project_ids} non-empty, at most {@value #MAX_PROJECTS_PER_SYNC}, each a
   * well-formed id the user has ({@link ProjectSource}), each with paths that can be written
   * ({@link ProjectLayout#invalidPaths}); {@code repository_id} one of the user's repositories.
   *
   * @throws NotFoundException when GitHub is not connected
   * @throws ReauthRequiredException when the connection needs a new authorization
   */
  @Override
  public SyncJob requestSync(UserId userId, long repositoryId, List<String> projectIds, RequestContext context) {
    OAuthConnection connection = requireConnection(userId);
    List<FieldError> errors = new ArrayList<>();
    List<String> ids = checkProjects(userId, projectIds, errors);
    Optional<GitHubRepository> repository = findRepository(connection, repositoryId);
    if (repository.isEmpty()) {
      errors.add(new FieldError("repository_id", "repository " + repositoryId + " is not one of your repositories"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    rememberRepository(connection, repository.get());
    Instant now = clock.instant();
    SyncJob job = SyncJob.queued(userId, repositoryId, ids, now);
    jobs.save(job);
    scheduler.schedule(JobScheduler.SYNC_TASK, job.id().toString(), now);
    appendAudit(audit(userId, SYNC_REQUESTED, AuditEvent.Outcome.SUCCESS, null, context, Map.of(
        "job_id", job.id().toString(),
        "repository_id", Long.toString(repositoryId),
        "repository", repository.get().fullName(),
        "projects", Integer.toString(ids.size()))));
    return job;
  }

  @Override
  public SyncJob job(UserId userId, UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return jobs.find(userId, jobId).orElseThrow(() -> new NotFoundException("No such sync job"));
  }

  @Override
  public List<SyncJob> jobs(UserId userId, int limit) {
    if (limit < 1 || limit > MAX_JOBS_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + MAX_JOBS_LIMIT);
    }
    return jobs.recent(userId, limit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Does nothing when GitHub is not connected (or needs re-authorization), auto-sync is off or no repository is
   * selected. Otherwise, per selected repository, the project joins the pending set and the execution
   * {@code <user>:<repository>} of {@link JobScheduler#AUTO_SYNC_TASK} moves to now + debounce.
   *
   * @throws ValidationException naming {@code project_id} for a malformed id
   */
  @Override
  public void projectChanged(UserId userId, String projectId) {
    if (projectId == null || !PROJECT_ID.matcher(projectId).matches()) {
      throw ValidationException.of("project_id", "is not a project id");
    }
    Optional<OAuthConnection> connection = connections.find(userId, Provider.GITHUB);
    if (connection.isEmpty() || connection.get().status() != ConnectionStatus.CONNECTED
        || !Config.autoSync(connection.get().config())) {
      return;
    }
    List<Long> selected = Config.selectedRepos(connection.get().config());
    Instant at = clock.instant().plus(autoSyncDebounce);
    for (long repositoryId : selected) {
      jobs.addPending(userId, repositoryId, projectId);
      scheduler.scheduleOrPostpone(JobScheduler.AUTO_SYNC_TASK, autoSyncInstance(userId, repositoryId), at);
    }
  }

  /** @return the instance id of a user's auto-sync to a repository, {@code <user id>:<repository id>} */
  public static String autoSyncInstance(UserId userId, long repositoryId) {
    return userId + ":" + repositoryId;
  }

  // ---------------------------------------------------------------- internals

  private OAuthConnection requireConnection(UserId userId) {
    return connections.find(userId, Provider.GITHUB)
        .orElseThrow(() -> new NotFoundException("GitHub is not connected"));
  }

  private List<String> checkProjects(UserId userId, List<String> projectIds, List<FieldError> errors) {
    if (projectIds == null || projectIds.isEmpty()) {
      errors.add(new FieldError("project_ids", "name at least one project"));
      return List.of();
    }
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(projectIds));
    if (ids.size() > MAX_PROJECTS_PER_SYNC) {
      errors.add(new FieldError("project_ids", "at most " + MAX_PROJECTS_PER_SYNC + " projects per sync"));
      return List.of();
    }
    List<String> malformed = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<String> badPaths = new ArrayList<>();
    Map<String, String> folders = new HashMap<>();
    List<String> sharedFolders = new ArrayList<>();
    for (String id : ids) {
      if (id == null || !PROJECT_ID.matcher(id).matches()) {
        malformed.add(String.valueOf(id));
        continue;
      }
      Optional<Project> project = projects.load(userId, id);
      if (project.isEmpty()) {
        unknown.add(id);
        continue;
      }
      List<String> invalid = ProjectLayout.invalidPaths(project.get());
      if (!invalid.isEmpty()) {
        badPaths.add(id + " (" + String.join("; ", invalid) + ")");
      }
      // Two projects whose ids share the first 8 characters and whose names give the same slug would share a folder.
      String other = folders.putIfAbsent(ProjectLayout.slug(project.get().name(), id), id);
      if (other != null) {
        sharedFolders.add(other + " and " + id);
      }
    }
    if (!malformed.isEmpty()) {
      errors.add(new FieldError("project_ids", "malformed project ids: " + shortList(malformed)));
    }
    if (!unknown.isEmpty()) {
      errors.add(new FieldError("project_ids", "unknown projects: " + String.join(", ", unknown)));
    }
    if (!badPaths.isEmpty()) {
      errors.add(new FieldError("project_ids", "projects with file paths that cannot be synced "
          + "(absolute, .., backslash, ...): " + String.join(", ", badPaths)));
    }
    if (!sharedFolders.isEmpty()) {
      errors.add(new FieldError("project_ids", "projects would share one folder (sync them separately or rename "
          + "one): " + String.join(", ", sharedFolders)));
    }
    return ids;
  }

  private static String shortList(List<String> values) {
    List<String> shown = new ArrayList<>();
    for (String v : values.subList(0, Math.min(values.size(), 10))) {
      shown.add(v.length() > 40 ? v.substring(0, 40) + "…" : v);
    }
    return String.join(", ", shown) + (values.size() > 10 ? ", …" : "");
  }

  private static List<Long> dedupe(List<Long> ids, String field) {
    Set<Long> unique = new LinkedHashSet<>();
    for (Long id : ids) {
      if (id == null) {
        throw ValidationException.of(field, "must not contain null");
      }
      unique.add(id);
    }
    return List.copyOf(unique);
  }

  /**
   * @return all the user's repositories, having checked that every wanted id is among them
   * @throws ValidationException naming {@code field} and the unknown ids
   */
  private List<GitHubRepository> knownRepositories(OAuthConnection connection, List<Long> wanted, String field) {
    Repos repos = repositories(connection, false);
    List<Long> unknown = missing(repos.list(), wanted);
    if (!unknown.isEmpty() && !repos.fresh()) {
      repos = repositories(connection, true);
      unknown = missing(repos.list(), wanted);
    }
    if (!unknown.isEmpty()) {
      throw ValidationException.of(field, "not among your repositories: "
          + String.join(", ", unknown.stream().map(String::valueOf).toList()));
    }
    return repos.list();
  }

  private Optional<GitHubRepository> findRepository(OAuthConnection connection, long repositoryId) {
    Repos repos = repositories(connection, false);
    Optional<GitHubRepository> found = find(repos.list(), repositoryId);
    if (found.isEmpty() && !repos.fresh()) {
      found = find(repositories(connection, true).list(), repositoryId);
    }
    return found;
  }

  private static Optional<GitHubRepository> find(List<GitHubRepository> list, long id) {
    return list.stream().filter(r -> r.id() == id).findFirst();
  }

  private static List<Long> missing(List<GitHubRepository> list, List<Long> wanted) {
    Set<Long> have = new java.util.HashSet<>();
    list.forEach(r -> have.add(r.id()));
    return wanted.stream().filter(id -> !have.contains(id)).toList();
  }

  /** The user's repositories, from the cache unless it is stale, belongs to another account or {@code refresh}. */
  private Repos repositories(OAuthConnection connection, boolean refresh) {
    UserId userId = connection.userId();
    Instant now = clock.instant();
    CachedRepos cached = repoCache.get(userId);
    if (!refresh && cached != null && Objects.equals(cached.accountId(), connection.accountId())
        && now.isBefore(cached.fetchedAt().plus(repoCacheTtl))) {
      return new Repos(cached.repositories(), false);
    }
    Secret token = tokens.accessToken(userId, Provider.GITHUB);
    List<GitHubRepository> list = List.copyOf(github.repositories(token));
    if (repoCache.size() >= CACHE_SWEEP_SIZE) {
      repoCache.values().removeIf(c -> !now.isBefore(c.fetchedAt().plus(repoCacheTtl)));
    }
    repoCache.put(userId, new CachedRepos(connection.accountId(), list, now));
    return new Repos(list, true);
  }

  /** Stores where a repository is (owner, name, default branch), so the background sync needs no lookup. */
  private void rememberRepository(OAuthConnection connection, GitHubRepository repository) {
    if (Config.repositoryRef(connection.config(), repository.id()).filter(ref -> ref.matches(repository))
        .isPresent()) {
      return;
    }
    try {
      OAuthConnection current = connections.find(connection.userId(), Provider.GITHUB).orElse(connection);
      Map<String, Object> config = new LinkedHashMap<>(current.config());
      Config.rememberRepositories(config, List.of(repository), List.of(repository.id()));
      connections.updateConfig(current.withConfig(config, clock.instant()));
    } catch (RuntimeException e) {
      // Only an optimisation: the sync looks the repository up itself when it is not remembered.
      LOG.log(Level.WARNING, "Could not remember the repository's location: " + e.getClass().getSimpleName());
    }
  }

  private GitHubView view(OAuthConnection connection, List<GitHubRepository> repositories, ConnectionStatus status) {
    Map<String, Object> config = connection.config();
    Set<Long> selected = new java.util.HashSet<>(Config.selectedRepos(config));
    Map<String, Instant> lastSync = Config.lastSync(config);
    List<GitHubView.Repository> repos = new ArrayList<>(repositories.size());
    for (GitHubRepository r : repositories) {
      repos.add(new GitHubView.Repository(r.id(), r.name(), r.fullName(), r.isPrivate(), selected.contains(r.id()),
          lastSync.get(Long.toString(r.id()))));
    }
    List<String> scopes = connection.scopes().isEmpty() ? Config.strings(config.get(Config.SCOPES))
        : connection.scopes();
    return new GitHubView(status == ConnectionStatus.CONNECTED, Config.string(config, Config.USERNAME),
        Config.string(config, Config.AVATAR_URL), Config.string(config, Config.EMAIL), connection.connectedAt(),
        repos, Config.autoSync(config), scopes, status.key());
  }

  private static GitHubView notConfigured() {
    return new GitHubView(false, null, null, null, null, List.of(), false, List.of(), "not_configured");
  }

  private void appendAudit(AuditEvent event) {
    try {
      auditLog.append(event);
    } catch (RuntimeException e) {
      // the change itself is done; only its trail entry is lost
      LOG.log(Level.WARNING, "Could not append an audit event: " + e.getClass().getSimpleName());
    }
  }

  private AuditEvent audit(UserId userId, String action, AuditEvent.Outcome outcome, String reason,
      RequestContext context, Map<String, String> details) {
    return new AuditEvent(UUID.randomUUID(), userId, Provider.GITHUB, action, outcome, reason,
        context == null ? RequestContext.internal("internal") : context, clock.instant(), details);
  }

  /**
   * The GitHub keys of {@link OAuthConnection#config()} and tolerant readers for them (values may come back from
   * JSON storage as Integer, Long, Double or String).
   *
   * <ul>
   *   <li>{@code username}, {@code avatar_url}, {@code email}: the profile (written at connect)
   *   <li>{@code scopes}: list of strings
   *   <li>{@code auto_sync}: boolean
   *   <li>{@code selected_repos}: list of repository ids (numbers)
   *   <li>{@code last_sync}: map repository id (string) → ISO-8601 instant of the last successful sync
   *   <li>{@code repo_refs}: map repository id (string) → {@code {owner, name, default_branch}}, where the
   *       repositories a sync may target are, so the background sync needs no repository lookup
   * </ul>
   */
  static final class Config {
    static final String USERNAME = "username";
    static final String AVATAR_URL = "avatar_url";
    static final String EMAIL = "email";
    static final String SCOPES = "scopes";
    static final String AUTO_SYNC = "auto_sync";
    static final String SELECTED_REPOS = "selected_repos";
    static final String LAST_SYNC = "last_sync";
    static final String REPO_REFS = "repo_refs";

    private Config() {}

    /** Where a repository is. */
    record RepoRef(String owner, String name, String defaultBranch) {
      boolean matches(GitHubRepository r) {
        return owner.equals(r.owner()) && name.equals(r.name()) && defaultBranch.equals(r.defaultBranch());
      }
    }

    static String string(Map<String, Object> config, String key) {
      Object v = config.get(key);
      return v == null ? null : v.toString();
    }

    static boolean autoSync(Map<String, Object> config) {
      Object v = config.get(AUTO_SYNC);
      return v instanceof Boolean b ? b : v instanceof String s && Boolean.parseBoolean(s);
    }

    static List<String> strings(Object value) {
      if (!(value instanceof List<?> list)) {
        return List.of();
      }
      return list.stream().filter(Objects::nonNull).map(Object::toString).toList();
    }

    static List<Long> selectedRepos(Map<String, Object> config) {
      if (!(config.get(SELECTED_REPOS) instanceof List<?> list)) {
        return List.of();
      }
      Set<Long> ids = new LinkedHashSet<>();
      for (Object o : list) {
        if (o instanceof Number n) {
          ids.add(n.longValue());
        } else if (o instanceof String s) {
          try {
            ids.add(Long.parseLong(s.trim()));
          } catch (NumberFormatException ignored) {
            // not an id; skipped
          }
        }
      }
      return List.copyOf(ids);
    }

    static Map<String, Instant> lastSync(Map<String, Object> config) {
      if (!(config.get(LAST_SYNC) instanceof Map<?, ?> map)) {
        return Map.of();
      }
      Map<String, Instant> out = new HashMap<>();
      map.forEach((k, v) -> {
        if (k != null && v != null) {
          try {
            out.put(k.toString(), Instant.parse(v.toString()));
          } catch (DateTimeParseException ignored) {
            // unreadable timestamp; shown as never synced
          }
        }
      });
      return out;
    }

    /** @return a copy of {@code config} with {@code last_sync[repositoryId] = at} */
    static Map<String, Object> withLastSync(Map<String, Object> config, long repositoryId, Instant at) {
      Map<String, Object> copy = new LinkedHashMap<>(config);
      Map<String, Object> lastSync = new LinkedHashMap<>();
      if (config.get(LAST_SYNC) instanceof Map<?, ?> map) {
        map.forEach((k, v) -> lastSync.put(String.valueOf(k), v));
      }
      lastSync.put(Long.toString(repositoryId), at.toString());
      copy.put(LAST_SYNC, lastSync);
      return copy;
    }

    static Optional<RepoRef> repositoryRef(Map<String, Object> config, long repositoryId) {
      if (!(config.get(REPO_REFS) instanceof Map<?, ?> refs)
          || !(refs.get(Long.toString(repositoryId)) instanceof Map<?, ?> ref)) {
        return Optional.empty();
      }
      Object owner = ref.get("owner");
      Object name = ref.get("name");
      Object branch = ref.get("default_branch");
      if (owner == null || name == null || branch == null) {
        return Optional.empty();
      }
      return Optional.of(new RepoRef(owner.toString(), name.toString(), branch.toString()));
    }

    /** Puts {@code repo_refs} entries for the {@code wanted} repositories into {@code config} (changed in place). */
    static void rememberRepositories(Map<String, Object> config, List<GitHubRepository> repositories,
        List<Long> wanted) {
      Map<String, Object> refs = new LinkedHashMap<>();
      if (config.get(REPO_REFS) instanceof Map<?, ?> map) {
        map.forEach((k, v) -> refs.put(String.valueOf(k), v));
      }
      Set<Long> ids = new java.util.HashSet<>(wanted);
      for (GitHubRepository r : repositories) {
        if (ids.contains(r.id())) {
          refs.put(Long.toString(r.id()), Map.of("owner", r.owner(), "name", r.name(),
              "default_branch", r.defaultBranch()));
        }
      }
      config.put(REPO_REFS, refs);
    }
  }
}
