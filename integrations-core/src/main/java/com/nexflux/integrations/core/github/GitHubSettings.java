package com.nexflux.integrations.core.github;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The GitHub connection's non-secret settings and profile, typed: what its {@code config} JSON holds. Read and
 * written only through {@link GitHubSettingsCodec}; changed with the {@code with...} methods, which return copies.
 *
 * @param profile the GitHub account shown in the view (written at connect)
 * @param scopes the granted scopes as an older connect wrote them into the config (the connection's own scopes win)
 * @param autoSync whether changed projects sync automatically to the selected repositories
 * @param selectedRepos the repositories selected for auto-sync, each once, in the order chosen
 * @param lastSync repository id to the time a sync to it last succeeded
 * @param repoRefs repository id to where it is (owner, name, default branch), so the background sync needs no lookup
 * @param other keys this codec does not know, kept unchanged so that a write never drops them
 */
public record GitHubSettings(
    Profile profile,
    List<String> scopes,
    boolean autoSync,
    List<Long> selectedRepos,
    Map<Long, Instant> lastSync,
    Map<Long, RepoRef> repoRefs,
    Map<String, Object> other) {

  /** A new connection's settings: auto-sync off, nothing selected, no profile. */
  public static final GitHubSettings INITIAL = new GitHubSettings(Profile.EMPTY, List.of(), false, List.of(),
      Map.of(), Map.of(), Map.of());

  public GitHubSettings {
    Objects.requireNonNull(profile, "profile");
    scopes = List.copyOf(scopes);
    selectedRepos = List.copyOf(new LinkedHashSet<>(selectedRepos));
    lastSync = Collections.unmodifiableMap(new LinkedHashMap<>(lastSync));
    repoRefs = Collections.unmodifiableMap(new LinkedHashMap<>(repoRefs));
    other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
    lastSync.forEach((k, v) -> Objects.requireNonNull(v, "lastSync value"));
    repoRefs.forEach((k, v) -> Objects.requireNonNull(v, "repoRefs value"));
  }

  /**
   * The profile of the GitHub account.
   *
   * @param username the login, or null
   * @param avatarUrl the avatar URL, or null
   * @param email the primary verified email, or null
   */
  public record Profile(String username, String avatarUrl, String email) {
    /** No profile known. */
    public static final Profile EMPTY = new Profile(null, null, null);

    /** @return the profile of an account */
    public static Profile of(GitHubAccount account) {
      return new Profile(account.login(), account.avatarUrl(), account.email());
    }
  }

  /**
   * Where a repository is.
   *
   * @param owner the owner's login
   * @param name the repository's name
   * @param defaultBranch the branch a sync writes to
   */
  public record RepoRef(String owner, String name, String defaultBranch) {
    public RepoRef {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(defaultBranch, "defaultBranch");
    }

    /** @return where {@code repository} is */
    public static RepoRef of(GitHubRepository repository) {
      return new RepoRef(repository.owner(), repository.name(), repository.defaultBranch());
    }
  }

  /** @return whether {@code repositoryId} is selected for auto-sync */
  public boolean selected(long repositoryId) {
    return selectedRepos.contains(repositoryId);
  }

  /** @return where the repository is, when remembered */
  public Optional<RepoRef> repoRef(long repositoryId) {
    return Optional.ofNullable(repoRefs.get(repositoryId));
  }

  /** @return a copy with auto-sync on or off */
  public GitHubSettings withAutoSync(boolean on) {
    return new GitHubSettings(profile, scopes, on, selectedRepos, lastSync, repoRefs, other);
  }

  /** @return a copy with these repositories selected (replacing the selection) */
  public GitHubSettings withSelectedRepos(List<Long> ids) {
    return new GitHubSettings(profile, scopes, autoSync, ids, lastSync, repoRefs, other);
  }

  /** @return a copy that records a successful sync to {@code repositoryId} at {@code at} */
  public GitHubSettings withLastSync(long repositoryId, Instant at) {
    Map<Long, Instant> copy = new LinkedHashMap<>(lastSync);
    copy.put(repositoryId, Objects.requireNonNull(at, "at"));
    return new GitHubSettings(profile, scopes, autoSync, selectedRepos, copy, repoRefs, other);
  }

  /** @return a copy that remembers where these repositories are */
  public GitHubSettings withRepoRefs(List<GitHubRepository> repositories) {
    Map<Long, RepoRef> copy = new LinkedHashMap<>(repoRefs);
    for (GitHubRepository r : repositories) {
      copy.put(r.id(), RepoRef.of(r));
    }
    return new GitHubSettings(profile, scopes, autoSync, selectedRepos, lastSync, copy, other);
  }
}
