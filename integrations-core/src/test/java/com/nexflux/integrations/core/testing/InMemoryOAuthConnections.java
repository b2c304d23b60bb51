package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * An {@link OAuthConnectionRepository} in memory that behaves like the PostgreSQL one where it matters for
 * concurrency: {@link #withLock} holds a real per-row {@link ReentrantLock} ({@code tryLock} for
 * {@code skipLocked}) for the whole work, so several service objects ("instances") sharing one repository really
 * queue; what the work writes is staged and committed (row and audit event together) only when the work returns,
 * and discarded when it throws (a rollback). Plain reads see committed rows without waiting, like MVCC reads.
 * Writes outside {@code withLock} take the row lock too, like an {@code UPDATE}. Thread-safe.
 *
 * <p>Outages: {@link #setDown(boolean)} makes every call (and the attached audit log) throw
 * {@link UnavailableException}; {@link #failNextCommit()} makes the next {@code withLock} commit fail after its
 * work ran (a crash between the provider's answer and the commit).
 */
public final class InMemoryOAuthConnections implements OAuthConnectionRepository {
  private final InMemoryAuditLog auditLog;
  private final Map<Key, OAuthConnection> rows = new HashMap<>(); // guarded by this
  private final ConcurrentHashMap<Key, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final AtomicInteger lockedUpdates = new AtomicInteger();
  private final AtomicInteger skippedLocks = new AtomicInteger();
  private volatile boolean down;
  private volatile boolean failNextCommit;
  private java.util.Set<Provider> lastDueProviders; // guarded by this

  /** A repository with a fresh audit log of its own. */
  public InMemoryOAuthConnections() {
    this(new InMemoryAuditLog());
  }

  /** A repository that writes its audit rows into {@code auditLog} (share it with the services under test). */
  public InMemoryOAuthConnections(InMemoryAuditLog auditLog) {
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
  }

  /** @return the log this repository writes audit rows into */
  public InMemoryAuditLog auditLog() {
    return auditLog;
  }

  @Override
  public synchronized Optional<OAuthConnection> find(UserId userId, Provider provider) {
    failIfDown();
    return Optional.ofNullable(rows.get(new Key(userId, provider)));
  }

  @Override
  public void save(OAuthConnection connection, AuditEvent audit) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(audit, "audit");
    Key key = new Key(connection.userId(), connection.provider());
    ReentrantLock lock = lock(key);
    lock.lock();
    try {
      synchronized (this) {
        failIfDown();
        auditLog.append(audit);
        rows.put(key, connection);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public synchronized boolean updateConfig(OAuthConnection connection) {
    failIfDown();
    Key key = new Key(connection.userId(), connection.provider());
    OAuthConnection current = rows.get(key);
    if (current == null) {
      return false;
    }
    rows.put(key, current.withConfig(connection.config(), connection.updatedAt()));
    return true;
  }

  @Override
  public boolean delete(UserId userId, Provider provider, AuditEvent audit) {
    Objects.requireNonNull(audit, "audit");
    Key key = new Key(userId, provider);
    ReentrantLock lock = lock(key);
    lock.lock();
    try {
      synchronized (this) {
        failIfDown();
        auditLog.append(audit);
        return rows.remove(key) != null;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public <T> Optional<T> withLock(UserId userId, Provider provider, boolean skipLocked, LockedWork<T> work) {
    Objects.requireNonNull(work, "work");
    Key key = new Key(userId, provider);
    failIfDown();
    ReentrantLock lock = lock(key);
    if (skipLocked) {
      if (!lock.tryLock()) {
        skippedLocks.incrementAndGet();
        return Optional.empty();
      }
    } else {
      lock.lock();
    }
    try {
      OAuthConnection current;
      synchronized (this) {
        failIfDown();
        current = rows.get(key);
      }
      if (current == null) {
        return Optional.empty();
      }
      List<Staged> staged = new ArrayList<>();
      T result = work.run(current, (updated, audit) -> {
        Objects.requireNonNull(updated, "updated");
        if (!updated.userId().equals(userId) || !updated.provider().equals(provider)) {
          throw new IllegalArgumentException("the update must keep the locked row's user and provider");
        }
        staged.add(new Staged(updated, audit));
      });
      synchronized (this) {
        failIfDown();
        if (failNextCommit) {
          failNextCommit = false;
          throw new UnavailableException("commit failed (simulated)", null);
        }
        for (Staged s : staged) {
          if (s.audit() != null) {
            auditLog.append(s.audit());
          }
          rows.put(key, s.row());
          lockedUpdates.incrementAndGet();
        }
      }
      return Optional.ofNullable(result);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public synchronized List<Key> dueForRefresh(Instant expiringBefore, int limit) {
    failIfDown();
    return rows.entrySet().stream()
        .filter(e -> e.getValue().status() == ConnectionStatus.CONNECTED)
        .filter(e -> e.getValue().refreshToken() != null)
        .filter(e -> e.getValue().tokenExpiresAt() != null && e.getValue().tokenExpiresAt().isBefore(expiringBefore))
        .sorted(Comparator.comparing((Map.Entry<Key, OAuthConnection> e) -> e.getValue().tokenExpiresAt()))
        .limit(limit)
        .map(Map.Entry::getKey)
        .toList();
  }

  @Override
  public synchronized List<Key> dueForRefresh(java.util.Set<Provider> providers, Instant expiringBefore, int limit) {
    failIfDown();
    lastDueProviders = java.util.Set.copyOf(providers);
    return rows.entrySet().stream()
        .filter(e -> providers.contains(e.getKey().provider()))
        .filter(e -> e.getValue().status() == ConnectionStatus.CONNECTED)
        .filter(e -> e.getValue().refreshToken() != null)
        .filter(e -> e.getValue().tokenExpiresAt() != null && e.getValue().tokenExpiresAt().isBefore(expiringBefore))
        .sorted(Comparator.comparing((Map.Entry<Key, OAuthConnection> e) -> e.getValue().tokenExpiresAt()))
        .limit(limit)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** @return the providers of the last provider-restricted {@code dueForRefresh}, or null */
  public synchronized java.util.Set<Provider> lastDueProviders() {
    return lastDueProviders;
  }

  private record Staged(OAuthConnection row, AuditEvent audit) {}

  private ReentrantLock lock(Key key) {
    return locks.computeIfAbsent(key, k -> new ReentrantLock());
  }

  // ---- test helpers (never fail, never audit) ----

  /** Stores {@code connection} as is, without an audit row: for arranging a test. */
  public synchronized InMemoryOAuthConnections store(OAuthConnection connection) {
    rows.put(new Key(connection.userId(), connection.provider()), connection);
    return this;
  }

  /** Replaces the stored row with {@code change(current)}, without an audit row. */
  public synchronized OAuthConnection modify(UserId userId, Provider provider, UnaryOperator<OAuthConnection> change) {
    Key key = new Key(userId, provider);
    OAuthConnection current = rows.get(key);
    if (current == null) {
      throw new IllegalStateException("nothing stored for " + userId + "/" + provider.key());
    }
    OAuthConnection changed = Objects.requireNonNull(change.apply(current), "changed");
    rows.put(key, changed);
    return changed;
  }

  /** @return what is stored, ignoring {@link #setDown} */
  public synchronized Optional<OAuthConnection> stored(UserId userId, Provider provider) {
    return Optional.ofNullable(rows.get(new Key(userId, provider)));
  }

  /** @return a copy of every stored row */
  public synchronized Map<Key, OAuthConnection> snapshot() {
    return Map.copyOf(rows);
  }

  /** @return how many rows are stored */
  public synchronized int size() {
    return rows.size();
  }

  /** @return how many row writes {@link #withLock} committed */
  public int lockedUpdates() {
    return lockedUpdates.get();
  }

  /** @return how often {@code withLock(skipLocked=true)} found the row locked and gave up */
  public int skippedLocks() {
    return skippedLocks.get();
  }

  /** @return whether some thread holds the row lock right now */
  public boolean isLocked(UserId userId, Provider provider) {
    ReentrantLock lock = locks.get(new Key(userId, provider));
    return lock != null && lock.isLocked();
  }

  /** While {@code true}, every call (and the attached audit log) throws {@link UnavailableException}. */
  public void setDown(boolean down) {
    this.down = down;
    auditLog.setDown(down);
  }

  /** Makes the next {@link #withLock} commit fail after its work ran: the staged writes are lost (rollback). */
  public void failNextCommit() {
    this.failNextCommit = true;
  }

  private void failIfDown() {
    if (down) {
      throw new UnavailableException("database is down (simulated)", null);
    }
  }
}
