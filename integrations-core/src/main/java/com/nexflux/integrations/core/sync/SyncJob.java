package com.nexflux.integrations.core.sync;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One sync of projects to a provider's target (GitHub: a repository; one commit at most).
 *
 * @param id the job id
 * @param userId the owner
 * @param provider the destination's provider
 * @param targetId the provider's id of the target (GitHub: the repository id as text)
 * @param projectIds the projects to write
 * @param status queued, running, succeeded or failed
 * @param commitSha the revision made (GitHub: the commit SHA), or {@code null} (also when nothing changed)
 * @param filesChanged how many files the sync changed (0 when nothing differed)
 * @param error a failure's message, or {@code null}
 * @param attempts how many times it ran
 * @param createdAt when it was requested
 * @param finishedAt when it ended, or {@code null}
 */
public record SyncJob(
    UUID id,
    UserId userId,
    Provider provider,
    String targetId,
    List<String> projectIds,
    Status status,
    String commitSha,
    int filesChanged,
    String error,
    int attempts,
    Instant createdAt,
    Instant finishedAt) {

  /** A job's state. */
  public enum Status {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED;

    /** @return the API spelling */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public SyncJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(targetId, "targetId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    projectIds = List.copyOf(projectIds);
  }

  /** A new queued job. */
  public static SyncJob queued(SyncTarget target, List<String> projectIds, Instant now) {
    return new SyncJob(UUID.randomUUID(), target.userId(), target.provider(), target.targetId(), projectIds, Status.QUEUED, null, 0, null, 0, now,
        null);
  }

  /** @return where the job writes */
  public SyncTarget target() {
    return new SyncTarget(userId, provider, targetId);
  }

  /** @return a copy in state running, one attempt more */
  public SyncJob running() {
    return new SyncJob(id, userId, provider, targetId, projectIds, Status.RUNNING, null, 0, null, attempts + 1, createdAt,
        null);
  }

  /** @return a copy back in state queued (waiting for a rate limit, say), with the reason */
  public SyncJob requeued(String reason) {
    return new SyncJob(id, userId, provider, targetId, projectIds, Status.QUEUED, null, 0, reason, attempts, createdAt,
        null);
  }

  /** @return a copy that succeeded */
  public SyncJob succeeded(String commit, int files, Instant now) {
    return new SyncJob(id, userId, provider, targetId, projectIds, Status.SUCCEEDED, commit, files, null, attempts,
        createdAt, now);
  }

  /** @return a copy that failed */
  public SyncJob failed(String reason, Instant now) {
    return new SyncJob(id, userId, provider, targetId, projectIds, Status.FAILED, null, 0, reason, attempts, createdAt,
        now);
  }
}
