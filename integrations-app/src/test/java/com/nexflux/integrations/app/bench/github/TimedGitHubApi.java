package com.nexflux.integrations.app.bench.github;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.github.GitHubRepository;
import com.nexflux.integrations.core.github.GitTree;
import com.nexflux.integrations.core.github.NewTreeEntry;
import com.nexflux.integrations.core.github.GitHubApi;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Wraps the production {@code OkHttpGitHubApi} and adds up the wall time spent inside its calls (HTTP round trip
 * plus the fake's own work, including its OpenAPI validation), so the report can say whether a sync's time goes to
 * GitHub calls or to the rest of the job (loading projects, hashing, database). It changes no behaviour.
 */
final class TimedGitHubApi implements GitHubApi {
  private final GitHubApi delegate;
  private final AtomicLong nanos = new AtomicLong();

  TimedGitHubApi(GitHubApi delegate) {
    this.delegate = delegate;
  }

  /** @return nanoseconds spent in calls since the last reset, and resets */
  long takeNanos() {
    return nanos.getAndSet(0);
  }

  private <T> T timed(Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
    }
  }

  @Override
  public GitHubAccount currentUser(Secret token) {
    return timed(() -> delegate.currentUser(token));
  }

  @Override
  public List<GitHubRepository> repositories(Secret token) {
    return timed(() -> delegate.repositories(token));
  }

  @Override
  public String headCommit(Secret token, String owner, String repo, String branch) {
    return timed(() -> delegate.headCommit(token, owner, repo, branch));
  }

  @Override
  public GitTree tree(Secret token, String owner, String repo, String commitOrTreeSha) {
    return timed(() -> delegate.tree(token, owner, repo, commitOrTreeSha));
  }

  @Override
  public String createBlob(Secret token, String owner, String repo, byte[] content) {
    return timed(() -> delegate.createBlob(token, owner, repo, content));
  }

  @Override
  public String createTree(Secret token, String owner, String repo, String baseTree, List<NewTreeEntry> entries) {
    return timed(() -> delegate.createTree(token, owner, repo, baseTree, entries));
  }

  @Override
  public String createCommit(Secret token, String owner, String repo, String message, String treeSha,
      String parentSha) {
    return timed(() -> delegate.createCommit(token, owner, repo, message, treeSha, parentSha));
  }

  @Override
  public boolean updateRef(Secret token, String owner, String repo, String branch, String commitSha) {
    return timed(() -> delegate.updateRef(token, owner, repo, branch, commitSha));
  }
}
