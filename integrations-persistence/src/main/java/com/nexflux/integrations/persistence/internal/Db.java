package com.nexflux.integrations.persistence.internal;

import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.UnavailableException;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

/** Creates the shared {@link Jdbi} and translates every library failure into the core's exceptions. */
public final class Db {
  /** The one message of a database failure; it names nothing about the data involved. */
  public static final String UNAVAILABLE = "The database is unavailable";

  private Db() {}

  /**
   * A JDBI on {@code dataSource} with the PostgreSQL plugin (uuid, jsonb via {@code PGobject}). Statement
   * exceptions render neither SQL nor bound values, so no ciphertext or user data ends up in a message.
   */
  public static Jdbi jdbi(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    Jdbi jdbi = Jdbi.create(dataSource);
    jdbi.installPlugin(new PostgresPlugin());
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
    return jdbi;
  }

  /**
   * Runs {@code work}, letting the core's exceptions through and turning any other runtime failure (JDBI,
   * JDBC, pool, JSON) into an {@link UnavailableException}.
   */
  public static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (IntegrationsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnavailableException(UNAVAILABLE, e);
    }
  }

  /** Like {@link #call} for work without a result. */
  public static void run(Runnable work) {
    call(() -> {
      work.run();
      return null;
    });
  }

  /** The failure for a stored row that cannot be turned back into a domain object. */
  public static UnavailableException unreadable(String what, Throwable cause) {
    return new UnavailableException("The database holds an unreadable " + what, cause);
  }
}
