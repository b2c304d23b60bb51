package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static com.nexflux.integrations.persistence.Fixtures.provisionedUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.sync.SyncTarget;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiSyncJobRepositoryTest {
  private TestDatabase db;
  private DataSource ds;
  private JdbiSyncJobRepository jobs;

  private static SyncTarget github(UserId user, long repositoryId) {
    return new SyncTarget(user, Provider.GITHUB, Long.toString(repositoryId));
  }

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
    ds = db.dataSource();
    jobs = new JdbiSyncJobRepository(ds);
  }

  @Test
  void savesAndUpdatesAJobThroughItsLifecycle() {
    UserId user = provisionedUser(ds);
    SyncJob queued = SyncJob.queued(github(user, 1296269L), List.of("proj-1", "proj-2"), T0.plusNanos(1));
    jobs.save(queued);
    SyncJob expectedQueued = new SyncJob(queued.id(), user, Provider.GITHUB, "1296269", List.of("proj-1", "proj-2"),
        SyncJob.Status.QUEUED, null, 0, null, 0, T0, null);
    assertThat(jobs.find(queued.id())).contains(expectedQueued);

    SyncJob running = expectedQueued.running();
    jobs.save(running);
    assertThat(jobs.find(user, queued.id())).contains(running);

    SyncJob done = running.succeeded("a".repeat(40), 3, T0.plus(Duration.ofMinutes(1)));
    jobs.save(done);
    assertThat(jobs.find(queued.id())).contains(done);
    assertThat(Sql.rows(ds, "SELECT status, project_ids::text AS p, attempts FROM sync_jobs").get(0))
        .isEqualTo(Map.of("status", "succeeded", "p", "[\"proj-1\", \"proj-2\"]", "attempts", 1));

    SyncJob failed = running.failed("GitHub said no \0 thanks", T0.plus(Duration.ofMinutes(2)));
    jobs.save(failed);
    assertThat(jobs.find(queued.id()).orElseThrow().error()).isEqualTo("GitHub said no \uFFFD thanks");
    assertThat(Sql.count(ds, "SELECT count(*) FROM sync_jobs")).isEqualTo(1);
  }

  @Test
  void jobsAreIsolatedPerUser() {
    UserId owner = provisionedUser(ds);
    UserId other = provisionedUser(ds);
    SyncJob job = SyncJob.queued(github(owner, 1L), List.of("p"), T0);
    jobs.save(job);

    assertThat(jobs.find(other, job.id())).isEmpty();
    assertThat(jobs.recent(other, Provider.GITHUB, 10)).isEmpty();
    assertThat(jobs.find(owner, job.id())).isPresent();
    assertThat(jobs.find(UUID.randomUUID())).isEmpty();

    // another user's save under the same id neither moves nor changes the job
    SyncJob hijack = new SyncJob(job.id(), other, Provider.GITHUB, "2", List.of("x"), SyncJob.Status.FAILED, null, 0, "x", 9, T0, T0);
    assertThatThrownBy(() -> jobs.save(hijack)).isInstanceOf(IllegalArgumentException.class);
    assertThat(jobs.find(job.id())).contains(job);
  }

  @Test
  void recentIsNewestFirstAndLimited() {
    UserId user = provisionedUser(ds);
    List<SyncJob> saved = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SyncJob job = SyncJob.queued(github(user, 1L), List.of("p" + i), T0.plus(Duration.ofMinutes(i)));
      jobs.save(job);
      saved.add(job);
    }
    assertThat(jobs.recent(user, Provider.GITHUB, 3)).containsExactly(saved.get(4), saved.get(3), saved.get(2));
    assertThat(jobs.recent(user, Provider.GITHUB, 100)).hasSize(5);
    assertThatThrownBy(() -> jobs.recent(user, Provider.GITHUB, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aJobForAMissingUserIsUnavailable() {
    assertThatThrownBy(() -> jobs.save(SyncJob.queued(github(new UserId(UUID.randomUUID()), 1L), List.of(), T0)))
        .isInstanceOf(UnavailableException.class);
  }

  @Test
  void pendingProjectsAreDeduplicatedAndTakenOnce() {
    UserId user = provisionedUser(ds);
    UserId other = provisionedUser(ds);
    jobs.addPending(github(user, 1L), "b");
    jobs.addPending(github(user, 1L), "a");
    jobs.addPending(github(user, 1L), "b");
    jobs.addPending(github(user, 2L), "c");
    jobs.addPending(github(other, 1L), "z");

    assertThat(jobs.takePending(github(user, 1L))).containsExactlyInAnyOrder("a", "b").hasSize(2);
    assertThat(jobs.takePending(github(user, 1L))).isEmpty();
    assertThat(jobs.takePending(github(user, 2L))).containsExactly("c");
    assertThat(jobs.takePending(github(other, 1L))).containsExactly("z");
    assertThatThrownBy(() -> jobs.addPending(github(user, 1L), "p".repeat(201))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentTakersGetEachProjectExactlyOnce() throws Exception {
    UserId user = provisionedUser(ds);
    for (int i = 0; i < 50; i++) {
      jobs.addPending(github(user, 7L), "project-" + i);
    }
    JdbiSyncJobRepository otherInstance = new JdbiSyncJobRepository(OAuthFixtures.secondInstance(db.jdbcUrl()));
    List<Callable<List<String>>> takers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      JdbiSyncJobRepository repo = i % 2 == 0 ? jobs : otherInstance;
      takers.add(() -> repo.takePending(github(user, 7L)));
    }
    List<String> taken = OAuthFixtures.concurrently(takers).stream().flatMap(List::stream).toList();
    assertThat(taken).hasSize(50).doesNotHaveDuplicates();
    assertThat(jobs.takePending(github(user, 7L))).isEmpty();
  }

  @Test
  void aTargetKeepsOneDebounceKeyThatLeadsBackToIt() {
    UserId user = provisionedUser(ds);
    UUID key = jobs.addPending(github(user, 1L), "a");
    assertThat(jobs.addPending(github(user, 1L), "b")).isEqualTo(key);
    assertThat(jobs.takePending(github(user, 1L))).containsExactly("a", "b");
    assertThat(jobs.addPending(github(user, 1L), "c")).isEqualTo(key); // kept after taking
    UUID other = jobs.addPending(new SyncTarget(user, Provider.ONEDRIVE, "1"), "a");
    assertThat(other).isNotEqualTo(key);
    assertThat(jobs.pendingTarget(key)).contains(github(user, 1L));
    assertThat(jobs.pendingTarget(other)).contains(new SyncTarget(user, Provider.ONEDRIVE, "1"));
    assertThat(jobs.pendingTarget(UUID.randomUUID())).isEmpty();
  }

  @Test
  void jobsOfOneProviderAreNotListedUnderAnother() {
    UserId user = provisionedUser(ds);
    SyncJob toGitHub = SyncJob.queued(github(user, 1L), List.of("p"), T0);
    SyncJob toDrive = SyncJob.queued(new SyncTarget(user, Provider.GOOGLE, "folder-1"), List.of("p"), T0);
    jobs.save(toGitHub);
    jobs.save(toDrive);
    assertThat(jobs.recent(user, Provider.GITHUB, 10)).containsExactly(toGitHub);
    assertThat(jobs.recent(user, Provider.GOOGLE, 10)).containsExactly(toDrive);
    assertThat(jobs.find(toDrive.id()).orElseThrow().targetId()).isEqualTo("folder-1");
  }

  @Test
  void aJobAndItsAuditRowAreStoredTogether() {
    UserId user = provisionedUser(ds);
    SyncJob job = SyncJob.queued(github(user, 1L), List.of("p"), T0);
    jobs.save(job, audit(user));
    assertThat(jobs.find(job.id())).contains(job);
    assertThat(Sql.count(ds, "SELECT count(*) FROM integration_audit_log WHERE user_id = ?", user.value()))
        .isEqualTo(1);

    // another user's job id: neither the job nor the audit row is stored
    UserId other = provisionedUser(ds);
    SyncJob hijack = new SyncJob(job.id(), other, Provider.GITHUB, "2", List.of("x"), SyncJob.Status.QUEUED, null,
        0, null, 0, T0, null);
    assertThatThrownBy(() -> jobs.save(hijack, audit(other))).isInstanceOf(IllegalArgumentException.class);
    assertThat(Sql.count(ds, "SELECT count(*) FROM integration_audit_log WHERE user_id = ?", other.value()))
        .isZero();

    // a job of a user that does not exist: nothing at all
    UserId ghost = new UserId(UUID.randomUUID());
    assertThatThrownBy(() -> jobs.save(SyncJob.queued(github(ghost, 1L), List.of("p"), T0), audit(user)))
        .isInstanceOf(UnavailableException.class);
    assertThat(Sql.count(ds, "SELECT count(*) FROM integration_audit_log WHERE user_id = ?", user.value()))
        .isEqualTo(1);
  }

  private static AuditEvent audit(UserId user) {
    return new AuditEvent(UUID.randomUUID(), user, Provider.GITHUB, "github.sync_requested",
        AuditEvent.Outcome.SUCCESS, null, RequestContext.internal("test"), T0, Map.of());
  }
}
