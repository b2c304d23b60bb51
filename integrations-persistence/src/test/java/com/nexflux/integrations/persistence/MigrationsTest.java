package com.nexflux.integrations.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class MigrationsTest {

  /** name | type | nullable | default, as information_schema reports them. */
  private static List<String> columns(DataSource ds, String table) {
    return Sql.rows(ds, """
        SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
          FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = ?
         ORDER BY ordinal_position""", table).stream()
        .map(r -> r.get("column_name") + " | " + r.get("data_type")
            + (r.get("character_maximum_length") == null ? "" : "(" + r.get("character_maximum_length") + ")")
            + " | " + ("YES".equals(r.get("is_nullable")) ? "NULL" : "NOT NULL")
            + " | " + r.get("column_default"))
        .toList();
  }

  private static List<String> constraints(DataSource ds, String table) {
    return Sql.rows(ds, """
        SELECT contype::text AS type, pg_get_constraintdef(oid) AS def
          FROM pg_constraint WHERE conrelid = to_regclass(?) ORDER BY contype, conname""", "public." + table)
        .stream().map(r -> r.get("type") + " " + r.get("def")).toList();
  }

  private static Map<String, String> indexes(DataSource ds, String table) {
    return Sql.rows(ds, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ?",
        table).stream().collect(Collectors.toMap(r -> (String) r.get("indexname"), r -> (String) r.get("indexdef")));
  }

  @Test
  void userIntegrationsHasExactlyTheSpecColumns() {
    DataSource ds = TestDatabase.freshDataSource();
    assertThat(columns(ds, "user_integrations")).containsExactly(
        "id | uuid | NOT NULL | gen_random_uuid()",
        "user_id | uuid | NOT NULL | null",
        "provider | character varying(50) | NOT NULL | null",
        "enabled | boolean | NULL | true",
        "config | jsonb | NOT NULL | '{}'::jsonb",
        "access_token | text | NULL | null",
        "refresh_token | text | NULL | null",
        "token_expires_at | timestamp without time zone | NULL | null",
        "metadata | jsonb | NULL | '{}'::jsonb",
        "connected_at | timestamp without time zone | NULL | now()",
        "last_used_at | timestamp without time zone | NULL | null",
        "created_at | timestamp without time zone | NULL | now()",
        "updated_at | timestamp without time zone | NULL | now()");
  }

  @Test
  void userIntegrationsHasTheSpecConstraintsAndIndexes() {
    DataSource ds = TestDatabase.freshDataSource();
    assertThat(constraints(ds, "user_integrations")).containsExactlyInAnyOrder(
        "f FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
        "p PRIMARY KEY (id)",
        "u UNIQUE (user_id, provider)");
    Map<String, String> indexes = indexes(ds, "user_integrations");
    assertThat(indexes).containsEntry("idx_user_integrations_user_id",
        "CREATE INDEX idx_user_integrations_user_id ON public.user_integrations USING btree (user_id)");
    assertThat(indexes).containsEntry("idx_user_integrations_provider",
        "CREATE INDEX idx_user_integrations_provider ON public.user_integrations USING btree (provider)");
    // plus the primary key's and the unique constraint's own indexes, nothing else
    assertThat(indexes).hasSize(4);
  }

  @Test
  void auditLogAndUsersTablesAreCreated() {
    DataSource ds = TestDatabase.freshDataSource();
    assertThat(columns(ds, "integration_audit_log")).containsExactly(
        "id | uuid | NOT NULL | null",
        "user_id | uuid | NOT NULL | null",
        "provider | character varying(50) | NOT NULL | null",
        "action | character varying(100) | NOT NULL | null",
        "outcome | character varying(20) | NOT NULL | null",
        "reason | character varying(200) | NULL | null",
        "request_id | character varying(100) | NULL | null",
        "ip | character varying(64) | NULL | null",
        "user_agent | character varying(512) | NULL | null",
        "created_at | timestamp with time zone | NOT NULL | null",
        "details | jsonb | NOT NULL | '{}'::jsonb");
    assertThat(constraints(ds, "integration_audit_log")).containsExactly("p PRIMARY KEY (id)"); // no FK to users
    assertThat(indexes(ds, "integration_audit_log")).containsEntry("idx_integration_audit_log_user_created",
        "CREATE INDEX idx_integration_audit_log_user_created ON public.integration_audit_log "
            + "USING btree (user_id, created_at DESC, id DESC)");
    assertThat(columns(ds, "users")).containsExactly(
        "id | uuid | NOT NULL | null",
        "created_at | timestamp with time zone | NOT NULL | now()");
    assertThat(Sql.rows(ds, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'integration_audit_log'::regclass "
        + "AND NOT tgisinternal ORDER BY tgname").stream().map(r -> r.get("tgname")).toList())
        .containsExactly("integration_audit_log_no_truncate", "integration_audit_log_no_update_delete");
  }

  @Test
  void migratingAgainChangesNothing() {
    TestDatabase db = TestDatabase.create();
    Migrations.migrate(db.dataSource());
    Migrations.migrate(db.dataSource());
    assertThat(Sql.rows(db.dataSource(), "SELECT version, success FROM " + Migrations.HISTORY_TABLE
        + " WHERE version IS NOT NULL ORDER BY installed_rank"))
        .containsExactly(Map.of("version", "1", "success", true), Map.of("version", "2", "success", true),
            Map.of("version", "4", "success", true),
            Map.of("version", "5", "success", true));
  }

  @Test
  void runsBesideAHostsOwnUsersTableAndFlywayHistory() {
    TestDatabase db = TestDatabase.createEmpty();
    DataSource ds = db.dataSource();
    Sql.exec(ds, "CREATE TABLE users (id UUID PRIMARY KEY, email TEXT NOT NULL DEFAULT 'x@example.com')");
    Sql.exec(ds, "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50))");
    Sql.exec(ds, "INSERT INTO flyway_schema_history VALUES (1, '42')");

    Migrations.migrate(ds);

    assertThat(columns(ds, "users")).extracting(c -> c.split(" ")[0]).containsExactly("id", "email");
    assertThat(columns(ds, "user_integrations")).hasSize(13);
    assertThat(Sql.count(ds, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(1);
    assertThat(Sql.scalar(ds, "SELECT max(version) FROM " + Migrations.HISTORY_TABLE)).isEqualTo("5");
  }

  @Test
  void unreachableDatabaseIsUnavailable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName("nowhere");
    ds.setUser("postgres");
    assertThatThrownBy(() -> Migrations.migrate(ds)).isInstanceOf(UnavailableException.class);
  }
}
