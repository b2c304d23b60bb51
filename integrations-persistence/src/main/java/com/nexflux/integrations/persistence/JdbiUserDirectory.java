package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.account.UserDirectory;
import com.nexflux.integrations.persistence.internal.Db;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link UserDirectory} on the {@code users} table. {@link #provision} is
 * {@code INSERT ... ON CONFLICT DO NOTHING}, so concurrent first requests of one user are safe. A hosting service
 * whose {@code users} table has further required columns must turn provisioning off and create users itself.
 */
public final class JdbiUserDirectory implements UserDirectory {
  private final Jdbi jdbi;

  /** @param dataSource the database (a private JDBI is made on it; {@link PostgresPersistence} shares one) */
  public JdbiUserDirectory(DataSource dataSource) {
    this(Db.jdbi(dataSource));
  }

  JdbiUserDirectory(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public boolean exists(UserId userId) {
    Objects.requireNonNull(userId, "userId");
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM users WHERE id = :id)")
        .bind("id", userId.value())
        .mapTo(Boolean.class)
        .one()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public void provision(UserId userId) {
    Objects.requireNonNull(userId, "userId");
    Db.run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (id) VALUES (:id) ON CONFLICT DO NOTHING")
        .bind("id", userId.value())
        .execute()));
  }

  @Override
  public String toString() {
    return "JdbiUserDirectory";
  }
}
