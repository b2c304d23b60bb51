package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A minimal {@link OAuthConnectionRepository} in memory for the GitHub use cases: find, save, updateConfig and
 * delete, each writing its audit event (if any) to the attached {@link InMemoryAuditLog}. {@link #withLock} runs the
 * work under this object's monitor (no skip-locked contention is simulated); {@link #dueForRefresh} is always empty.
 * Thread-safe.
 */
public final class InMemoryGitHubConnections implements OAuthConnectionRepository {
  private final InMemoryAuditLog auditLog;
  private final Map<Key, OAuthConnection> rows = new HashMap<>(); // guarded by this
  private int configUpdates;

  /** With a fresh audit log of its own. */
  public InMemoryGitHubConnections() {
    this(new InMemoryAuditLog());
  }

  /** Writes its audit rows into {@code auditLog}. */
  public InMemoryGitHubConnections(InMemoryAuditLog auditLog) {
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
  }

  /** @return the attached audit log */
  public InMemoryAuditLog auditLog() {
    return auditLog;
  }

  @Override
  public synchronized Optional<OAuthConnection> find(UserId userId, Provider provider) {
    return Optional.ofNullable(rows.get(new Key(userId, provider)));
  }

  @Override
  public synchronized void save(OAuthConnection connection, AuditEvent audit) {
    Objects.requireNonNull(connection, "connection");
    if (audit != null) {
      auditLog.append(audit);
    }
    rows.put(new Key(connection.userId(), connection.provider()), connection);
  }

  @Override
  public synchronized boolean updateConfig(OAuthConnection connection) {
    Key key = new Key(connection.userId(), connection.provider());
    OAuthConnection current = rows.get(key);
    if (current == null) {
      return false;
    }
    configUpdates++;
    rows.put(key, current.withConfig(connection.config(), connection.updatedAt()));
    return true;
  }

  @Override
  public synchronized boolean delete(UserId userId, Provider provider, AuditEvent audit) {
    Objects.requireNonNull(audit, "audit");
    auditLog.append(audit);
    return rows.remove(new Key(userId, provider)) != null;
  }

  @Override
  public synchronized <T> Optional<T> withLock(UserId userId, Provider provider, boolean skipLocked,
      LockedWork<T> work) {
    OAuthConnection current = rows.get(new Key(userId, provider));
    if (current == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(work.run(current, (updated, audit) -> {
      if (!updated.userId().equals(userId) || !updated.provider().equals(provider)) {
        throw new IllegalArgumentException("the locked row's user and provider must stay");
      }
      if (audit != null) {
        auditLog.append(audit);
      }
      rows.put(new Key(userId, provider), updated);
    }));
  }

  @Override
  public List<Key> dueForRefresh(Instant expiringBefore, int limit) {
    return List.of();
  }

  // ---- test helpers ----

  /** Stores a connection without an audit row. */
  public synchronized InMemoryGitHubConnections store(OAuthConnection connection) {
    rows.put(new Key(connection.userId(), connection.provider()), connection);
    return this;
  }

  /** @return the stored connection, or empty */
  public synchronized Optional<OAuthConnection> stored(UserId userId, Provider provider) {
    return Optional.ofNullable(rows.get(new Key(userId, provider)));
  }

  /** @return how many {@link #updateConfig} calls changed a row */
  public synchronized int configUpdates() {
    return configUpdates;
  }
}
