package com.nexflux.integrations.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** V2__oauth_github.sql: the OAuth, identity, sync-job and scheduler tables. */
class MigrationV2Test {
  private static DataSource ds;

  @BeforeAll
  static void migrate() {
    ds = TestDatabase.freshDataSource();
  }

  private static List<String> columns(String table) {
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

  private static List<String> constraints(String table) {
    return Sql.rows(ds, """
        SELECT contype::text AS type, pg_get_constraintdef(oid) AS def
          FROM pg_constraint WHERE conrelid = to_regclass(?) ORDER BY contype, conname""", "public." + table)
        .stream().map(r -> r.get("type") + " " + r.get("def")).toList();
  }

  private static Map<String, String> indexes(String table) {
    return Sql.rows(ds, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ?",
        table).stream().collect(Collectors.toMap(r -> (String) r.get("indexname"), r -> (String) r.get("indexdef")));
  }

  @Test
  void historyHasBothVersions() {
    assertThat(Sql.rows(ds, "SELECT version, success FROM " + Migrations.HISTORY_TABLE
        + " WHERE version IS NOT NULL ORDER BY installed_rank"))
        .containsExactly(Map.of("version", "1", "success", true), Map.of("version", "2", "success", true),
            Map.of("version", "3", "success", true));
  }

  @Test
  void oauthAuthorizations() {
    assertThat(columns("oauth_authorizations")).containsExactly(
        "state_hash | text | NOT NULL | null",
        "browser_binding_hash | text | NOT NULL | null",
        "provider | character varying(50) | NOT NULL | null",
        "purpose | character varying(20) | NOT NULL | null",
        "user_id | uuid | NULL | null",
        "redirect_uri | text | NOT NULL | null",
        "code_verifier_encrypted | text | NOT NULL | null",
        "scopes | jsonb | NOT NULL | '[]'::jsonb",
        "created_at | timestamp with time zone | NOT NULL | null",
        "expires_at | timestamp with time zone | NOT NULL | null",
        // V3
        "nonce_hash | text | NULL | null",
        "return_to | text | NULL | null",
        "added_scopes | jsonb | NOT NULL | '[]'::jsonb");
    assertThat(constraints("oauth_authorizations")).containsExactly("p PRIMARY KEY (state_hash)");
    assertThat(indexes("oauth_authorizations")).containsEntry("idx_oauth_authorizations_expires_at",
        "CREATE INDEX idx_oauth_authorizations_expires_at ON public.oauth_authorizations USING btree (expires_at)");
  }

  @Test
  void userIdentities() {
    assertThat(columns("user_identities")).containsExactly(
        "id | uuid | NOT NULL | gen_random_uuid()",
        "user_id | uuid | NOT NULL | null",
        "provider | character varying(50) | NOT NULL | null",
        "provider_account_id | character varying(200) | NOT NULL | null",
        "created_at | timestamp with time zone | NOT NULL | now()");
    assertThat(constraints("user_identities")).containsExactlyInAnyOrder(
        "f FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
        "p PRIMARY KEY (id)",
        "u UNIQUE (provider, provider_account_id)");
    assertThat(indexes("user_identities")).containsEntry("idx_user_identities_user_id",
        "CREATE INDEX idx_user_identities_user_id ON public.user_identities USING btree (user_id)");
  }

  @Test
  void githubSyncJobsAndPending() {
    assertThat(columns("github_sync_jobs")).containsExactly(
        "id | uuid | NOT NULL | null",
        "user_id | uuid | NOT NULL | null",
        "repository_id | bigint | NOT NULL | null",
        "project_ids | jsonb | NOT NULL | '[]'::jsonb",
        "status | character varying(20) | NOT NULL | null",
        "commit_sha | character varying(64) | NULL | null",
        "files_changed | integer | NOT NULL | 0",
        "error | text | NULL | null",
        "attempts | integer | NOT NULL | 0",
        "created_at | timestamp with time zone | NOT NULL | null",
        "finished_at | timestamp with time zone | NULL | null");
    assertThat(constraints("github_sync_jobs")).containsExactlyInAnyOrder(
        "f FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
        "p PRIMARY KEY (id)");
    assertThat(indexes("github_sync_jobs")).containsEntry("idx_github_sync_jobs_user_created",
        "CREATE INDEX idx_github_sync_jobs_user_created ON public.github_sync_jobs USING btree (user_id, created_at DESC)");

    assertThat(columns("github_autosync_pending")).containsExactly(
        "user_id | uuid | NOT NULL | null",
        "repository_id | bigint | NOT NULL | null",
        "project_id | character varying(200) | NOT NULL | null",
        "added_at | timestamp with time zone | NOT NULL | now()");
    assertThat(constraints("github_autosync_pending")).containsExactlyInAnyOrder(
        "f FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
        "p PRIMARY KEY (user_id, repository_id, project_id)");
  }

  @Test
  void scheduledTasksIsDbSchedulersPostgresTable() {
    assertThat(columns("scheduled_tasks")).containsExactly(
        "task_name | text | NOT NULL | null",
        "task_instance | text | NOT NULL | null",
        "task_data | bytea | NULL | null",
        "execution_time | timestamp with time zone | NOT NULL | null",
        "picked | boolean | NOT NULL | null",
        "picked_by | text | NULL | null",
        "last_success | timestamp with time zone | NULL | null",
        "last_failure | timestamp with time zone | NULL | null",
        "consecutive_failures | integer | NULL | null",
        "last_heartbeat | timestamp with time zone | NULL | null",
        "version | bigint | NOT NULL | null",
        "priority | smallint | NULL | null");
    assertThat(constraints("scheduled_tasks")).containsExactly("p PRIMARY KEY (task_name, task_instance)");
    assertThat(indexes("scheduled_tasks")).containsOnlyKeys("scheduled_tasks_pkey", "execution_time_idx",
        "last_heartbeat_idx", "priority_execution_time_idx");
    assertThat(indexes("scheduled_tasks").get("priority_execution_time_idx"))
        .isEqualTo("CREATE INDEX priority_execution_time_idx ON public.scheduled_tasks "
            + "USING btree (priority DESC, execution_time)");
  }

  @Test
  void userIntegrationsIsUnchanged() {
    assertThat(columns("user_integrations")).hasSize(13);
    assertThat(indexes("user_integrations")).hasSize(4);
  }

  @Test
  void deletingAUserRemovesItsIdentitiesJobsAndPendingProjects() {
    java.util.UUID user = java.util.UUID.randomUUID();
    Sql.exec(ds, "INSERT INTO users (id) VALUES (?)", user);
    Sql.exec(ds, "INSERT INTO user_identities (user_id, provider, provider_account_id) VALUES (?, 'github', ?)",
        user, "acc-" + user);
    Sql.exec(ds, "INSERT INTO github_sync_jobs (id, user_id, repository_id, status, created_at) "
        + "VALUES (gen_random_uuid(), ?, 1, 'queued', now())", user);
    Sql.exec(ds, "INSERT INTO github_autosync_pending (user_id, repository_id, project_id) VALUES (?, 1, 'p')", user);
    Sql.exec(ds, "DELETE FROM users WHERE id = ?", user);
    for (String table : List.of("user_identities", "github_sync_jobs", "github_autosync_pending")) {
      assertThat(Sql.count(ds, "SELECT count(*) FROM " + table + " WHERE user_id = ?", user)).as(table).isZero();
    }
  }
}
