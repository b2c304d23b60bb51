package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.IdentityRepository;
import com.nexflux.integrations.persistence.internal.AuditRows;
import com.nexflux.integrations.persistence.internal.Db;
import com.nexflux.integrations.persistence.internal.Timestamps;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link IdentityRepository} on the {@code user_identities} table (V2): {@code UNIQUE (provider,
 * provider_account_id)} makes one provider account link to at most one user.
 *
 * <p>{@link #signIn} (and {@link #findOrCreate}) runs in one transaction, with the sign-in's audit row: {@code INSERT INTO users ... ON CONFLICT DO NOTHING}, then
 * {@code INSERT INTO user_identities ... ON CONFLICT (provider, provider_account_id) DO NOTHING}. When a concurrent
 * first sign-in of the same account won, the second insert waits for it and does nothing, the linked user is read
 * back and the {@code users} row this call created for its candidate is removed again, so no orphan user is left.
 * Account ids are at most {@value #ACCOUNT_ID_MAX} characters.
 */
public final class JdbiIdentityRepository implements IdentityRepository {
  /** The width of {@code provider_account_id}. */
  public static final int ACCOUNT_ID_MAX = 200;

  private static final String FIND = """
      SELECT user_id FROM user_identities WHERE provider = :provider AND provider_account_id = :account_id
      """;
  private static final String INSERT_USER = "INSERT INTO users (id) VALUES (:id) ON CONFLICT DO NOTHING";
  private static final String DELETE_USER = "DELETE FROM users WHERE id = :id";
  private static final String LINK = """
      INSERT INTO user_identities (user_id, provider, provider_account_id)
      VALUES (:user_id, :provider, :account_id)
      ON CONFLICT (provider, provider_account_id) DO NOTHING
      """;

  private static final String LIST = """
      SELECT provider, provider_account_id, created_at FROM user_identities WHERE user_id = :user_id
      ORDER BY created_at, provider
      """;
  private static final String DELETE = "DELETE FROM user_identities WHERE user_id = :user_id AND provider = :provider";

  private final Jdbi jdbi;

  /** @param dataSource the database (a private JDBI is made on it; {@link PostgresPersistence} shares one) */
  public JdbiIdentityRepository(DataSource dataSource) {
    this(Db.jdbi(dataSource));
  }

  JdbiIdentityRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  private static String accountId(String accountId) {
    Objects.requireNonNull(accountId, "accountId");
    if (accountId.isBlank() || accountId.length() > ACCOUNT_ID_MAX || accountId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("accountId must be 1-" + ACCOUNT_ID_MAX + " characters");
    }
    return accountId;
  }

  private static Optional<UserId> find(Handle h, Provider provider, String accountId) {
    return h.createQuery(FIND)
        .bind("provider", provider.key())
        .bind("account_id", accountId)
        .mapTo(UUID.class)
        .findOne()
        .map(UserId::new);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException for an empty account id or one over {@value #ACCOUNT_ID_MAX} characters
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public Optional<UserId> findUser(Provider provider, String accountId) {
    Objects.requireNonNull(provider, "provider");
    accountId(accountId);
    return Db.call(() -> jdbi.withHandle(h -> find(h, provider, accountId)));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException for an empty account id or one over {@value #ACCOUNT_ID_MAX} characters
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails (nothing is stored)
   */
  @Override
  public Linked signIn(Provider provider, String accountId, UserId newUser,
      java.util.function.Function<Linked, AuditEvent> audit) {
    Objects.requireNonNull(provider, "provider");
    accountId(accountId);
    Objects.requireNonNull(newUser, "newUser");
    return Db.call(() -> jdbi.inTransaction(h -> {
      Linked linked = link(h, provider, accountId, newUser);
      if (audit != null) {
        AuditRows.insert(h, Objects.requireNonNull(audit.apply(linked), "audit"));
      }
      return linked;
    }));
  }

  private static Linked link(Handle h, Provider provider, String accountId, UserId newUser) {
    {
      Optional<UserId> existing = find(h, provider, accountId);
      if (existing.isPresent()) {
        return new Linked(existing.get(), false);
      }
      boolean userCreated = h.createUpdate(INSERT_USER).bind("id", newUser.value()).execute() == 1;
      int linked = h.createUpdate(LINK)
          .bind("user_id", newUser.value())
          .bind("provider", provider.key())
          .bind("account_id", accountId)
          .execute();
      if (linked == 1) {
        return new Linked(newUser, true);
      }
      if (userCreated) {
        h.createUpdate(DELETE_USER).bind("id", newUser.value()).execute();
      }
      UserId winner = find(h, provider, accountId)
          .orElseThrow(() -> new IllegalStateException("the identity vanished after a conflict"));
      return new Linked(winner, false);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException for an empty account id or one over {@value #ACCOUNT_ID_MAX} characters
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails, including a
   *     {@code userId} without a {@code users} row
   */
  @Override
  public boolean linkIfAbsent(Provider provider, String accountId, UserId userId) {
    Objects.requireNonNull(provider, "provider");
    accountId(accountId);
    Objects.requireNonNull(userId, "userId");
    return Db.call(() -> jdbi.withHandle(h -> h.createUpdate(LINK)
        .bind("user_id", userId.value())
        .bind("provider", provider.key())
        .bind("account_id", accountId)
        .execute()) == 1);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Rows with a provider key this release cannot parse are left out.
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public List<Identity> list(UserId userId) {
    Objects.requireNonNull(userId, "userId");
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(LIST)
        .bind("user_id", userId.value())
        .map((rs, ctx) -> Provider.fromKey(rs.getString("provider"))
            .map(p -> {
              try {
                return new Identity(p, rs.getString("provider_account_id"), Timestamps.read(rs, "created_at"));
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
            }))
        .list()
        .stream()
        .flatMap(java.util.Optional::stream)
        .toList()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails (nothing changes)
   */
  @Override
  public boolean delete(UserId userId, Provider provider, AuditEvent audit) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(audit, "audit");
    return Db.call(() -> jdbi.inTransaction(h -> {
      int deleted = h.createUpdate(DELETE).bind("user_id", userId.value()).bind("provider", provider.key()).execute();
      AuditRows.insert(h, audit);
      return deleted > 0;
    }));
  }

  @Override
  public String toString() {
    return "JdbiIdentityRepository";
  }
}
