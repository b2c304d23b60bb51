package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.sync.SyncJobRepository;
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
 * first saving among equal times (later first). Pending auto-sync projects are kept per user and repository, each
 * once, in order of arrival. Thread-safe.
 */
public final class InMemorySyncJobs implements SyncJobRepository {
  private record Key(UserId userId, long repositoryId) {}

  private final Map<UUID, SyncJob> jobs = new LinkedHashMap<>(); // guarded by this; insertion order
  private final Map<UUID, Long> order = new HashMap<>();
  private final Map<Key, Set<String>> pending = new HashMap<>();
  private final List<SyncJob> saves = new ArrayList<>();
  private long nextOrder;

  /** An empty store. */
  public InMemorySyncJobs() {}

  @Override
  public synchronized void save(SyncJob job) {
    Objects.requireNonNull(job, "job");
    jobs.put(job.id(), job);
    order.putIfAbsent(job.id(), nextOrder++);
    saves.add(job);
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
  public synchronized List<SyncJob> recent(UserId userId, int limit) {
    return jobs.values().stream()
        .filter(j -> j.userId().equals(userId))
        .sorted(Comparator.comparing(SyncJob::createdAt).thenComparing(j -> order.get(j.id())).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized void addPending(UserId userId, long repositoryId, String projectId) {
    pending.computeIfAbsent(new Key(userId, repositoryId), k -> new LinkedHashSet<>()).add(projectId);
  }

  @Override
  public synchronized List<String> takePending(UserId userId, long repositoryId) {
    Set<String> taken = pending.remove(new Key(userId, repositoryId));
    return taken == null ? List.of() : List.copyOf(taken);
  }

  // ---- test helpers ----

  /** @return the projects waiting for the auto-sync, without taking them */
  public synchronized List<String> pending(UserId userId, long repositoryId) {
    Set<String> p = pending.get(new Key(userId, repositoryId));
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
