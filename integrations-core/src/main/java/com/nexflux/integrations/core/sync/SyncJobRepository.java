package com.nexflux.integrations.core.sync;

import com.nexflux.integrations.core.domain.UserId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores sync jobs and the projects waiting for a debounced auto-sync (SPI). */
public interface SyncJobRepository {
  /** Inserts or replaces a job. */
  void save(SyncJob job);

  /** @return any user's job by id (for the runner) */
  Optional<SyncJob> find(UUID jobId);

  /** @return the user's job by id; another user's job is not found */
  Optional<SyncJob> find(UserId userId, UUID jobId);

  /** @return the user's most recent jobs, newest first */
  List<SyncJob> recent(UserId userId, int limit);

  /** Remembers that a project changed and waits for the debounced auto-sync to {@code repositoryId}. */
  void addPending(UserId userId, long repositoryId, String projectId);

  /** Removes and returns the projects waiting for an auto-sync to {@code repositoryId}. */
  List<String> takePending(UserId userId, long repositoryId);
}
