package com.nexflux.integrations.core.sync;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores sync jobs of every provider and the projects waiting for a debounced auto-sync (SPI). Jobs and pending
 * projects are keyed by their {@link SyncTarget} (user, provider, target id).
 */
public interface SyncJobRepository {
  /** Inserts or replaces a job. */
  void save(SyncJob job);

  /** Inserts or replaces a job and appends its audit row, in one transaction. */
  void save(SyncJob job, AuditEvent audit);

  /** @return any user's job by id (for the runner) */
  Optional<SyncJob> find(UUID jobId);

  /** @return the user's job by id; another user's job is not found */
  Optional<SyncJob> find(UserId userId, UUID jobId);

  /** @return the user's most recent jobs to the provider's targets, newest first */
  List<SyncJob> recent(UserId userId, Provider provider, int limit);

  /**
   * Remembers that a project changed and waits for the debounced auto-sync to {@code target}.
   *
   * @return the target's debounce key: the same for every call with the same target, the instance id of its
   *     auto-sync execution
   */
  UUID addPending(SyncTarget target, String projectId);

  /** @return the target whose debounce key this is, when projects ever waited for it */
  Optional<SyncTarget> pendingTarget(UUID debounceKey);

  /** Removes and returns the projects waiting for an auto-sync to {@code target}, oldest first. */
  List<String> takePending(SyncTarget target);
}
