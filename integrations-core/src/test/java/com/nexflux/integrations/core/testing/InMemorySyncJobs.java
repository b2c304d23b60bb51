package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.sync.SyncJobRepository;
import com.nexflux.integrations.core.sync.SyncTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A {@link SyncJobRepository} in memory. {@link #recent} orders by {@code createdAt}, newest first, and by order of
 * first saving among equal times (later first). Pending auto-sync projects are kept per target, each once, in order
 * of arrival; a target's debounce key is made on its first pending project and kept. {@link #save(SyncJob,
 * AuditEvent)} appends to the attached audit log (when there is one) together with the job. Thread-safe.
 */
public final class InMemorySyncJobs implements SyncJobRepository {
  private final Map<UUID, SyncJob> jobs = new LinkedHashMap<>(); // guarded by this; insertion order
  private final Map<UUID, Long> order = new HashMap<>();
  private final Map<SyncTarget, Set<String>> pending = new HashMap<>();
  private final Map<SyncTarget, UUID> keys = new HashMap<>();
  private final List<SyncJob> saves = new ArrayList<>();
  private final InMemoryAuditLog auditLog;
  private long nextOrder;

  /** An empty store without an audit log. */
  public InMemorySyncJobs() {
    this(null);
  }

  /** An empty store that writes the audit rows of {@link #save(SyncJob, AuditEvent)} into {@code auditLog}. */
  public InMemorySyncJobs(InMemoryAuditLog auditLog) {
    this.auditLog = auditLog;
  }

  @Override
  public synchronized void save(SyncJob job) {
    Objects.requireNonNull(job, "job");
    jobs.put(job.id(), job);
    order.putIfAbsent(job.id(), nextOrder++);
    saves.add(job);
  }

  @Override
  public synchronized void save(SyncJob job, AuditEvent audit) {
    Objects.requireNonNull(audit, "audit");
    if (auditLog == null) {
      throw new IllegalStateException("no audit log attached");
    }
    auditLog.append(audit);
    save(job);
  }

  @Override
  public synchronized Optional<SyncJob> find(UUID jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public synchronized Optional<SyncJob> find(UserId userId, UUID jobId) {
    return find(jobId).filter(j -> j.userId().equals(userId));
  }

  @Override
  public synchronized List<SyncJob> recent(UserId userId, Provider provider, int limit) {
    return jobs.values().stream()
        .filter(j -> j.userId().equals(userId) && j.provider().equals(provider))
        .sorted(Comparator.comparing(SyncJob::createdAt).thenComparing(j -> order.get(j.id())).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized UUID addPending(SyncTarget target, String projectId) {
    pending.computeIfAbsent(target, k -> new LinkedHashSet<>()).add(projectId);
    return keys.computeIfAbsent(target, k -> UUID.randomUUID());
  }

  @Override
  public synchronized Optional<SyncTarget> pendingTarget(UUID debounceKey) {
    return keys.entrySet().stream().filter(e -> e.getValue().equals(debounceKey)).map(Map.Entry::getKey).findFirst();
  }

  @Override
  public synchronized List<String> takePending(SyncTarget target) {
    Set<String> taken = pending.remove(target);
    return taken == null ? List.of() : List.copyOf(taken);
  }

  // ---- test helpers ----

  /** @return the target's debounce key, when projects ever waited for it */
  public synchronized Optional<UUID> debounceKey(SyncTarget target) {
    return Optional.ofNullable(keys.get(target));
  }

  /** @return the projects waiting for the auto-sync, without taking them */
  public synchronized List<String> pending(SyncTarget target) {
    Set<String> p = pending.get(target);
    return p == null ? List.of() : List.copyOf(p);
  }

  /** @return every job stored, in order of first saving */
  public synchronized List<SyncJob> all() {
    return List.copyOf(jobs.values());
  }

  /** @return every {@link #save} call's job, in order (a job's history) */
  public synchronized List<SyncJob> saves() {
    return List.copyOf(saves);
  }

  /** @return the stored job (throws when missing) */
  public synchronized SyncJob get(UUID jobId) {
    SyncJob job = jobs.get(jobId);
    if (job == null) {
      throw new IllegalStateException("no job " + jobId);
    }
    return job;
  }
}
