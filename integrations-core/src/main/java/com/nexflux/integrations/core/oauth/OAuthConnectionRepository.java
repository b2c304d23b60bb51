package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

  /** Updates non-secret settings only ({@code config}); @return false when no row exists */
  boolean updateConfig(OAuthConnection connection);

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
