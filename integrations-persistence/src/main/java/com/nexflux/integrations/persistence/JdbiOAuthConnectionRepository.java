package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.persistence.internal.AuditRows;
import com.nexflux.integrations.persistence.internal.Db;
import com.nexflux.integrations.persistence.internal.OAuthRows;
import com.nexflux.integrations.persistence.internal.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;
import org.postgresql.util.PGobject;

/**
 * {@link OAuthConnectionRepository} on the spec's {@code user_integrations} table: one row per user and OAuth
 * provider ({@code provider} = {@link Provider#key()}); MQTT rows belong to {@link JdbiMqttIntegrationRepository}
 * and are refused here ({@link IllegalArgumentException}).
 *
 * <p>Row layout: {@code access_token} and {@code refresh_token} hold the ciphertexts exactly as given (NULL when
 * absent); {@code token_expires_at} is UTC wall-clock time (see the package documentation); {@code config} is
 * {@link OAuthConnection#config()} as JSON; {@code metadata} is {@code {status, account_id, scopes,
 * refresh_token_expires_at, credentials_version}}; {@code enabled} is true; {@code connected_at} and
 * {@code updated_at} follow the connection, {@code created_at} is set on the first save and kept.
 *
 * <p><b>Row lock.</b> {@link #withLock} runs one transaction: {@code SET LOCAL lock_timeout = '10s'},
 * {@code SELECT ... FOR UPDATE} (or {@code FOR UPDATE SKIP LOCKED}) on the row, the caller's work (which may call a
 * remote token endpoint while the lock is held: that is the single flight across every server instance), the writes
 * made through the {@link Writer}, commit. A lock not granted within 10 s is an {@link UnavailableException}. The
 * session also gets {@code idle_in_transaction_session_timeout = '120s'}, so a hung caller cannot hold the lock
 * forever (the server ends its session and the transaction rolls back).
 *
 * <p>Every database failure surfaces as {@link UnavailableException}; an exception thrown by the work rolls the
 * transaction back and propagates unchanged.
 */
public final class JdbiOAuthConnectionRepository implements OAuthConnectionRepository {
  /** How long {@link #withLock} waits for the row lock. */
  public static final String LOCK_TIMEOUT = "10s";
  /** How long a {@link #withLock} transaction may sit idle (the work running in Java) before the server ends it. */
  public static final String IDLE_IN_TRANSACTION_TIMEOUT = "120s";

  private static final String WHERE_ROW = " FROM user_integrations WHERE user_id = :user_id AND provider = :provider";
  private static final String FIND = "SELECT " + OAuthRows.COLUMNS + WHERE_ROW;
  private static final String LOCK = FIND + " FOR UPDATE";
  private static final String LOCK_SKIP = FIND + " FOR UPDATE SKIP LOCKED";

  private static final String UPSERT = """
      INSERT INTO user_integrations
        (user_id, provider, enabled, config, access_token, refresh_token, token_expires_at, metadata, connected_at,
         created_at, updated_at)
      VALUES
        (:user_id, :provider, true, :config, :access_token, :refresh_token,
         timezone('UTC', CAST(:token_expires_at AS timestamptz)), :metadata,
         timezone('UTC', CAST(:connected_at AS timestamptz)),
         timezone('UTC', CAST(:connected_at AS timestamptz)),
         timezone('UTC', CAST(:updated_at AS timestamptz)))
      ON CONFLICT (user_id, provider) DO UPDATE
         SET enabled = true,
             config = EXCLUDED.config,
             access_token = EXCLUDED.access_token,
             refresh_token = EXCLUDED.refresh_token,
             token_expires_at = EXCLUDED.token_expires_at,
             metadata = EXCLUDED.metadata,
             connected_at = EXCLUDED.connected_at,
             updated_at = EXCLUDED.updated_at
      """;

  private static final String UPDATE_CONFIG = """
      UPDATE user_integrations
         SET config = :config, updated_at = timezone('UTC', CAST(:updated_at AS timestamptz))
       WHERE user_id = :user_id AND provider = :provider
      """;

  private static final String UPDATE_LOCKED = """
      UPDATE user_integrations
         SET config = :config,
             access_token = :access_token,
             refresh_token = :refresh_token,
             token_expires_at = timezone('UTC', CAST(:token_expires_at AS timestamptz)),
             metadata = :metadata,
             updated_at = timezone('UTC', CAST(:updated_at AS timestamptz))
       WHERE user_id = :user_id AND provider = :provider
      """;

  private static final String DELETE = "DELETE" + WHERE_ROW;

  private static final String DUE = """
      SELECT user_id, provider
        FROM user_integrations
       WHERE provider <> 'mqtt'
         AND metadata ->> 'status' = :connected
         AND refresh_token IS NOT NULL
         AND token_expires_at < timezone('UTC', CAST(:before AS timestamptz))
       ORDER BY token_expires_at, user_id, provider
       LIMIT :limit
      """;

  private static final String DUE_FOR = """
      SELECT user_id, provider
        FROM user_integrations
       WHERE provider IN (<providers>)
         AND metadata ->> 'status' = :connected
         AND refresh_token IS NOT NULL
         AND token_expires_at < timezone('UTC', CAST(:before AS timestamptz))
       ORDER BY token_expires_at, user_id, provider
       LIMIT :limit
      """;

  private final Jdbi jdbi;

  /** @param dataSource the database (a private JDBI is made on it; {@link PostgresPersistence} shares one) */
  public JdbiOAuthConnectionRepository(DataSource dataSource) {
    this(Db.jdbi(dataSource));
  }

  JdbiOAuthConnectionRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  private static Provider oauth(Provider provider) {
    Objects.requireNonNull(provider, "provider");
    if (provider.equals(Provider.MQTT)) {
      throw new IllegalArgumentException("MQTT rows are not OAuth connections");
    }
    return provider;
  }

  /**
   * {@inheritDoc}
   *
   * @throws UnavailableException when the database fails or the stored row cannot be read back
   */
  @Override
  public Optional<OAuthConnection> find(UserId userId, Provider provider) {
    Objects.requireNonNull(userId, "userId");
    oauth(provider);
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(FIND)
        .bind("user_id", userId.value())
        .bind("provider", provider.key())
        .map((rs, ctx) -> OAuthRows.map(rs))
        .findOne()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code config} holds a value Jackson cannot write as JSON
   * @throws UnavailableException when the database fails, including a missing {@code users} row (nothing is stored)
   */
  @Override
  public void save(OAuthConnection connection, AuditEvent audit) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(audit, "audit");
    oauth(connection.provider());
    Row row = new Row(connection);
    Db.run(() -> jdbi.useTransaction(h -> {
      row.bindAll(h.createUpdate(UPSERT))
          .bind("connected_at", Timestamps.bind(connection.connectedAt()))
          .execute();
      AuditRows.insert(h, audit);
    }));
  }

  /**
   * {@inheritDoc} Also sets {@code updated_at} to the connection's {@link OAuthConnection#updatedAt()}; tokens,
   * status and metadata are left alone.
   *
   * @throws UnavailableException when the database fails
   */
  @Override
  public boolean updateConfig(OAuthConnection connection) {
    Objects.requireNonNull(connection, "connection");
    oauth(connection.provider());
    PGobject config = OAuthRows.config(connection);
    return Db.call(() -> jdbi.withHandle(h -> h.createUpdate(UPDATE_CONFIG)
        .bind("config", config)
        .bind("updated_at", Timestamps.bind(connection.updatedAt()))
        .bind("user_id", connection.userId().value())
        .bind("provider", connection.provider().key())
        .execute()) > 0);
  }

  /**
   * {@inheritDoc}
   *
   * @throws UnavailableException when the database fails (nothing is deleted)
   */
  @Override
  public boolean delete(UserId userId, Provider provider, AuditEvent audit) {
    Objects.requireNonNull(userId, "userId");
    oauth(provider);
    Objects.requireNonNull(audit, "audit");
    return Db.call(() -> jdbi.inTransaction(h -> {
      int deleted = h.createUpdate(DELETE)
          .bind("user_id", userId.value())
          .bind("provider", provider.key())
          .execute();
      AuditRows.insert(h, audit);
      return deleted > 0;
    }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A {@code null} result of the work reads as empty. The {@link Writer} may be called any number of times while
   * the work runs (each call replaces the row again) and refuses calls after it; the connection it is given must be
   * the locked one's user and provider.
   *
   * @throws UnavailableException when the database fails, the lock is not granted within {@value #LOCK_TIMEOUT} or
   *     the commit fails (nothing the work wrote is stored)
   * @throws RuntimeException whatever the work threw, unchanged (nothing it wrote is stored)
   */
  @Override
  public <T> Optional<T> withLock(UserId userId, Provider provider, boolean skipLocked, LockedWork<T> work) {
    Objects.requireNonNull(userId, "userId");
    oauth(provider);
    Objects.requireNonNull(work, "work");
    try {
      return jdbi.inTransaction(h -> {
        h.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
        h.execute("SET LOCAL idle_in_transaction_session_timeout = '" + IDLE_IN_TRANSACTION_TIMEOUT + "'");
        Optional<OAuthConnection> current = h.createQuery(skipLocked ? LOCK_SKIP : LOCK)
            .bind("user_id", userId.value())
            .bind("provider", provider.key())
            .map((rs, ctx) -> OAuthRows.map(rs))
            .findOne();
        if (current.isEmpty()) {
          return Optional.<T>empty();
        }
        LockedWriter writer = new LockedWriter(h, userId, provider);
        T result;
        try {
          result = work.run(current.get(), writer);
        } catch (RuntimeException e) {
          throw new WorkFailed(e);
        } finally {
          writer.closed = true;
        }
        return Optional.ofNullable(result);
      });
    } catch (WorkFailed e) {
      throw e.failure;
    } catch (IntegrationsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnavailableException(Db.UNAVAILABLE, e);
    }
  }

  /**
   * {@inheritDoc} Only OAuth rows (never MQTT) that hold a refresh token; ties are ordered by user id.
   *
   * @throws IllegalArgumentException when {@code limit} is below 1
   * @throws UnavailableException when the database fails
   */
  @Override
  public List<Key> dueForRefresh(Instant expiringBefore, int limit) {
    Objects.requireNonNull(expiringBefore, "expiringBefore");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(DUE)
        .bind("connected", ConnectionStatus.CONNECTED.key())
        .bind("before", Timestamps.bind(expiringBefore))
        .bind("limit", limit)
        .map((rs, ctx) -> new Key(new UserId(rs.getObject("user_id", UUID.class)),
            Provider.fromKey(rs.getString("provider")).orElseThrow()))
        .list()));
  }

  /** The sweeper's query, restricted to the providers whose grant strategy refreshes ahead of expiry. */
  @Override
  public List<Key> dueForRefresh(Set<Provider> providers, Instant expiringBefore, int limit) {
    Objects.requireNonNull(providers, "providers");
    Objects.requireNonNull(expiringBefore, "expiringBefore");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    if (providers.isEmpty()) {
      return List.of();
    }
    List<String> keys = providers.stream().map(p -> oauth(p).key()).sorted().toList();
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(DUE_FOR)
        .bindList("providers", keys)
        .bind("connected", ConnectionStatus.CONNECTED.key())
        .bind("before", Timestamps.bind(expiringBefore))
        .bind("limit", limit)
        .map((rs, ctx) -> new Key(new UserId(rs.getObject("user_id", UUID.class)),
            Provider.fromKey(rs.getString("provider")).orElseThrow()))
        .list()));
  }

  @Override
  public String toString() {
    return "JdbiOAuthConnectionRepository";
  }

  /** The bound values of one connection (converted before any database work, so bad input never reaches it). */
  private static final class Row {
    private final OAuthConnection connection;
    private final PGobject config;
    private final PGobject metadata;

    Row(OAuthConnection connection) {
      this.connection = connection;
      this.config = OAuthRows.config(connection);
      this.metadata = OAuthRows.metadata(connection);
    }

    Update bindAll(Update update) {
      return update
          .bind("user_id", connection.userId().value())
          .bind("provider", connection.provider().key())
          .bind("config", config)
          .bind("access_token", OAuthRows.ciphertext(connection.accessToken()))
          .bind("refresh_token", OAuthRows.ciphertext(connection.refreshToken()))
          .bind("token_expires_at", Timestamps.bind(connection.tokenExpiresAt()))
          .bind("metadata", metadata)
          .bind("updated_at", Timestamps.bind(connection.updatedAt()));
    }
  }

  /** The {@link Writer} of one {@link #withLock} transaction. */
  private static final class LockedWriter implements Writer {
    private final Handle handle;
    private final UserId userId;
    private final Provider provider;
    private volatile boolean closed;

    LockedWriter(Handle handle, UserId userId, Provider provider) {
      this.handle = handle;
      this.userId = userId;
      this.provider = provider;
    }

    @Override
    public void update(OAuthConnection updated, AuditEvent audit) {
      Objects.requireNonNull(updated, "updated");
      if (closed) {
        throw new IllegalStateException("the lock of this writer has been released");
      }
      if (!updated.userId().equals(userId) || !updated.provider().equals(provider)) {
        throw new IllegalArgumentException("the connection is not the locked one");
      }
      Row row = new Row(updated);
      Db.run(() -> {
        int changed = row.bindAll(handle.createUpdate(UPDATE_LOCKED)).execute();
        if (changed != 1) {
          throw new IllegalStateException("the locked row is gone");
        }
        if (audit != null) {
          AuditRows.insert(handle, audit);
        }
      });
    }
  }

  /** Carries the work's own failure through JDBI's rollback. */
  private static final class WorkFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RuntimeException failure;

    WorkFailed(RuntimeException failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }
}
