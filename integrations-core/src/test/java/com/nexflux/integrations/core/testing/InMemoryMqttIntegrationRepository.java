package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.TestRecord;
import com.nexflux.integrations.core.mqtt.MqttIntegrationRepository;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A {@link MqttIntegrationRepository} in memory. Every write stores its audit event in the attached
 * {@link InMemoryAuditLog} atomically with the change (both or neither); {@link #recordTest} only records (and
 * audits) when the stored version is still the expected one. Thread-safe.
 *
 * <p>Outages: {@link #setDown(boolean)} makes every call (reads and writes, and the attached audit log) throw
 * {@link UnavailableException}, like a database that is gone; {@link #failNextWrites(boolean)} makes only the
 * writes throw while reads still work. Neither changes stored data.
 */
public final class InMemoryMqttIntegrationRepository implements MqttIntegrationRepository {
  private final InMemoryAuditLog auditLog;
  private final Map<UserId, MqttIntegration> rows = new HashMap<>(); // guarded by this
  private volatile boolean down;
  private volatile boolean failWrites;

  /** A repository with a fresh {@link InMemoryAuditLog} of its own ({@link #auditLog()}). */
  public InMemoryMqttIntegrationRepository() {
    this(new InMemoryAuditLog());
  }

  /** A repository that writes its audit rows into {@code auditLog} (share it with the service under test). */
  public InMemoryMqttIntegrationRepository(InMemoryAuditLog auditLog) {
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
  }

  /** @return the log this repository writes audit rows into */
  public InMemoryAuditLog auditLog() {
    return auditLog;
  }

  @Override
  public synchronized Optional<MqttIntegration> find(UserId userId) {
    failIfDown();
    return Optional.ofNullable(rows.get(userId));
  }

  @Override
  public synchronized void save(MqttIntegration integration, AuditEvent audit) {
    Objects.requireNonNull(integration, "integration");
    Objects.requireNonNull(audit, "audit");
    failWriteIfNeeded();
    auditLog.append(audit);
    rows.put(integration.userId(), integration);
  }

  @Override
  public synchronized boolean delete(UserId userId, AuditEvent audit) {
    Objects.requireNonNull(audit, "audit");
    failWriteIfNeeded();
    auditLog.append(audit);
    return rows.remove(userId) != null;
  }

  @Override
  public synchronized boolean recordTest(UserId userId, long expectedVersion, TestRecord test, AuditEvent audit) {
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(audit, "audit");
    failWriteIfNeeded();
    MqttIntegration current = rows.get(userId);
    if (current == null || current.version() != expectedVersion) {
      return false; // stale: neither the result nor its audit row is stored
    }
    auditLog.append(audit);
    rows.put(userId, current.withTest(test));
    return true;
  }

  // ---- test helpers (never fail, never audit) ----

  /** Stores {@code integration} as is, without an audit row: for arranging a test. */
  public synchronized InMemoryMqttIntegrationRepository store(MqttIntegration integration) {
    rows.put(integration.userId(), integration);
    return this;
  }

  /** Replaces the user's stored integration with {@code change(current)}, without an audit row. */
  public synchronized MqttIntegration modify(UserId userId, UnaryOperator<MqttIntegration> change) {
    MqttIntegration current = rows.get(userId);
    if (current == null) {
      throw new IllegalStateException("nothing stored for " + userId);
    }
    MqttIntegration changed = Objects.requireNonNull(change.apply(current), "changed");
    if (!changed.userId().equals(userId)) {
      throw new IllegalArgumentException("the change must keep the user id");
    }
    rows.put(userId, changed);
    return changed;
  }

  /** @return what is stored for the user, ignoring {@link #setDown} */
  public synchronized Optional<MqttIntegration> stored(UserId userId) {
    return Optional.ofNullable(rows.get(userId));
  }

  /** @return a copy of every stored row */
  public synchronized Map<UserId, MqttIntegration> snapshot() {
    return Map.copyOf(rows);
  }

  /** @return how many integrations are stored */
  public synchronized int size() {
    return rows.size();
  }

  /**
   * Simulates a database outage: while {@code true}, every call (and every call to the attached audit log)
   * throws {@link UnavailableException}.
   */
  public void setDown(boolean down) {
    this.down = down;
    auditLog.setDown(down);
  }

  /** While {@code true}, {@link #save}, {@link #delete} and {@link #recordTest} throw; reads still work. */
  public void failNextWrites(boolean fail) {
    this.failWrites = fail;
  }

  private void failIfDown() {
    if (down) {
      throw new UnavailableException("database is down (simulated)", null);
    }
  }

  private void failWriteIfNeeded() {
    failIfDown();
    if (failWrites) {
      throw new UnavailableException("database write failed (simulated)", null);
    }
  }
}
