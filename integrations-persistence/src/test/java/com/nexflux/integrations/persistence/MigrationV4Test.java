package com.nexflux.integrations.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.sync.SyncTarget;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** V4__sync_jobs.sql: GitHub jobs and pending projects written under V2 survive the move to the neutral tables. */
class MigrationV4Test {
  private static final Instant CREATED = Instant.parse("2026-01-15T09:00:00Z");
  private static final Instant FINISHED = Instant.parse("2026-01-15T09:00:05Z");

  @Test
  void existingGitHubJobsAndPendingProjectsAreReadBackThroughTheRepository() {
    DataSource ds = TestDatabase.createEmpty().dataSource();
    MigrationV2Test.migrateTo(ds, "2");
    UUID user = UUID.randomUUID();
    UUID done = UUID.randomUUID();
    UUID queued = UUID.randomUUID();
    Sql.exec(ds, "INSERT INTO users (id) VALUES (?)", user);
    Sql.exec(ds, """
        INSERT INTO github_sync_jobs (id, user_id, repository_id, project_ids, status, commit_sha, files_changed,
                                      error, attempts, created_at, finished_at)
        VALUES (?, ?, 1296269, '["proj-1", "proj-2"]', 'succeeded', ?, 8, NULL, 1,
                '2026-01-15T09:00:00Z', '2026-01-15T09:00:05Z')""", done, user, "a".repeat(40));
    Sql.exec(ds, """
        INSERT INTO github_sync_jobs (id, user_id, repository_id, project_ids, status, attempts, error, created_at)
        VALUES (?, ?, 42, '["proj-3"]', 'queued', 2, 'rate limited by GitHub', '2026-01-15T09:01:00Z')""",
        queued, user);
    Sql.exec(ds, "INSERT INTO github_autosync_pending (user_id, repository_id, project_id, added_at) "
        + "VALUES (?, 1296269, 'b', '2026-01-15T09:00:00Z')", user);
    Sql.exec(ds, "INSERT INTO github_autosync_pending (user_id, repository_id, project_id, added_at) "
        + "VALUES (?, 1296269, 'a', '2026-01-15T09:00:01Z')", user);

    Migrations.migrate(ds);

    JdbiSyncJobRepository jobs = new JdbiSyncJobRepository(ds);
    UserId owner = new UserId(user);
    assertThat(jobs.find(done)).contains(new SyncJob(done, owner, Provider.GITHUB, "1296269",
        List.of("proj-1", "proj-2"), SyncJob.Status.SUCCEEDED, "a".repeat(40), 8, null, 1, CREATED, FINISHED));
    SyncJob stillQueued = jobs.find(owner, queued).orElseThrow();
    assertThat(stillQueued.target()).isEqualTo(new SyncTarget(owner, Provider.GITHUB, "42"));
    assertThat(stillQueued.status()).isEqualTo(SyncJob.Status.QUEUED);
    assertThat(stillQueued.attempts()).isEqualTo(2);
    assertThat(stillQueued.error()).isEqualTo("rate limited by GitHub");
    assertThat(jobs.recent(owner, Provider.GITHUB, 10)).extracting(SyncJob::id).containsExactly(queued, done);

    SyncTarget repo = new SyncTarget(owner, Provider.GITHUB, "1296269");
    UUID key = jobs.addPending(repo, "c"); // the migrated target keeps one key
    assertThat(jobs.pendingTarget(key)).contains(repo);
    assertThat(jobs.takePending(repo)).containsExactly("b", "a", "c");

    assertThat(Sql.scalar(ds, "SELECT to_regclass('public.github_sync_jobs') IS NULL")).isEqualTo(true);
    assertThat(Sql.scalar(ds, "SELECT to_regclass('public.github_autosync_pending') IS NULL")).isEqualTo(true);
  }

  @Test
  void deletingAUserRemovesItsJobsTargetsAndPendingProjects() {
    DataSource ds = TestDatabase.freshDataSource();
    UserId user = Fixtures.provisionedUser(ds);
    JdbiSyncJobRepository jobs = new JdbiSyncJobRepository(ds);
    jobs.save(SyncJob.queued(new SyncTarget(user, Provider.GITHUB, "1"), List.of("p"), CREATED));
    jobs.addPending(new SyncTarget(user, Provider.GITHUB, "1"), "p");
    Sql.exec(ds, "DELETE FROM users WHERE id = ?", user.value());
    for (String table : List.of("sync_jobs", "sync_targets", "sync_pending")) {
      assertThat(Sql.count(ds, "SELECT count(*) FROM " + table + " WHERE user_id = ?", user.value())).as(table)
          .isZero();
    }
  }
}
