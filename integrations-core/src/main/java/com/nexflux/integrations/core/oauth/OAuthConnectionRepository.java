package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Stores OAuth connections in {@code user_integrations} (SPI). Writes that change state take their audit event
 * and store both in one transaction. Database failures surface as
 * {@link com.nexflux.integrations.core.error.UnavailableException}.
 */
public interface OAuthConnectionRepository {
  /** @return the user's connection to the provider */
  Optional<OAuthConnection> find(UserId userId, Provider provider);

  /** Inserts or replaces the connection (a new connect), with its audit row. */
  void save(OAuthConnection connection, AuditEvent audit);

  /**
   * Replaces the non-secret settings ({@code config}) with the given connection's, whatever is stored now; @return
   * false when no row exists. A read-modify-write must use {@link #changeConfig} instead, or it may undo a change
   * made between its read and this write.
   */
  boolean updateConfig(OAuthConnection connection);

  /**
   * Changes the non-secret settings ({@code config}) as one read-modify-write under the row lock
   * ({@link #withLock}): {@code change} is given the config as locked and its result is stored, with {@code audit}
   * when not null, in the same transaction. Two concurrent changes (a settings update and a sync recording its last
   * sync, say) therefore never undo each other, on any number of instances.
   *
   * @param change the new config from the current one (pure: it may run while the row is locked)
   * @param now the connection's new {@code updatedAt}
   * @param audit the change's audit row, or null
   * @return the connection as stored; empty when no row exists (nothing is written, not even the audit row)
   * @throws com.nexflux.integrations.core.error.UnavailableException when the store fails (nothing is written)
   */
  default Optional<OAuthConnection> changeConfig(UserId userId, Provider provider,
      UnaryOperator<Map<String, Object>> change, Instant now, AuditEvent audit) {
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(now, "now");
    return withLock(userId, provider, false, (current, writer) -> {
      OAuthConnection updated = current.withConfig(change.apply(current.config()), now);
      writer.update(updated, audit);
      return updated;
    });
  }

  /** Deletes the connection, with its audit row (written even when nothing was stored). @return whether a row went */
  boolean delete(UserId userId, Provider provider, AuditEvent audit);

  /**
   * Runs {@code work} inside one transaction holding the connection's row lock ({@code SELECT ... FOR UPDATE}), so
   * exactly one caller at a time, across every instance, sees and changes the row. Whatever {@code work} writes
   * through the {@link Writer} is committed before the lock is released.
   *
   * @param skipLocked when true and another transaction holds the lock, returns empty at once instead of waiting
   * @return the work's result; empty when no row exists (or, with {@code skipLocked}, when it is locked)
   */
  <T> Optional<T> withLock(UserId userId, Provider provider, boolean skipLocked, LockedWork<T> work);

  /**
   * @return connections in status connected, with a refresh token, whose access token expires before
   *     {@code expiringBefore}, soonest first, at most {@code limit}
   */
  List<Key> dueForRefresh(Instant expiringBefore, int limit);

  /**
   * The sweeper's query: as {@link #dueForRefresh(Instant, int)}, only for these providers (those whose
   * {@link GrantStrategy#refreshesAhead()}). The default filters the unrestricted query; repositories override it
   * with one query.
   *
   * @return connections of these providers in status connected, with a refresh token, whose access token expires
   *     before {@code expiringBefore}, soonest first, at most {@code limit}
   */
  default List<Key> dueForRefresh(Set<Provider> providers, Instant expiringBefore, int limit) {
    if (providers.isEmpty()) {
      return List.of();
    }
    return dueForRefresh(expiringBefore, limit).stream().filter(k -> providers.contains(k.provider())).toList();
  }

  /** Identifies a connection. */
  record Key(UserId userId, Provider provider) {}

  /** Work done under the row lock. */
  @FunctionalInterface
  interface LockedWork<T> {
    /**
     * @param current the row as locked
     * @param writer writes inside the same transaction
     */
    T run(OAuthConnection current, Writer writer);
  }

  /** Writes inside a {@link #withLock} transaction. */
  interface Writer {
    /** Replaces the locked row's tokens, status and config; {@code audit} may be null. */
    void update(OAuthConnection updated, AuditEvent audit);
  }
}
