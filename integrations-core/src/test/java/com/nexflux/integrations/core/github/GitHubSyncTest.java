package com.nexflux.integrations.core.github;

import static com.nexflux.integrations.core.testing.FakeGitHubApi.OP_CREATE_BLOB;
import static com.nexflux.integrations.core.testing.FakeGitHubApi.OP_CREATE_COMMIT;
import static com.nexflux.integrations.core.testing.FakeGitHubApi.OP_CREATE_TREE;
import static com.nexflux.integrations.core.testing.FakeGitHubApi.OP_HEAD;
import static com.nexflux.integrations.core.testing.FakeGitHubApi.OP_REPOSITORIES;
import static com.nexflux.integrations.core.testing.FakeGitHubApi.OP_TREE;
import static com.nexflux.integrations.core.testing.FakeGitHubApi.OP_UPDATE_REF;
import static com.nexflux.integrations.core.testing.FakeGitHubApi.SYNC_OPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.sync.Project;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.sync.JobScheduler;
import com.nexflux.integrations.core.sync.SyncService;
import com.nexflux.integrations.core.sync.SyncTarget;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.testing.FakeGitHubApi;
import com.nexflux.integrations.core.testing.FixedAccessTokens;
import com.nexflux.integrations.core.testing.InMemoryAuditLog;
import com.nexflux.integrations.core.testing.InMemoryGitHubConnections;
import com.nexflux.integrations.core.testing.InMemorySyncJobs;
import com.nexflux.integrations.core.testing.MapProjectSource;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.core.testing.RecordingScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The neutral {@link SyncService} with GitHub's {@link GitHubSyncDestination}: queue, retries, the one-commit push. */
class GitHubSyncTest {
  static final String TOKEN = "gho_alice_token";
  static final long REPO_ID = 12345L;
  static final String OWNER = "alice";
  static final String REPO = "my-circuits";
  static final String BRANCH = "main";
  static final GitHubRepository REPOSITORY = new GitHubRepository(REPO_ID, REPO, OWNER + "/" + REPO, OWNER, false,
      BRANCH);

  final UserId alice = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
  final RequestContext ctx = new RequestContext("req-1", "198.51.100.23", "JUnit/5");

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryGitHubConnections connections;
  FixedAccessTokens tokens;
  FakeGitHubApi github;
  InMemorySyncJobs jobs;
  RecordingScheduler scheduler;
  MapProjectSource projects;
  GitHubIntegrationService service;
  SyncService sync;
  SyncTarget target;

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    connections = new InMemoryGitHubConnections(audit);
    tokens = new FixedAccessTokens().put(alice, Provider.GITHUB, TOKEN);
    github = new FakeGitHubApi()
        .account(TOKEN, new GitHubAccount(1001, OWNER, null, null))
        .repository(TOKEN, REPOSITORY);
    jobs = new InMemorySyncJobs(audit);
    scheduler = new RecordingScheduler();
    projects = new MapProjectSource();
    sync = newSync(connections);
    service = new GitHubIntegrationService(connections, tokens, github,
        new com.nexflux.integrations.core.oauth.ConnectionDisconnect(java.util.Map.of(), tokens,
            new com.nexflux.integrations.core.testing.ScriptedOAuthClient(clock), connections,
            new com.nexflux.integrations.core.testing.AesGcmTestCipher(), clock),
        sync, jobs, projects, clock, Duration.ofSeconds(60));
    target = GitHubSyncDestination.target(alice, REPO_ID);
    connections.store(connection(Map.of("username", OWNER, "auto_sync", true, "selected_repos", List.of(REPO_ID))));
  }

  SyncService newSync(OAuthConnectionRepository store) {
    return new SyncService(jobs, projects, scheduler, clock, Duration.ofSeconds(30))
        .register(new GitHubSyncDestination(store, tokens, github, clock, 3));
  }

  /** @return the instance id of the target's auto-sync execution */
  String autoSyncInstance() {
    return jobs.debounceKey(target).orElseThrow().toString();
  }

  OAuthConnection connection(Map<String, Object> config) {
    Instant at = clock.instant();
    return new OAuthConnection(alice, Provider.GITHUB, ConnectionStatus.CONNECTED, "1001",
        new EncryptedSecret("enc"), null, null, null, List.of("repo", "read:user"), config, at, at, 1);
  }

  /** n text projects of 3 files each; @return their ids */
  List<String> textProjects(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("%08d-proj", i);
      projects.putText(alice, id, "Project " + i, "main.ino", "void setup() { pin(" + i + "); }\n",
          "README.md", "# Project " + i + "\n", "lib/util.h", "#pragma once\n");
      ids.add(id);
    }
    return ids;
  }

  /** Requests a sync through the API (which remembers the repository) and runs it. */
  SyncJob requestAndRun(List<String> ids) {
    SyncJob job = service.requestSync(alice, REPO_ID, ids, ctx);
    assertThat(scheduler.take(JobScheduler.SYNC_TASK, job.id().toString())).isTrue();
    github.resetCalls();
    sync.runJob(job.id());
    return jobs.get(job.id());
  }

  /** A job stored directly (no request limits), run once. */
  SyncJob runDirect(List<String> ids) {
    SyncJob job = SyncJob.queued(target, ids, clock.instant());
    jobs.save(job);
    github.resetCalls();
    sync.runJob(job.id());
    return jobs.get(job.id());
  }

  String folderOf(String projectId) {
    return ProjectLayout.place(projects.load(alice, projectId).orElseThrow()).folder();
  }

  // ---------------------------------------------------------------- call counts

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 100})
  void one_commit_with_the_same_five_calls_for_any_number_of_text_projects(int n) {
    List<String> ids = textProjects(n);
    SyncJob job = requestAndRun(ids);

    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(job.filesChanged()).isEqualTo(n * 4); // 3 files + manifest each
    assertThat(job.commitSha()).isEqualTo(github.head(OWNER, REPO, BRANCH));
    assertThat(github.calls(SYNC_OPS)).isEqualTo(5);
    assertThat(github.callCounts()).containsExactly(Map.entry(OP_HEAD, 1), Map.entry(OP_TREE, 1),
        Map.entry(OP_CREATE_TREE, 1), Map.entry(OP_CREATE_COMMIT, 1), Map.entry(OP_UPDATE_REF, 1));
    assertThat(github.historyLength(OWNER, REPO, BRANCH)).isEqualTo(2);
    assertThat(github.messageOf(job.commitSha())).isEqualTo("NexFlux sync: " + n + " project(s)");
    assertThat(github.text(OWNER, REPO, BRANCH, folderOf(ids.get(n - 1)) + "/main.ino"))
        .isEqualTo("void setup() { pin(" + (n - 1) + "); }\n");

    // unchanged second run: two reads, no write, no commit
    SyncJob again = requestAndRun(ids);
    assertThat(again.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(again.commitSha()).isNull();
    assertThat(again.filesChanged()).isZero();
    assertThat(github.callCounts()).containsExactly(Map.entry(OP_HEAD, 1), Map.entry(OP_TREE, 1));
    assertThat(github.writes()).isZero();
    assertThat(github.historyLength(OWNER, REPO, BRANCH)).isEqualTo(2);
  }

  @Test
  void five_hundred_projects_in_one_job_still_take_five_calls_and_two_when_unchanged() {
    List<String> ids = textProjects(500);
    SyncJob job = runDirect(ids);
    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(job.filesChanged()).isEqualTo(2000);
    assertThat(github.calls(SYNC_OPS)).isEqualTo(5);
    assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(1); // not remembered: looked up once, then remembered

    SyncJob again = runDirect(ids);
    assertThat(again.commitSha()).isNull();
    assertThat(github.callCounts()).containsExactly(Map.entry(OP_HEAD, 1), Map.entry(OP_TREE, 1));
  }

  @Test
  void a_repository_not_yet_remembered_is_looked_up_once_and_then_remembered() {
    textProjects(1);
    SyncJob first = runDirect(List.of("00000000-proj"));
    assertThat(first.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(1);
    assertThat(connections.stored(alice, Provider.GITHUB).orElseThrow().config()).containsKey("repo_refs");

    projects.putText(alice, "00000000-proj", "Project 0", "main.ino", "changed\n");
    SyncJob second = runDirect(List.of("00000000-proj"));
    assertThat(second.commitSha()).isNotNull();
    assertThat(github.calls(OP_REPOSITORIES)).isZero();
    assertThat(github.calls(SYNC_OPS)).isEqualTo(5);
  }

  @Test
  void only_the_changed_files_and_that_projects_manifest_are_written() {
    List<String> ids = textProjects(3);
    requestAndRun(ids);
    String untouchedManifest = folderOf(ids.get(0)) + "/.nexflux-sync.json";
    byte[] manifestBefore = github.file(OWNER, REPO, BRANCH, untouchedManifest);

    clock.advance(Duration.ofMinutes(5));
    projects.putText(alice, ids.get(1), "Project 1", "main.ino", "void setup() { changed(); }\n",
        "README.md", "# Project 1\n", "lib/util.h", "#pragma once\n");
    SyncJob job = requestAndRun(ids);

    assertThat(job.filesChanged()).isEqualTo(2);
    assertThat(github.messageOf(job.commitSha())).isEqualTo("NexFlux sync: 1 project(s)");
    assertThat(github.file(OWNER, REPO, BRANCH, untouchedManifest)).isEqualTo(manifestBefore);
    String manifest = github.text(OWNER, REPO, BRANCH, folderOf(ids.get(1)) + "/.nexflux-sync.json");
    assertThat(manifest).contains("\"project_id\": \"" + ids.get(1) + "\"")
        .contains("\"synced_at\": \"" + clock.instant() + "\"")
        .contains(ProjectLayout.blobSha("void setup() { changed(); }\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void an_identical_push_by_someone_else_changes_nothing_but_a_deleted_manifest_is_written_again() {
    List<String> ids = textProjects(1);
    requestAndRun(ids);
    String manifest = folderOf(ids.get(0)) + "/.nexflux-sync.json";
    github.push(OWNER, REPO, BRANCH, Map.of(folderOf(ids.get(0)) + "/main.ino",
        "void setup() { pin(0); }\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(requestAndRun(ids).commitSha()).isNull();

    Map<String, byte[]> deletion = new HashMap<>();
    deletion.put(manifest, null);
    github.push(OWNER, REPO, BRANCH, deletion);
    SyncJob job = requestAndRun(ids);
    assertThat(job.filesChanged()).isEqualTo(1);
    assertThat(github.file(OWNER, REPO, BRANCH, manifest)).isNotNull();
  }

  @Test
  void a_binary_file_takes_exactly_one_create_blob() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, (byte) 0xff};
    projects.put(alice, new Project("bin-proj", "Board", List.of(
        new Project.File("board.png", png),
        new Project.File("main.ino", "loop\n".getBytes(StandardCharsets.UTF_8)))));
    SyncJob job = requestAndRun(List.of("bin-proj"));

    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(github.calls(OP_CREATE_BLOB)).isEqualTo(1);
    assertThat(github.calls(SYNC_OPS)).isEqualTo(6);
    assertThat(github.file(OWNER, REPO, BRANCH, folderOf("bin-proj") + "/board.png")).isEqualTo(png);

    SyncJob again = requestAndRun(List.of("bin-proj"));
    assertThat(again.commitSha()).isNull();
    assertThat(github.writes()).isZero();
  }

  @Test
  void a_file_with_nul_bytes_is_binary_even_when_it_is_valid_utf8() {
    projects.put(alice, new Project("nul-proj", "Nul", List.of(new Project.File("x.bin", new byte[] {'a', 0}))));
    requestAndRun(List.of("nul-proj"));
    assertThat(github.calls(OP_CREATE_BLOB)).isEqualTo(1);
  }

  @Test
  void a_truncated_tree_treats_every_file_as_changed() {
    List<String> ids = textProjects(2);
    requestAndRun(ids);
    github.truncateTrees(true);
    clock.advance(Duration.ofMinutes(1));
    SyncJob job = requestAndRun(ids);
    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(job.filesChanged()).isEqualTo(8);
    assertThat(github.calls(SYNC_OPS)).isEqualTo(5);
  }

  // ---------------------------------------------------------------- non-fast-forward

  @Test
  void a_branch_that_moved_once_is_synced_on_its_new_head() {
    List<String> ids = textProjects(2);
    github.racePushBeforeUpdateRef(1);
    SyncJob job = requestAndRun(ids);

    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(github.calls(OP_UPDATE_REF)).isEqualTo(2);
    assertThat(github.calls(OP_HEAD)).isEqualTo(2);
    assertThat(github.calls(SYNC_OPS)).isEqualTo(10);
    String head = github.head(OWNER, REPO, BRANCH);
    assertThat(job.commitSha()).isEqualTo(head);
    assertThat(github.messageOf(github.parentOf(head))).isEqualTo("other push");
    assertThat(github.paths(OWNER, REPO, BRANCH)).contains("other/race-1.txt", folderOf(ids.get(0)) + "/main.ino");
  }

  @Test
  void a_branch_that_keeps_moving_fails_the_job_after_three_retries() {
    textProjects(1);
    github.racePushBeforeUpdateRef(Integer.MAX_VALUE);
    SyncJob job = requestAndRun(List.of("00000000-proj"));

    assertThat(job.status()).isEqualTo(SyncJob.Status.FAILED);
    assertThat(job.error()).contains("fast forward");
    assertThat(job.finishedAt()).isEqualTo(clock.instant());
    assertThat(github.calls(OP_UPDATE_REF)).isEqualTo(4); // first try + 3 retries
    assertThat(scheduler.calls(JobScheduler.SYNC_TASK)).hasSize(1); // only the request's; no retry scheduled
  }

  @Test
  void blobs_are_made_once_even_when_the_commit_is_rebuilt() {
    projects.put(alice, new Project("bin-proj", "Board", List.of(new Project.File("a.bin", new byte[] {0, 1, 2}))));
    github.racePushBeforeUpdateRef(2);
    SyncJob job = requestAndRun(List.of("bin-proj"));
    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(github.calls(OP_CREATE_BLOB)).isEqualTo(1);
    assertThat(github.calls(OP_UPDATE_REF)).isEqualTo(3);
  }

  // ---------------------------------------------------------------- rate limits and failures

  @Test
  void a_rate_limit_requeues_the_job_for_after_retry_after_without_a_tight_loop() {
    textProjects(1);
    github.rateLimitNext(OP_TREE, Duration.ofSeconds(8));
    Instant now = clock.instant();
    SyncJob job = requestAndRun(List.of("00000000-proj"));

    assertThat(job.status()).isEqualTo(SyncJob.Status.QUEUED);
    assertThat(job.attempts()).isEqualTo(1);
    assertThat(job.error()).contains("rate limited");
    assertThat(github.calls(OP_HEAD)).isEqualTo(1);
    assertThat(github.calls(OP_TREE)).isEqualTo(1);
    assertThat(github.writes()).isZero();
    List<RecordingScheduler.Call> retries = scheduler.calls(JobScheduler.SYNC_TASK);
    assertThat(retries).hasSize(2);
    RecordingScheduler.Call retry = retries.get(1);
    assertThat(retry.kind()).isEqualTo(RecordingScheduler.Kind.SCHEDULE);
    assertThat(retry.instanceId()).isEqualTo(job.id().toString());
    assertThat(retry.at()).isAfterOrEqualTo(now.plusSeconds(8)).isBeforeOrEqualTo(now.plus(Duration.ofMinutes(15)));

    // the scheduler runs it when due
    clock.set(retry.at());
    assertThat(scheduler.take(JobScheduler.SYNC_TASK, job.id().toString())).isTrue();
    sync.runJob(job.id());
    SyncJob done = jobs.get(job.id());
    assertThat(done.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.commitSha()).isNotNull();
  }

  @Test
  void a_rate_limit_while_getting_the_token_is_retried_too() {
    textProjects(1);
    tokens.failWith(alice, Provider.GITHUB, () -> new com.nexflux.integrations.core.error.RateLimitedException(
        "token endpoint busy", Duration.ZERO));
    SyncJob job = runDirect(List.of("00000000-proj"));
    assertThat(job.status()).isEqualTo(SyncJob.Status.QUEUED);
    assertThat(scheduler.scheduledAt(JobScheduler.SYNC_TASK, job.id().toString()))
        .contains(clock.instant().plusSeconds(1)); // at least one second, never now
  }

  @Test
  void backoff_honours_retry_after_grows_with_attempts_and_is_capped() {
    Duration second = Duration.ofSeconds(1);
    assertThat(SyncService.backoff(Duration.ofSeconds(8), second, 1)).isEqualTo(Duration.ofSeconds(8));
    assertThat(SyncService.backoff(Duration.ofSeconds(8), second, 2)).isEqualTo(Duration.ofSeconds(16));
    assertThat(SyncService.backoff(Duration.ofSeconds(8), second, 4)).isEqualTo(Duration.ofSeconds(64));
    assertThat(SyncService.backoff(Duration.ofSeconds(8), second, 9)).isEqualTo(Duration.ofMinutes(15));
    assertThat(SyncService.backoff(null, second, 1)).isEqualTo(second);
    assertThat(SyncService.backoff(Duration.ZERO, second, 1)).isEqualTo(second);
    assertThat(SyncService.backoff(Duration.ofMillis(-5), second, 3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(SyncService.backoff(null, Duration.ofSeconds(5), 2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(SyncService.backoff(Duration.ofHours(1), second, 1)).isEqualTo(Duration.ofHours(1));
    assertThat(SyncService.backoff(Duration.ofSeconds(8), second, Integer.MAX_VALUE))
        .isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void a_job_rate_limited_ten_times_fails() {
    textProjects(1);
    for (int i = 0; i < SyncService.MAX_ATTEMPTS; i++) {
      github.rateLimitNext(OP_HEAD, Duration.ofSeconds(8));
    }
    SyncJob job = service.requestSync(alice, REPO_ID, List.of("00000000-proj"), ctx);
    String instance = job.id().toString();
    int runs = 0;
    while (scheduler.take(JobScheduler.SYNC_TASK, instance)) {
      clock.set(scheduler.calls(JobScheduler.SYNC_TASK).get(scheduler.calls(JobScheduler.SYNC_TASK).size() - 1).at());
      sync.runJob(job.id());
      runs++;
      assertThat(runs).isLessThanOrEqualTo(SyncService.MAX_ATTEMPTS);
    }
    SyncJob failed = jobs.get(job.id());
    assertThat(runs).isEqualTo(SyncService.MAX_ATTEMPTS);
    assertThat(failed.status()).isEqualTo(SyncJob.Status.FAILED);
    assertThat(failed.attempts()).isEqualTo(SyncService.MAX_ATTEMPTS);
    assertThat(failed.error()).contains("gave up after 10 attempts");
    assertThat(github.calls(OP_HEAD)).isEqualTo(10);
    // waits grew: 8 s, 16 s, 32 s, ... capped at 15 min
    List<Instant> ats = scheduler.calls(JobScheduler.SYNC_TASK).stream().map(RecordingScheduler.Call::at).toList();
    assertThat(Duration.between(ats.get(1), ats.get(2))).isEqualTo(Duration.ofSeconds(16));
    assertThat(Duration.between(ats.get(8), ats.get(9))).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void a_server_error_requeues_with_backoff() {
    textProjects(1);
    github.serverErrorNext(OP_UPDATE_REF);
    Instant now = clock.instant();
    SyncJob job = requestAndRun(List.of("00000000-proj"));
    assertThat(job.status()).isEqualTo(SyncJob.Status.QUEUED);
    assertThat(scheduler.scheduledAt(JobScheduler.SYNC_TASK, job.id().toString()))
        .hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(now.plusSeconds(5)));

    scheduler.take(JobScheduler.SYNC_TASK, job.id().toString());
    sync.runJob(job.id());
    assertThat(jobs.get(job.id()).status()).isEqualTo(SyncJob.Status.SUCCEEDED);
  }

  @Test
  void a_connection_needing_reauthorization_fails_the_job_with_a_clear_message() {
    textProjects(1);
    SyncJob queued = service.requestSync(alice, REPO_ID, List.of("00000000-proj"), ctx);
    tokens.failWith(alice, Provider.GITHUB, () -> new ReauthRequiredException(Provider.GITHUB));
    sync.runJob(queued.id());
    SyncJob job = jobs.get(queued.id());
    assertThat(job.status()).isEqualTo(SyncJob.Status.FAILED);
    assertThat(job.error()).contains("authorized again");
    assertThat(scheduler.calls(JobScheduler.SYNC_TASK)).hasSize(1);
  }

  @Test
  void a_token_github_refuses_fails_the_job() {
    textProjects(1);
    SyncJob queued = service.requestSync(alice, REPO_ID, List.of("00000000-proj"), ctx);
    github.forgetToken(TOKEN);
    sync.runJob(queued.id());
    assertThat(jobs.get(queued.id()).status()).isEqualTo(SyncJob.Status.FAILED);
    assertThat(jobs.get(queued.id()).error()).contains("reconnect GitHub");
  }

  @Test
  void a_repository_that_is_gone_fails_the_job() {
    textProjects(1);
    SyncJob queued = service.requestSync(alice, REPO_ID, List.of("00000000-proj"), ctx);
    // the account lost access: a fresh GitHub without the repository, same token
    github = new FakeGitHubApi().account(TOKEN, new GitHubAccount(1001, OWNER, null, null));
    sync = newSync(connections);
    sync.runJob(queued.id());
    SyncJob job = jobs.get(queued.id());
    assertThat(job.status()).isEqualTo(SyncJob.Status.FAILED);
    assertThat(job.error()).contains("not among the repositories");
    assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(1); // the stale location was checked once
  }

  @Test
  void a_disconnected_user_s_job_fails() {
    textProjects(1);
    SyncJob queued = service.requestSync(alice, REPO_ID, List.of("00000000-proj"), ctx);
    service.disconnect(alice, ctx);
    tokens.remove(alice, Provider.GITHUB);
    sync.runJob(queued.id());
    assertThat(jobs.get(queued.id()).status()).isEqualTo(SyncJob.Status.FAILED);
  }

  @Test
  void an_unexpected_failure_fails_the_job() {
    textProjects(1);
    github.failNext(OP_CREATE_TREE, () -> new IllegalStateException("boom"));
    SyncJob job = requestAndRun(List.of("00000000-proj"));
    assertThat(job.status()).isEqualTo(SyncJob.Status.FAILED);
    assertThat(job.error()).contains("unexpectedly");
  }

  @Test
  void projects_deleted_before_the_run_are_skipped_and_none_left_fails() {
    List<String> ids = textProjects(2);
    SyncJob queued = service.requestSync(alice, REPO_ID, ids, ctx);
    projects.remove(alice, ids.get(0));
    sync.runJob(queued.id());
    SyncJob job = jobs.get(queued.id());
    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(job.filesChanged()).isEqualTo(4);

    SyncJob second = service.requestSync(alice, REPO_ID, List.of(ids.get(1)), ctx);
    projects.remove(alice, ids.get(1));
    sync.runJob(second.id());
    assertThat(jobs.get(second.id()).status()).isEqualTo(SyncJob.Status.FAILED);
    assertThat(jobs.get(second.id()).error()).contains("None of the projects");
  }

  @Test
  void a_path_that_turned_bad_after_the_request_fails_the_job_without_writing() {
    textProjects(1);
    SyncJob queued = service.requestSync(alice, REPO_ID, List.of("00000000-proj"), ctx);
    projects.putText(alice, "00000000-proj", "Project 0", "../escape.txt", "x");
    github.resetCalls();
    sync.runJob(queued.id());
    assertThat(jobs.get(queued.id()).status()).isEqualTo(SyncJob.Status.FAILED);
    assertThat(jobs.get(queued.id()).error()).contains("../escape.txt");
    assertThat(github.writes()).isZero();
  }

  // ---------------------------------------------------------------- idempotence and bookkeeping

  @Test
  void running_a_finished_job_again_does_nothing() {
    textProjects(1);
    SyncJob job = requestAndRun(List.of("00000000-proj"));
    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    int saves = jobs.saves().size();
    github.resetCalls();

    sync.runJob(job.id());
    sync.runJob(job.id());
    assertThat(jobs.saves()).hasSize(saves);
    assertThat(github.callCounts()).isEmpty();
    assertThat(jobs.get(job.id())).isEqualTo(job);
  }

  @Test
  void a_failed_job_is_not_run_again_and_an_unknown_job_is_ignored() {
    textProjects(1);
    github.racePushBeforeUpdateRef(Integer.MAX_VALUE);
    SyncJob failed = requestAndRun(List.of("00000000-proj"));
    github.resetCalls();
    sync.runJob(failed.id());
    sync.runJob(UUID.randomUUID());
    assertThat(github.callCounts()).isEmpty();
    assertThat(jobs.get(failed.id())).isEqualTo(failed);
  }

  @Test
  void a_job_left_running_by_a_dead_execution_runs_again_without_a_second_commit() {
    textProjects(1);
    SyncJob job = requestAndRun(List.of("00000000-proj"));
    jobs.save(new SyncJob(job.id(), job.userId(), job.provider(), job.targetId(), job.projectIds(), SyncJob.Status.RUNNING,
        null, 0, null, 1, job.createdAt(), null));
    github.resetCalls();
    sync.runJob(job.id());
    SyncJob rerun = jobs.get(job.id());
    assertThat(rerun.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(rerun.attempts()).isEqualTo(2);
    assertThat(github.writes()).isZero();
  }

  @Test
  void the_job_is_marked_running_with_one_more_attempt_before_it_syncs() {
    textProjects(1);
    SyncJob job = requestAndRun(List.of("00000000-proj"));
    List<SyncJob.Status> history = jobs.saves().stream().filter(j -> j.id().equals(job.id()))
        .map(SyncJob::status).toList();
    assertThat(history).containsExactly(SyncJob.Status.QUEUED, SyncJob.Status.RUNNING, SyncJob.Status.SUCCEEDED);
    assertThat(job.attempts()).isEqualTo(1);
  }

  @Test
  void success_records_last_sync_in_the_connection() {
    textProjects(1);
    clock.advance(Duration.ofHours(2));
    requestAndRun(List.of("00000000-proj"));
    Map<String, Object> config = connections.stored(alice, Provider.GITHUB).orElseThrow().config();
    assertThat(config.get("last_sync")).isEqualTo(Map.of(Long.toString(REPO_ID), clock.instant().toString()));
    assertThat(config).containsEntry("username", OWNER).containsEntry("auto_sync", true);
  }

  @Test
  void a_failed_sync_does_not_touch_last_sync() {
    textProjects(1);
    github.racePushBeforeUpdateRef(Integer.MAX_VALUE);
    requestAndRun(List.of("00000000-proj"));
    assertThat(connections.stored(alice, Provider.GITHUB).orElseThrow().config()).doesNotContainKey("last_sync");
  }

  // ---------------------------------------------------------------- auto-sync

  @Test
  void auto_sync_takes_the_pending_projects_and_commits_them_in_one_job() {
    List<String> ids = textProjects(3);
    service.projectChanged(alice, ids.get(0));
    service.projectChanged(alice, ids.get(2));
    service.projectChanged(alice, ids.get(0));
    String instance = autoSyncInstance();
    assertThat(scheduler.scheduledAt(JobScheduler.AUTO_SYNC_TASK, instance)).isPresent();

    github.resetCalls();
    sync.runAutoSync(instance);

    assertThat(jobs.all()).hasSize(1);
    SyncJob job = jobs.all().get(0);
    assertThat(job.projectIds()).containsExactly(ids.get(0), ids.get(2));
    assertThat(job.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(job.filesChanged()).isEqualTo(8);
    assertThat(jobs.pending(target)).isEmpty();
    assertThat(github.calls(SYNC_OPS)).isEqualTo(5);

    sync.runAutoSync(instance); // nothing pending: no job
    assertThat(jobs.all()).hasSize(1);
  }

  @Test
  void auto_sync_turned_off_while_waiting_drops_the_pending_projects() {
    List<String> ids = textProjects(1);
    service.projectChanged(alice, ids.get(0));
    service.updateSettings(alice, false, null, ctx);
    sync.runAutoSync(autoSyncInstance());
    assertThat(jobs.all()).isEmpty();
    assertThat(jobs.pending(target)).isEmpty();
  }

  @Test
  void a_malformed_auto_sync_instance_is_ignored() {
    sync.runAutoSync("not-an-instance");
    sync.runAutoSync("nope:12");
    sync.runAutoSync(alice + ":x");
    sync.runAutoSync(UUID.randomUUID().toString()); // no such debounce key
    assertThat(jobs.all()).isEmpty();
  }

  @Test
  void an_auto_sync_scheduled_before_the_upgrade_under_the_legacy_instance_id_still_runs() {
    List<String> ids = textProjects(1);
    service.projectChanged(alice, ids.get(0));
    github.resetCalls();
    // what the legacy task "github-auto-sync" hands over: <user id>:<repository id>
    sync.runAutoSync(GitHubSyncDestination.legacyAutoSyncTarget(alice + ":" + REPO_ID).orElseThrow());
    assertThat(jobs.all()).singleElement().satisfies(j -> {
      assertThat(j.status()).isEqualTo(SyncJob.Status.SUCCEEDED);
      assertThat(j.projectIds()).containsExactly(ids.get(0));
    });
    assertThat(GitHubSyncDestination.legacyAutoSyncTarget("nope:12")).isEmpty();
    assertThat(GitHubSyncDestination.legacyAutoSyncTarget(alice + ":x")).isEmpty();
    assertThat(GitHubSyncDestination.legacyAutoSyncTarget("no-colon")).isEmpty();
  }

  @Test
  void a_rate_limited_auto_sync_schedules_its_job() {
    List<String> ids = textProjects(1);
    service.projectChanged(alice, ids.get(0));
    github.rateLimitNext(OP_HEAD, Duration.ofSeconds(30));
    sync.runAutoSync(autoSyncInstance());
    SyncJob job = jobs.all().get(0);
    assertThat(job.status()).isEqualTo(SyncJob.Status.QUEUED);
    assertThat(scheduler.scheduledAt(JobScheduler.SYNC_TASK, job.id().toString()))
        .contains(clock.instant().plusSeconds(30));
  }

  @Test
  void many_projects_in_many_requests_each_cost_a_constant_number_of_calls() {
    List<String> ids = textProjects(250);
    List<Integer> perJob = new ArrayList<>();
    for (int from = 0; from < 250; from += 50) {
      requestAndRun(ids.subList(from, from + 50));
      perJob.add(github.calls(SYNC_OPS));
    }
    assertThat(perJob).containsOnly(5);
    assertThat(IntStream.range(0, 250).mapToObj(i -> folderOf(ids.get(i)) + "/README.md")
        .allMatch(p -> github.file(OWNER, REPO, BRANCH, p) != null)).isTrue();
  }

  @Test
  void a_database_failure_while_recording_last_sync_still_reports_success() {
    textProjects(1);
    SyncJob queued = service.requestSync(alice, REPO_ID, List.of("00000000-proj"), ctx);
    OAuthConnectionRepository failingConfig = new OAuthConnectionRepository() {
      @Override
      public Optional<OAuthConnection> find(UserId userId, Provider provider) {
        return connections.find(userId, provider);
      }

      @Override
      public void save(OAuthConnection connection, AuditEvent audit) {
        connections.save(connection, audit);
      }

      @Override
      public boolean updateConfig(OAuthConnection connection) {
        throw new UnavailableException("database is down (simulated)", null);
      }

      @Override
      public Optional<OAuthConnection> changeConfig(UserId userId, Provider provider,
          java.util.function.UnaryOperator<Map<String, Object>> change, Instant now, AuditEvent audit) {
        throw new UnavailableException("database is down (simulated)", null);
      }

      @Override
      public boolean delete(UserId userId, Provider provider, AuditEvent audit) {
        return connections.delete(userId, provider, audit);
      }

      @Override
      public <T> Optional<T> withLock(UserId userId, Provider provider, boolean skipLocked, LockedWork<T> work) {
        return connections.withLock(userId, provider, skipLocked, work);
      }

      @Override
      public List<Key> dueForRefresh(Instant expiringBefore, int limit) {
        return List.of();
      }
    };
    sync = newSync(failingConfig);
    sync.runJob(queued.id());
    assertThat(jobs.get(queued.id()).status()).isEqualTo(SyncJob.Status.SUCCEEDED);
    assertThat(jobs.get(queued.id()).commitSha()).isNotNull();
  }
}
