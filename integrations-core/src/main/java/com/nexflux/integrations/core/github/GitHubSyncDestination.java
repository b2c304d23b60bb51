package com.nexflux.integrations.core.github;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.github.GitHubSettings.RepoRef;
import com.nexflux.integrations.core.oauth.AccessTokens;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.sync.Project;
import com.nexflux.integrations.core.sync.SyncDestination;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.sync.SyncTarget;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GitHub's {@link SyncDestination}: a target is a repository (target id = GitHub's repository id as text), and a push
 * writes the projects ({@link ProjectLayout}) to the repository's default branch as ONE commit through the Git Data
 * API, with a number of calls that does not depend on the number of projects or files:
 * <ol>
 *   <li>{@code headCommit} of the default branch;
 *   <li>{@code tree(head)}, recursive: every desired file's git blob SHA-1 is computed locally and compared with
 *       the tree's entry; when nothing differs the push succeeds with no commit and no write at all;
 *   <li>{@code createTree} on the head's tree with the changed files only, text inline (UTF-8), binary files (not
 *       UTF-8, or containing NUL) by blob SHA, each made by one {@code createBlob} first;
 *   <li>{@code createCommit} "NexFlux sync: &lt;n&gt; project(s)" with the head as its only parent;
 *   <li>{@code updateRef}, fast-forward only. When GitHub refuses (the branch moved), steps 1-5 run again on the new
 *       head (blobs already made are reused), at most {@code maxNonFastForwardRetries} more times; then the job fails.
 * </ol>
 * So text-only syncs cost 5 calls when something changed and 2 when nothing did, plus one {@code createBlob} per
 * changed binary file. The repository's owner, name and default branch come from the settings' repository
 * locations ({@link GitHubSettings#repoRefs()}, written when the sync was requested or the repository selected);
 * only when they are missing, or GitHub answers 404 for them, one {@code repositories} lookup is made.
 *
 * <p>A project's manifest is rewritten (with a new {@code synced_at}) only when one of its files changed or the
 * manifest is missing, so an unchanged project produces no diff. When GitHub truncates the tree (over 100,000
 * entries or 7 MB) nothing can be compared: every desired file counts as changed. Files that were removed from a
 * project stay in the repository (the tree port cannot delete).
 *
 * <p>A connection that needs re-authorization, a refused or unreadable token, a missing repository or branch and
 * projects that cannot be placed are {@link SyncDestination.Failure}s with a message; rate limits and
 * unavailability pass through for the {@link com.nexflux.integrations.core.sync.SyncService} to retry. The last sync
 * is recorded in the settings with a read-modify-write under the row lock, so it never undoes a settings update.
 */
public final class GitHubSyncDestination implements SyncDestination {
  /**
   * The task names of releases before the neutral sync service: executions scheduled under them before an upgrade
   * still run (the composition root registers both).
   */
  public static final String LEGACY_SYNC_TASK = "github-sync";
  /** See {@link #LEGACY_SYNC_TASK}; its instance ids are {@code <user id>:<repository id>}. */
  public static final String LEGACY_AUTO_SYNC_TASK = "github-auto-sync";

  private static final Logger LOG = Logger.getLogger(GitHubSyncDestination.class.getName());

  private final OAuthConnectionRepository connections;
  private final AccessTokens tokens;
  private final GitHubApi github;
  private final Clock clock;
  private final int maxNonFastForwardRetries;

  /** A file to write: where, what, and whether it goes inline. */
  private record Change(String repoPath, byte[] content, String sha, boolean text) {}

  /**
   * @param maxNonFastForwardRetries how many times a sync starts again on a moved branch (3)
   */
  public GitHubSyncDestination(OAuthConnectionRepository connections, AccessTokens tokens, GitHubApi github,
      Clock clock, int maxNonFastForwardRetries) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.github = Objects.requireNonNull(github, "github");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxNonFastForwardRetries < 0) {
      throw new IllegalArgumentException("maxNonFastForwardRetries must not be negative");
    }
    this.maxNonFastForwardRetries = maxNonFastForwardRetries;
  }

  /** @return the sync target of a user's repository */
  public static SyncTarget target(UserId userId, long repositoryId) {
    return new SyncTarget(userId, Provider.GITHUB, Long.toString(repositoryId));
  }

  /** @return the repository a GitHub job writes to */
  public static long repositoryId(SyncJob job) {
    return repositoryId(job.target());
  }

  /**
   * @return the repository of a GitHub target
   * @throws IllegalArgumentException for another provider's target or a target id that is no repository id
   */
  public static long repositoryId(SyncTarget target) {
    if (!target.provider().equals(Provider.GITHUB)) {
      throw new IllegalArgumentException("not a GitHub target");
    }
    return Long.parseLong(target.targetId());
  }

  /**
   * The target of an execution of {@link #LEGACY_AUTO_SYNC_TASK}, scheduled before the upgrade with instance id
   * {@code <user id>:<repository id>}; the only place that reads that form.
   *
   * @return the target, or empty for a malformed instance id
   */
  public static Optional<SyncTarget> legacyAutoSyncTarget(String instanceId) {
    int colon = instanceId == null ? -1 : instanceId.lastIndexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(target(new UserId(UUID.fromString(instanceId.substring(0, colon))),
          Long.parseLong(instanceId.substring(colon + 1))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public Provider provider() {
    return Provider.GITHUB;
  }

  @Override
  public String displayName() {
    return "GitHub";
  }

  @Override
  public Pushed push(SyncTarget target, List<Project> projects) {
    long repositoryId = repositoryId(target);
    try {
      Secret token = tokens.accessToken(target.userId(), Provider.GITHUB);
      List<ProjectLayout.Placed> placed = place(projects);
      RepoRef repo = repository(target.userId(), repositoryId, token, false);
      try {
        return commit(token, repo, placed);
      } catch (NotFoundException e) {
        // The remembered location may be stale (renamed, default branch changed): look it up once.
        RepoRef fresh = repository(target.userId(), repositoryId, token, true);
        if (fresh.equals(repo)) {
          throw new Failure("The branch " + repo.defaultBranch() + " of " + repo.owner() + "/" + repo.name()
              + " was not found (an empty repository needs a first commit)");
        }
        return commit(token, fresh, placed);
      }
    } catch (ReauthRequiredException e) {
      throw new Failure("The GitHub connection must be authorized again; reconnect GitHub and sync again");
    } catch (OAuthGrantException e) {
      throw new Failure("GitHub refused the stored token; reconnect GitHub and sync again");
    } catch (SecretUnreadableException e) {
      throw new Failure("The stored GitHub token cannot be read; reconnect GitHub and sync again");
    } catch (NotFoundException e) {
      throw new Failure("Not found: " + e.getMessage());
    }
  }

  @Override
  public boolean autoSyncWanted(SyncTarget target) {
    long repositoryId = repositoryId(target);
    Optional<OAuthConnection> connection = connections.find(target.userId(), Provider.GITHUB);
    return connection.isPresent() && connection.get().status() == ConnectionStatus.CONNECTED
        && GitHubSettingsCodec.decode(connection.get().config()).autoSync()
        && GitHubSettingsCodec.decode(connection.get().config()).selected(repositoryId);
  }

  @Override
  public void synced(SyncTarget target, Instant at) {
    long repositoryId = repositoryId(target);
    connections.changeConfig(target.userId(), Provider.GITHUB,
        GitHubSettingsCodec.change(s -> s.withLastSync(repositoryId, at)), at, null);
  }

  // ---------------------------------------------------------------- the push

  private static List<ProjectLayout.Placed> place(List<Project> projects) {
    List<ProjectLayout.Placed> placed = new ArrayList<>();
    Map<String, String> folders = new HashMap<>();
    for (Project project : projects) {
      ProjectLayout.Placed p;
      try {
        p = ProjectLayout.place(project);
      } catch (IllegalArgumentException e) {
        throw new Failure(e.getMessage());
      }
      String other = folders.putIfAbsent(p.slug(), p.projectId());
      if (other != null) {
        throw new Failure("Projects " + other + " and " + p.projectId() + " would share the folder "
            + p.folder() + "; sync them separately or rename one");
      }
      placed.add(p);
    }
    return placed;
  }

  /** Where the repository is: remembered in the settings, or looked up (and remembered) once. */
  private RepoRef repository(UserId userId, long repositoryId, Secret token, boolean lookUp) {
    OAuthConnection connection = connections.find(userId, Provider.GITHUB)
        .orElseThrow(() -> new Failure("GitHub is not connected any more"));
    if (!lookUp) {
      Optional<RepoRef> known = GitHubSettingsCodec.decode(connection.config()).repoRef(repositoryId);
      if (known.isPresent()) {
        return known.get();
      }
    }
    GitHubRepository found = github.repositories(token).stream()
        .filter(r -> r.id() == repositoryId)
        .findFirst()
        .orElseThrow(() -> new Failure("Repository " + repositoryId
            + " is not among the repositories this GitHub account can access any more"));
    try {
      connections.changeConfig(userId, Provider.GITHUB,
          GitHubSettingsCodec.change(s -> s.withRepoRefs(List.of(found))), clock.instant(), null);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not remember the repository's location: " + e.getClass().getSimpleName());
    }
    return RepoRef.of(found);
  }

  private Pushed commit(Secret token, RepoRef repo, List<ProjectLayout.Placed> placed) {
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
        return new Pushed(null, 0);
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
        return new Pushed(commit, changes.size());
      }
      if (attempt < maxNonFastForwardRetries) {
        LOG.log(Level.INFO, "The branch moved during a sync to " + repo.owner() + "/" + repo.name()
            + "; starting again on the new head (retry " + (attempt + 1) + " of " + maxNonFastForwardRetries + ")");
      }
    }
    throw new Failure("The branch " + repo.defaultBranch() + " kept moving during the sync (not a fast "
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
}
