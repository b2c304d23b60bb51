package com.nexflux.integrations.http.support;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.github.GitHubIntegrations;
import com.nexflux.integrations.core.github.GitHubView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory double of the GitHub use cases; records what it was called with. */
public final class FakeGitHub implements GitHubIntegrations {
  public static final Instant CONNECTED_AT = Instant.parse("2026-01-10T08:00:00Z");
  public static final Instant LAST_SYNC = Instant.parse("2026-01-15T09:00:00Z");
  public static final UUID JOB_ID = UUID.fromString("7d9a3c1e-2b4f-4a6d-8e0f-1a2b3c4d5e6f");

  /** The connected view of the spec's example, plus a private repository never synced. */
  public static final GitHubView CONNECTED = new GitHubView(true, "johndoe", "https://github.com/johndoe.png",
      "john@example.com", CONNECTED_AT,
      List.of(new GitHubView.Repository(12345, "my-circuits", "johndoe/my-circuits", false, true, LAST_SYNC),
          new GitHubView.Repository(67890, "secret-lab", "johndoe/secret-lab", true, false, null)),
      true, List.of("repo", "read:user"), "connected");

  /** One call the double received. */
  public record ProjectChange(UserId user, String projectId) {}

  public volatile GitHubView view = CONNECTED;
  /** Thrown by every call when set. */
  public volatile RuntimeException failure;
  /** {@link #job} answers {@link NotFoundException} for any other id. */
  public volatile UUID knownJob = JOB_ID;

  public volatile String lastCall;
  public volatile UserId lastUser;
  public volatile RequestContext lastContext;
  public volatile Boolean lastAutoSync;
  public volatile List<Long> lastSelectedRepos;
  public volatile Long lastRepositoryId;
  public volatile List<String> lastProjectIds;
  public volatile UUID lastJobId;
  public volatile Integer lastLimit;
  public volatile int disconnects;
  public final List<ProjectChange> projectChanges = new CopyOnWriteArrayList<>();

  public static SyncJob queuedJob(UserId user, long repositoryId, List<String> projectIds) {
    return new SyncJob(JOB_ID, user, Provider.GITHUB, Long.toString(repositoryId), projectIds, SyncJob.Status.QUEUED, null, 0, null, 0,
        Instant.parse("2026-01-15T10:30:00Z"), null);
  }

  public static SyncJob succeededJob(UserId user) {
    return new SyncJob(JOB_ID, user, Provider.GITHUB, "12345", List.of("uuid-1"), SyncJob.Status.SUCCEEDED, "0123abcd", 2, null, 1,
        Instant.parse("2026-01-15T10:30:00Z"), Instant.parse("2026-01-15T10:30:05Z"));
  }

  @Override
  public GitHubView view(UserId userId) {
    called("view", userId, null);
    return view;
  }

  @Override
  public GitHubView updateSettings(UserId userId, Boolean autoSync, List<Long> selectedRepos,
      RequestContext context) {
    called("updateSettings", userId, context);
    lastAutoSync = autoSync;
    lastSelectedRepos = selectedRepos;
    return view;
  }

  @Override
  public void disconnect(UserId userId, RequestContext context) {
    called("disconnect", userId, context);
    disconnects++;
  }

  @Override
  public SyncJob requestSync(UserId userId, long repositoryId, List<String> projectIds, RequestContext context) {
    called("requestSync", userId, context);
    lastRepositoryId = repositoryId;
    lastProjectIds = projectIds;
    return queuedJob(userId, repositoryId, projectIds);
  }

  @Override
  public SyncJob job(UserId userId, UUID jobId) {
    called("job", userId, null);
    lastJobId = jobId;
    if (!jobId.equals(knownJob)) {
      throw new NotFoundException("No such sync job");
    }
    return succeededJob(userId);
  }

  @Override
  public List<SyncJob> jobs(UserId userId, int limit) {
    called("jobs", userId, null);
    lastLimit = limit;
    return List.of(succeededJob(userId));
  }

  @Override
  public void projectChanged(UserId userId, String projectId) {
    called("projectChanged", userId, null);
    projectChanges.add(new ProjectChange(userId, projectId));
  }

  private void called(String call, UserId user, RequestContext context) {
    lastCall = call;
    lastUser = user;
    lastContext = context;
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }
}
