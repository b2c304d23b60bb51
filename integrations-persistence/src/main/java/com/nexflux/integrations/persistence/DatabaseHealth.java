package com.nexflux.integrations.persistence;

import com.nexflux.integrations.persistence.internal.Db;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A readiness probe for the database: {@link #check()} runs {@code SELECT 1} with a {@value #QUERY_TIMEOUT_SECONDS}
 * second statement timeout. How long getting a connection may take is the pool's setting (3 seconds for pools from
 * {@link DataSources}).
 */
public final class DatabaseHealth {
  /** The statement timeout of the probe. */
  public static final int QUERY_TIMEOUT_SECONDS = 2;

  private final Jdbi jdbi;

  /** @param dataSource the database to probe (typically a pool from {@link DataSources#create}) */
  public DatabaseHealth(DataSource dataSource) {
    this(Db.jdbi(dataSource));
  }

  DatabaseHealth(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * Returns normally when the database answers.
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when it is down, unreachable or too slow
   */
  public void check() {
    Db.run(() -> jdbi.useHandle(h -> {
      Integer one = h.createQuery("SELECT 1")
          .setQueryTimeout(QUERY_TIMEOUT_SECONDS)
          .mapTo(Integer.class)
          .one();
      if (one == null || one != 1) {
        throw new IllegalStateException("unexpected answer to SELECT 1");
      }
    }));
  }

  @Override
  public String toString() {
    return "DatabaseHealth";
  }
}
