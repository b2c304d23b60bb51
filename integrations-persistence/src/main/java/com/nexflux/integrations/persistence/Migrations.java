package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.UnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Creates and upgrades the schema of NexFlux Integrations with Flyway, from the scripts in
 * {@code classpath:db/migration} ({@code V1__user_integrations.sql}: {@code users} if missing,
 * {@code user_integrations} exactly as the spec defines it, and the append-only {@code integration_audit_log};
 * {@code V2__oauth_github.sql}: {@code oauth_authorizations}, {@code user_identities}, {@code github_sync_jobs},
 * {@code github_autosync_pending} and db-scheduler's {@code scheduled_tasks}; {@code V4__sync_jobs.sql}: the
 * provider-neutral {@code sync_jobs}, {@code sync_targets} and {@code sync_pending}, into which V2's GitHub job and
 * pending rows move; {@code V5__oidc_flows.sql}: the OIDC nonce hash, the return path and the added scopes of a
 * flow on {@code oauth_authorizations}). V3 was never released.
 *
 * <p>The history is kept in its own table, {@value #HISTORY_TABLE}, so the module can share a database (and a
 * schema) with a hosting service that runs its own Flyway history. A schema that already holds other tables, such as
 * the host's {@code users}, is baselined at version 0, so V1 still runs on it.
 */
public final class Migrations {
  /** The Flyway schema-history table of this module. */
  public static final String HISTORY_TABLE = "integrations_schema_history";

  private Migrations() {}

  /**
   * Applies every pending migration. Safe to call at every start: it does nothing when the schema is current, and
   * concurrent callers are serialized by Flyway's lock.
   *
   * @param dataSource the database, connected as a role that may create tables, functions and triggers
   * @throws UnavailableException when the database cannot be reached
   * @throws IntegrationsException with code {@code MIGRATION_FAILED} when a migration fails or the applied history
   *     does not match the scripts
   */
  public static void migrate(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    try {
      Flyway.configure(Migrations.class.getClassLoader())
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      if (isConnectionFailure(e)) {
        throw new UnavailableException("The database is unavailable", e);
      }
      throw new IntegrationsException("MIGRATION_FAILED", "The database schema could not be migrated", e);
    }
  }

  private static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
