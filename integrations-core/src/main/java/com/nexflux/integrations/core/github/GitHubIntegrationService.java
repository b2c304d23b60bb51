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
import com.nexflux.integrations.core.sync.SyncTarget;
import com.nexflux.integrations.core.oauth.AccessTokens;
import com.nexflux.integrations.core.oauth.ConnectionDisconnect;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.sync.ProjectSource;
import com.nexflux.integrations.core.sync.SyncJobRepository;
import com.nexflux.integrations.core.sync.SyncService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * Sync requests and auto-sync go to the neutral {@link SyncService}; the sync itself is {@link GitHubSyncDestination}.
 *
 * <p>Settings and profile live in the connection's {@code config} as {@link GitHubSettings} (read and written only
 * through {@link GitHubSettingsCodec}); every change is a read-modify-write under the row lock
 * ({@link OAuthConnectionRepository#changeConfig}) with its audit row in the same transaction. The user's
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
  private final SyncService sync;
  private final ConnectionDisconnect disconnects;
  private final SyncJobRepository jobs;
  private final ProjectSource projects;
  private final Clock clock;
  private final Duration repoCacheTtl;
  private final Map<UserId, CachedRepos> repoCache = new ConcurrentHashMap<>();

  private record CachedRepos(String accountId, List<GitHubRepository> repositories, Instant fetchedAt) {}

  private record Repos(List<GitHubRepository> list, boolean fresh) {}

  /**
   * @param tokens usable access tokens (refreshed when about to expire)
   * @param sync the sync service ({@link GitHubSyncDestination} registered with it)
   * @param jobs the sync jobs (read for the job endpoints)
   * @param disconnects the shared disconnect (revocation upstream, local delete, audit)
   * @param repoCacheTtl how long a user's repository list is reused (60 s)
   */
  public GitHubIntegrationService(OAuthConnectionRepository connections, AccessTokens tokens, GitHubApi github,
      ConnectionDisconnect disconnects, SyncService sync, SyncJobRepository jobs, ProjectSource projects, Clock clock,
      Duration repoCacheTtl) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.github = Objects.requireNonNull(github, "github");
    this.disconnects = Objects.requireNonNull(disconnects, "disconnects");
    this.sync = Objects.requireNonNull(sync, "sync");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.projects = Objects.requireNonNull(projects, "projects");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.repoCacheTtl = Objects.requireNonNull(repoCacheTtl, "repoCacheTtl");
    if (repoCacheTtl.isNegative()) {
      throw new IllegalArgumentException("repoCacheTtl must not be negative");
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

  /**
   * {@inheritDoc}
   *
   * <p>The ids are checked first (against GitHub, outside any lock); then the settings change and their audit row
   * ({@code integration.update}, details {@code auto_sync}, {@code selected_repos} count) are written in one
   * transaction under the row lock, so a sync recording its last sync at the same moment is kept.
   */
  @Override
  public GitHubView updateSettings(UserId userId, Boolean autoSync, List<Long> selectedRepos,
      RequestContext context) {
    OAuthConnection connection = requireConnection(userId);
    List<GitHubRepository> repositories = null;
    List<Long> wanted = null;
    Map<String, String> details = new LinkedHashMap<>();
    if (selectedRepos != null) {
      wanted = dedupe(selectedRepos, "selected_repos");
      if (wanted.size() > MAX_SELECTED_REPOS) {
        throw ValidationException.of("selected_repos", "at most " + MAX_SELECTED_REPOS + " repositories");
      }
      if (!wanted.isEmpty()) {
        repositories = knownRepositories(connection, wanted, "selected_repos");
      }
      details.put("selected_repos", Integer.toString(wanted.size()));
    }
    if (autoSync != null) {
      details.put("auto_sync", autoSync.toString());
    }
    List<Long> selection = wanted;
    Set<Long> wantedIds = wanted == null ? Set.of() : new java.util.HashSet<>(wanted);
    List<GitHubRepository> located = repositories == null ? List.of()
        : repositories.stream().filter(r -> wantedIds.contains(r.id())).toList();
    OAuthConnection updated = connections.changeConfig(userId, Provider.GITHUB, GitHubSettingsCodec.change(s -> {
      GitHubSettings next = s;
      if (selection != null) {
        next = next.withRepoRefs(located).withSelectedRepos(selection);
      }
      if (autoSync != null) {
        next = next.withAutoSync(autoSync);
      }
      return next;
    }), clock.instant(), audit(userId, AuditEvent.Actions.UPDATE, AuditEvent.Outcome.SUCCESS, null, context, details))
        .orElseThrow(() -> new NotFoundException("GitHub is not connected"));
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
    SyncTarget target = GitHubSyncDestination.target(userId, repositoryId);
    String fullName = repository.get().fullName();
    // the job and its audit row are stored in one transaction
    return sync.request(target, ids, job -> audit(userId, SYNC_REQUESTED, AuditEvent.Outcome.SUCCESS, null, context,
        Map.of("job_id", job.id().toString(),
            "repository_id", Long.toString(repositoryId),
            "repository", fullName,
            "projects", Integer.toString(ids.size()))));
  }

  @Override
  public SyncJob job(UserId userId, UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return jobs.find(userId, jobId).filter(j -> j.provider().equals(Provider.GITHUB))
        .orElseThrow(() -> new NotFoundException("No such sync job"));
  }

  @Override
  public List<SyncJob> jobs(UserId userId, int limit) {
    if (limit < 1 || limit > MAX_JOBS_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + MAX_JOBS_LIMIT);
    }
    return jobs.recent(userId, Provider.GITHUB, limit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Does nothing when GitHub is not connected (or needs re-authorization), auto-sync is off or no repository is
   * selected. Otherwise, per selected repository, the project goes to {@link SyncService#changed} (pending set,
   * debounced auto-sync).
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
        || !GitHubSettingsCodec.decode(connection.get().config()).autoSync()) {
      return;
    }
    for (long repositoryId : GitHubSettingsCodec.decode(connection.get().config()).selectedRepos()) {
      sync.changed(GitHubSyncDestination.target(userId, repositoryId), projectId);
    }
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
    if (GitHubSettingsCodec.decode(connection.config()).repoRef(repository.id())
        .filter(ref -> ref.equals(GitHubSettings.RepoRef.of(repository))).isPresent()) {
      return;
    }
    try {
      connections.changeConfig(connection.userId(), Provider.GITHUB,
          GitHubSettingsCodec.change(s -> s.withRepoRefs(List.of(repository))), clock.instant(), null);
    } catch (RuntimeException e) {
      // Only an optimisation: the sync looks the repository up itself when it is not remembered.
      LOG.log(Level.WARNING, "Could not remember the repository's location: " + e.getClass().getSimpleName());
    }
  }

  private GitHubView view(OAuthConnection connection, List<GitHubRepository> repositories, ConnectionStatus status) {
    GitHubSettings settings = GitHubSettingsCodec.decode(connection.config());
    Set<Long> selected = new java.util.HashSet<>(settings.selectedRepos());
    List<GitHubView.Repository> repos = new ArrayList<>(repositories.size());
    for (GitHubRepository r : repositories) {
      repos.add(new GitHubView.Repository(r.id(), r.name(), r.fullName(), r.isPrivate(), selected.contains(r.id()),
          settings.lastSync().get(r.id())));
    }
    List<String> scopes = connection.scopes().isEmpty() ? settings.scopes() : connection.scopes();
    GitHubSettings.Profile profile = settings.profile();
    return new GitHubView(status == ConnectionStatus.CONNECTED, profile.username(), profile.avatarUrl(),
        profile.email(), connection.connectedAt(), repos, settings.autoSync(), scopes, status.key());
  }

  private static GitHubView notConfigured() {
    return new GitHubView(false, null, null, null, null, List.of(), false, List.of(), "not_configured");
  }

  private AuditEvent audit(UserId userId, String action, AuditEvent.Outcome outcome, String reason,
      RequestContext context, Map<String, String> details) {
    return new AuditEvent(UUID.randomUUID(), userId, Provider.GITHUB, action, outcome, reason,
        context == null ? RequestContext.internal("internal") : context, clock.instant(), details);
  }
}
