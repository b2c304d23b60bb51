package com.nexflux.integrations.core.github;

import static com.nexflux.integrations.core.testing.FakeGitHubApi.OP_REPOSITORIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Secret;
import java.net.URI;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.sync.JobScheduler;
import com.nexflux.integrations.core.sync.SyncService;
import com.nexflux.integrations.core.testing.AesGcmTestCipher;
import com.nexflux.integrations.core.testing.FakeGitHubApi;
import com.nexflux.integrations.core.testing.ScriptedOAuthClient;
import com.nexflux.integrations.core.oauth.ConnectionDisconnect;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.Revocation;
import com.nexflux.integrations.core.testing.FixedAccessTokens;
import com.nexflux.integrations.core.testing.InMemoryAuditLog;
import com.nexflux.integrations.core.testing.InMemoryGitHubConnections;
import com.nexflux.integrations.core.testing.InMemorySyncJobs;
import com.nexflux.integrations.core.testing.MapProjectSource;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.core.testing.RecordingScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GitHubIntegrationServiceTest {
  static final OAuthProviderConfig GITHUB_APP = new OAuthProviderConfig(Provider.GITHUB, "gh-client",
      Secret.of("gh-client-secret"), URI.create("https://github.com/login/oauth/authorize"),
      URI.create("https://github.com/login/oauth/access_token"),
      URI.create("https://api.nexflux.example/api/v1/auth/github/callback"), List.of("repo"), List.of("read:user"),
      URI.create("https://api.github.com"));
  static final String ALICE_TOKEN = "gho_alice_CANARY";
  static final String BOB_TOKEN = "gho_bob_CANARY";
  static final Instant CONNECTED_AT = Instant.parse("2026-01-10T08:00:00Z");
  static final GitHubRepository CIRCUITS = new GitHubRepository(12345, "my-circuits", "johndoe/my-circuits",
      "johndoe", false, "main");
  static final GitHubRepository PRIVATE = new GitHubRepository(67890, "secret-lab", "johndoe/secret-lab", "johndoe",
      true, "trunk");
  static final GitHubRepository BOBS = new GitHubRepository(555, "bobs-repo", "bob/bobs-repo", "bob", false, "main");

  final UserId alice = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
  final UserId bob = new UserId(UUID.fromString("00000000-0000-4000-8000-000000000b0b"));
  final RequestContext ctx = new RequestContext("req-1", "198.51.100.23", "JUnit/5");

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryGitHubConnections connections;
  FixedAccessTokens tokens;
  FakeGitHubApi github;
  ScriptedOAuthClient oauth;
  InMemorySyncJobs jobs;
  RecordingScheduler scheduler;
  MapProjectSource projects;
  GitHubIntegrationService service;

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    connections = new InMemoryGitHubConnections(audit);
    tokens = new FixedAccessTokens().put(alice, Provider.GITHUB, ALICE_TOKEN).put(bob, Provider.GITHUB, BOB_TOKEN);
    github = new FakeGitHubApi()
        .account(ALICE_TOKEN, new GitHubAccount(1001, "johndoe", "https://github.com/johndoe.png", "john@example.com"))
        .repository(ALICE_TOKEN, CIRCUITS)
        .repository(ALICE_TOKEN, PRIVATE)
        .account(BOB_TOKEN, new GitHubAccount(2002, "bob", null, null))
        .repository(BOB_TOKEN, BOBS);
    jobs = new InMemorySyncJobs(audit);
    scheduler = new RecordingScheduler();
    projects = new MapProjectSource();
    oauth = new ScriptedOAuthClient(clock);
    ConnectionDisconnect disconnects = new ConnectionDisconnect(Map.of(Provider.GITHUB,
        new GrantStrategy.AuthorizationCode(GITHUB_APP, new Revocation.GitHubGrant(GITHUB_APP.apiBaseUrl()))),
        tokens, oauth, connections, new AesGcmTestCipher(), clock);
    SyncService sync = new SyncService(jobs, projects, scheduler, clock, Duration.ofSeconds(30))
        .register(new GitHubSyncDestination(connections, tokens, github, clock, 3));
    service = new GitHubIntegrationService(connections, tokens, github, disconnects, sync, jobs, projects, clock,
        Duration.ofSeconds(60));
  }

  Map<String, Object> aliceConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("username", "johndoe");
    config.put("avatar_url", "https://github.com/johndoe.png");
    config.put("email", "john@example.com");
    config.put("scopes", List.of("repo", "read:user"));
    config.put("auto_sync", true);
    config.put("selected_repos", List.of(12345)); // as JSON storage gives it back: an Integer
    config.put("last_sync", Map.of("12345", "2026-01-15T09:00:00Z"));
    return config;
  }

  /** @return the debounce key (auto-sync instance id) of alice's repository */
  String key(long repositoryId) {
    return jobs.debounceKey(GitHubSyncDestination.target(alice, repositoryId)).orElseThrow().toString();
  }

  OAuthConnection connection(UserId user, String accountId, ConnectionStatus status, Map<String, Object> config) {
    return new OAuthConnection(user, Provider.GITHUB, status, accountId,
        status == ConnectionStatus.CONNECTED ? new EncryptedSecret("enc") : null, null, null, null,
        List.of("repo", "read:user"), config, CONNECTED_AT, CONNECTED_AT, 1);
  }

  void connectAlice() {
    connections.store(connection(alice, "1001", ConnectionStatus.CONNECTED, aliceConfig()));
  }

  void connectBob() {
    connections.store(connection(bob, "2002", ConnectionStatus.CONNECTED, Map.of("username", "bob")));
  }

  Map<String, Object> storedConfig(UserId user) {
    return connections.stored(user, Provider.GITHUB).orElseThrow().config();
  }

  // ---------------------------------------------------------------- view

  @Nested
  class View {
    @Test
    void without_a_connection_it_is_not_configured_and_asks_nobody() {
      GitHubView view = service.view(alice);
      assertThat(view).isEqualTo(new GitHubView(false, null, null, null, null, List.of(), false, List.of(),
          "not_configured"));
      assertThat(github.callCounts()).isEmpty();
      assertThat(tokens.calls()).isZero();
    }

    @Test
    void has_the_spec_shape_with_synced_and_last_sync() {
      connectAlice();
      GitHubView view = service.view(alice);
      assertThat(view.connected()).isTrue();
      assertThat(view.status()).isEqualTo("connected");
      assertThat(view.username()).isEqualTo("johndoe");
      assertThat(view.avatarUrl()).isEqualTo("https://github.com/johndoe.png");
      assertThat(view.email()).isEqualTo("john@example.com");
      assertThat(view.connectedAt()).isEqualTo(CONNECTED_AT);
      assertThat(view.autoSync()).isTrue();
      assertThat(view.scopes()).containsExactly("repo", "read:user");
      assertThat(view.repositories()).containsExactly(
          new GitHubView.Repository(12345, "my-circuits", "johndoe/my-circuits", false, true,
              Instant.parse("2026-01-15T09:00:00Z")),
          new GitHubView.Repository(67890, "secret-lab", "johndoe/secret-lab", true, false, null));
    }

    @Test
    void a_connection_needing_reauthorization_shows_the_stored_profile_without_calling_github() {
      connections.store(connection(alice, "1001", ConnectionStatus.NEEDS_REAUTH, aliceConfig()));
      GitHubView view = service.view(alice);
      assertThat(view.status()).isEqualTo("needs_reauth");
      assertThat(view.connected()).isFalse();
      assertThat(view.username()).isEqualTo("johndoe");
      assertThat(view.repositories()).isEmpty();
      assertThat(github.callCounts()).isEmpty();
      assertThat(tokens.calls()).isZero();
    }

    @Test
    void a_refresh_that_needs_reauthorization_answers_needs_reauth() {
      connectAlice();
      tokens.failWith(alice, Provider.GITHUB, () -> new ReauthRequiredException(Provider.GITHUB));
      GitHubView view = service.view(alice);
      assertThat(view.status()).isEqualTo("needs_reauth");
      assertThat(view.email()).isEqualTo("john@example.com");
      assertThat(view.repositories()).isEmpty();
      assertThat(github.callCounts()).isEmpty();
    }

    @Test
    void a_token_github_refuses_answers_needs_reauth() {
      connectAlice();
      github.forgetToken(ALICE_TOKEN);
      assertThat(service.view(alice).status()).isEqualTo("needs_reauth");
    }

    @Test
    void repositories_are_cached_per_user_for_the_ttl() {
      connectAlice();
      connectBob();
      service.view(alice);
      service.view(alice);
      assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(1);
      service.view(bob); // another user's cache
      assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(2);

      clock.advance(Duration.ofSeconds(59));
      service.view(alice);
      assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(2);
      clock.advance(Duration.ofSeconds(1));
      service.view(alice);
      assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(3);
    }

    @Test
    void a_stale_list_is_shown_when_github_is_down_and_nothing_cached_is_an_error() {
      connectAlice();
      github.serverErrorNext(OP_REPOSITORIES);
      assertThatThrownBy(() -> service.view(alice)).isInstanceOf(UnavailableException.class);

      service.view(alice);
      clock.advance(Duration.ofMinutes(5));
      github.serverErrorNext(OP_REPOSITORIES);
      assertThat(service.view(alice).repositories()).hasSize(2);
    }

    @Test
    void the_selection_read_from_storage_may_hold_longs_or_strings() {
      Map<String, Object> config = aliceConfig();
      config.put("selected_repos", List.of(67890L, "12345", "junk"));
      config.put("last_sync", Map.of("67890", "not a time"));
      connections.store(connection(alice, "1001", ConnectionStatus.CONNECTED, config));
      assertThat(service.view(alice).repositories()).extracting(GitHubView.Repository::synced)
          .containsExactly(true, true);
      assertThat(service.view(alice).repositories()).extracting(GitHubView.Repository::lastSync)
          .containsOnlyNulls();
    }
  }

  // ---------------------------------------------------------------- settings

  @Nested
  class Settings {
    @Test
    void rejects_unknown_repository_ids_naming_them_and_stores_nothing() {
      connectAlice();
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.updateSettings(alice, false, List.of(12345L, 999L, 555L), ctx));
      assertThat(e.errors()).extracting(FieldError::field).containsExactly("selected_repos");
      assertThat(e.errors().get(0).message()).contains("999").contains("555").doesNotContain("12345");
      assertThat(storedConfig(alice)).isEqualTo(aliceConfig());
      assertThat(audit.withAction(AuditEvent.Actions.UPDATE)).isEmpty();
    }

    @Test
    void stores_a_deduplicated_selection_and_auto_sync_and_audits_it() {
      connectAlice();
      GitHubView view = service.updateSettings(alice, false, List.of(67890L, 12345L, 67890L), ctx);
      assertThat(storedConfig(alice).get("selected_repos")).isEqualTo(List.of(67890L, 12345L));
      assertThat(storedConfig(alice).get("auto_sync")).isEqualTo(false);
      assertThat(storedConfig(alice)).containsEntry("username", "johndoe").containsKey("last_sync");
      assertThat(view.autoSync()).isFalse();
      assertThat(view.repositories()).extracting(GitHubView.Repository::synced).containsExactly(true, true);

      AuditEvent event = audit.latest();
      assertThat(event.action()).isEqualTo(AuditEvent.Actions.UPDATE);
      assertThat(event.provider()).isEqualTo(Provider.GITHUB);
      assertThat(event.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
      assertThat(event.context()).isEqualTo(ctx);
      assertThat(event.details()).containsEntry("auto_sync", "false").containsEntry("selected_repos", "2");
    }

    @Test
    void null_keeps_the_current_values_and_an_empty_list_clears_the_selection() {
      connectAlice();
      service.updateSettings(alice, null, null, ctx);
      assertThat(storedConfig(alice).get("auto_sync")).isEqualTo(true);
      // written back by the codec: the same id, now as a Long (JSON storage reads both alike)
      assertThat(storedConfig(alice).get("selected_repos")).isEqualTo(List.of(12345L));
      service.updateSettings(alice, null, List.of(), ctx);
      assertThat(storedConfig(alice).get("selected_repos")).isEqualTo(List.of());
    }

    @Test
    void a_repository_created_after_the_list_was_cached_is_found() {
      connectAlice();
      service.view(alice);
      GitHubRepository fresh = new GitHubRepository(4242, "new-one", "johndoe/new-one", "johndoe", false, "main");
      github.repository(ALICE_TOKEN, fresh);
      service.updateSettings(alice, null, List.of(4242L), ctx);
      assertThat(storedConfig(alice).get("selected_repos")).isEqualTo(List.of(4242L));
      assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(2);
    }

    @Test
    void needs_a_connection() {
      assertThatThrownBy(() -> service.updateSettings(alice, true, null, ctx)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void refuses_a_null_id() {
      connectAlice();
      List<Long> ids = new ArrayList<>();
      ids.add(null);
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.updateSettings(alice, true, ids, ctx));
      assertThat(e.errors().get(0).field()).isEqualTo("selected_repos");
    }
  }

  // ---------------------------------------------------------------- disconnect

  @Nested
  class Disconnect {
    @Test
    void revokes_the_grant_and_deletes_locally() {
      connectAlice();
      service.view(alice);
      service.disconnect(alice, ctx);

      assertThat(oauth.revokedTokens()).containsExactly(ALICE_TOKEN);
      assertThat(oauth.revocations().get(0).revocation()).isInstanceOf(Revocation.GitHubGrant.class);
      assertThat(connections.stored(alice, Provider.GITHUB)).isEmpty();
      AuditEvent event = audit.latest();
      assertThat(event.action()).isEqualTo(AuditEvent.Actions.DISCONNECT);
      assertThat(event.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
      assertThat(event.reason()).isNull();
      assertThat(event.details()).containsEntry("upstream_revoked", "true")
          .containsEntry("upstream_revocation", "revoked");
      assertThat(event.toString()).doesNotContain("CANARY");
      assertThat(service.view(alice).status()).isEqualTo("not_configured");
    }

    @Test
    void deletes_locally_even_when_github_fails_and_says_so() {
      connectAlice();
      oauth.failRevoke(() -> new UnavailableException("GitHub answered 502 (simulated)", null));
      service.disconnect(alice, ctx);

      assertThat(connections.stored(alice, Provider.GITHUB)).isEmpty();
      AuditEvent event = audit.latest();
      assertThat(event.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
      assertThat(event.reason()).isEqualTo("revoke_failed");
      assertThat(event.details()).containsEntry("upstream_revoked", "false")
          .containsEntry("upstream_revocation", "failed");
    }

    @Test
    void without_a_usable_token_it_skips_github_and_deletes() {
      connectAlice();
      tokens.failWith(alice, Provider.GITHUB, () -> new ReauthRequiredException(Provider.GITHUB));
      service.disconnect(alice, ctx);
      assertThat(oauth.revocations()).isEmpty();
      assertThat(connections.stored(alice, Provider.GITHUB)).isEmpty();
      assertThat(audit.latest().reason()).isEqualTo("no_token");
      assertThat(audit.latest().outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
    }

    @Test
    void a_connection_needing_reauthorization_is_deleted_without_asking_for_a_token() {
      connections.store(connection(alice, "1001", ConnectionStatus.NEEDS_REAUTH, aliceConfig()));
      service.disconnect(alice, ctx);
      assertThat(tokens.calls()).isZero();
      assertThat(github.callCounts()).isEmpty();
      assertThat(connections.stored(alice, Provider.GITHUB)).isEmpty();
      assertThat(audit.latest().reason()).isEqualTo("no_token");
    }

    @Test
    void is_idempotent() {
      connectAlice();
      service.disconnect(alice, ctx);
      github.resetCalls();
      service.disconnect(alice, ctx);
      assertThat(github.callCounts()).isEmpty();
      AuditEvent event = audit.latest();
      assertThat(event.action()).isEqualTo(AuditEvent.Actions.DISCONNECT);
      assertThat(event.reason()).isEqualTo("not_configured");
      assertThat(audit.withAction(AuditEvent.Actions.DISCONNECT)).hasSize(2);
    }

    @Test
    void drops_the_repository_cache() {
      connectAlice();
      service.view(alice);
      service.disconnect(alice, ctx);
      github.account(ALICE_TOKEN, new GitHubAccount(1001, "johndoe", null, null));
      connectAlice();
      service.view(alice);
      assertThat(github.calls(OP_REPOSITORIES)).isEqualTo(2);
    }
  }

  // ---------------------------------------------------------------- sync requests

  @Nested
  class RequestSync {
    @BeforeEach
    void projects() {
      connectAlice();
      projects.putText(alice, "uuid-1", "Blinky", "main.ino", "void setup(){}\n");
      projects.putText(alice, "uuid-2", "Motor", "main.ino", "void loop(){}\n");
    }

    @Test
    void queues_a_job_schedules_it_now_and_audits_it() {
      Instant now = clock.instant();
      SyncJob job = service.requestSync(alice, 12345, List.of("uuid-1", "uuid-2", "uuid-1"), ctx);

      assertThat(job.status()).isEqualTo(SyncJob.Status.QUEUED);
      assertThat(job.userId()).isEqualTo(alice);
      assertThat(GitHubSyncDestination.repositoryId(job)).isEqualTo(12345);
      assertThat(job.provider()).isEqualTo(Provider.GITHUB);
      assertThat(job.projectIds()).containsExactly("uuid-1", "uuid-2");
      assertThat(job.createdAt()).isEqualTo(now);
      assertThat(jobs.get(job.id())).isEqualTo(job);
      assertThat(scheduler.calls()).containsExactly(new RecordingScheduler.Call(RecordingScheduler.Kind.SCHEDULE,
          JobScheduler.SYNC_TASK, job.id().toString(), now));
      AuditEvent event = audit.latest();
      assertThat(event.action()).isEqualTo(GitHubIntegrationService.SYNC_REQUESTED);
      assertThat(event.details()).containsEntry("job_id", job.id().toString())
          .containsEntry("repository_id", "12345").containsEntry("projects", "2");
      // where the repository is, so the background sync needs no lookup
      assertThat(storedConfig(alice).get("repo_refs")).isEqualTo(Map.of("12345",
          Map.of("owner", "johndoe", "name", "my-circuits", "default_branch", "main")));
    }

    @Test
    void an_unknown_repository_names_repository_id() {
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(alice, 555, List.of("uuid-1"), ctx));
      assertThat(e.errors()).extracting(FieldError::field).containsExactly("repository_id");
      assertThat(jobs.all()).isEmpty();
      assertThat(scheduler.calls()).isEmpty();
    }

    @Test
    void no_projects_names_project_ids() {
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(alice, 12345, List.of(), ctx));
      assertThat(e.errors()).extracting(FieldError::field).containsExactly("project_ids");
      ValidationException nul = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(alice, 12345, null, ctx));
      assertThat(nul.errors()).extracting(FieldError::field).containsExactly("project_ids");
    }

    @Test
    void more_than_100_projects_are_refused() {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 101; i++) {
        ids.add("p" + i);
      }
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(alice, 12345, ids, ctx));
      assertThat(e.errors().get(0).field()).isEqualTo("project_ids");
      assertThat(e.errors().get(0).message()).contains("100");
      assertThat(projects.loads()).isZero();
    }

    @Test
    void unknown_projects_are_named_and_reported_with_the_repository() {
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(alice, 1, List.of("uuid-1", "nope-1", "nope-2"), ctx));
      assertThat(e.errors()).extracting(FieldError::field).containsExactly("project_ids", "repository_id");
      assertThat(e.errors().get(0).message()).contains("nope-1").contains("nope-2").doesNotContain("uuid-1");
    }

    @Test
    void malformed_project_ids_are_refused_before_loading() {
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(alice, 12345, List.of("../../etc"), ctx));
      assertThat(e.errors().get(0).field()).isEqualTo("project_ids");
      assertThat(projects.loads()).isZero();
    }

    @Test
    void a_project_with_a_path_that_leaves_its_folder_is_refused() {
      projects.putText(alice, "evil-1", "Evil", "../../.github/workflows/x.yml", "on: push",
          "C:\\win.txt", "x");
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(alice, 12345, List.of("uuid-1", "evil-1"), ctx));
      assertThat(e.errors()).extracting(FieldError::field).containsExactly("project_ids");
      assertThat(e.errors().get(0).message()).contains("evil-1").contains("../../.github/workflows/x.yml")
          .doesNotContain("uuid-1");
    }

    @Test
    void two_projects_that_would_share_a_folder_are_refused() {
      projects.putText(alice, "same-id-a", "Twin", "a.txt", "a");
      projects.putText(alice, "same-id-b", "Twin", "b.txt", "b");
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(alice, 12345, List.of("same-id-a", "same-id-b"), ctx));
      assertThat(e.errors().get(0).message()).contains("share one folder");
    }

    @Test
    void needs_a_connection_and_a_usable_token() {
      assertThatThrownBy(() -> service.requestSync(bob, 555, List.of("uuid-1"), ctx))
          .isInstanceOf(NotFoundException.class);
      tokens.failWith(alice, Provider.GITHUB, () -> new ReauthRequiredException(Provider.GITHUB));
      assertThatThrownBy(() -> service.requestSync(alice, 12345, List.of("uuid-1"), ctx))
          .isInstanceOf(ReauthRequiredException.class);
    }
  }

  // ---------------------------------------------------------------- jobs

  @Nested
  class Jobs {
    @Test
    void lists_the_user_s_jobs_newest_first_within_the_limit() {
      connectAlice();
      projects.putText(alice, "uuid-1", "Blinky", "main.ino", "x");
      SyncJob first = service.requestSync(alice, 12345, List.of("uuid-1"), ctx);
      clock.advance(Duration.ofSeconds(1));
      SyncJob second = service.requestSync(alice, 12345, List.of("uuid-1"), ctx);
      assertThat(service.jobs(alice, 10)).containsExactly(second, first);
      assertThat(service.jobs(alice, 1)).containsExactly(second);
      assertThat(service.job(alice, first.id())).isEqualTo(first);
    }

    @Test
    void the_limit_is_between_1_and_100() {
      for (int limit : new int[] {0, -1, 101}) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> service.jobs(alice, limit));
        assertThat(e.errors().get(0).field()).isEqualTo("limit");
      }
      assertThat(service.jobs(alice, 100)).isEmpty();
    }

    @Test
    void an_unknown_job_is_not_found() {
      assertThatThrownBy(() -> service.job(alice, UUID.randomUUID())).isInstanceOf(NotFoundException.class);
    }
  }

  // ---------------------------------------------------------------- isolation

  @Nested
  class Isolation {
    SyncJob alicesJob;

    @BeforeEach
    void twoUsers() {
      connectAlice();
      connectBob();
      projects.putText(alice, "uuid-1", "Blinky", "main.ino", "x");
      alicesJob = service.requestSync(alice, 12345, List.of("uuid-1"), ctx);
    }

    @Test
    void bob_cannot_read_alice_s_jobs() {
      assertThatThrownBy(() -> service.job(bob, alicesJob.id())).isInstanceOf(NotFoundException.class);
      assertThat(service.jobs(bob, 100)).isEmpty();
    }

    @Test
    void bob_sees_only_his_own_connection() {
      GitHubView view = service.view(bob);
      assertThat(view.username()).isEqualTo("bob");
      assertThat(view.repositories()).extracting(GitHubView.Repository::id).containsExactly(555L);
    }

    @Test
    void bob_cannot_sync_to_alice_s_repository_or_from_her_projects() {
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.requestSync(bob, 12345, List.of("uuid-1"), ctx));
      assertThat(e.errors()).extracting(FieldError::field).containsExactly("project_ids", "repository_id");
      ValidationException select = catchThrowableOfType(ValidationException.class,
          () -> service.updateSettings(bob, true, List.of(12345L), ctx));
      assertThat(select.errors().get(0).field()).isEqualTo("selected_repos");
    }

    @Test
    void bob_s_disconnect_leaves_alice_connected() {
      service.disconnect(bob, ctx);
      assertThat(connections.stored(alice, Provider.GITHUB)).isPresent();
      assertThat(connections.stored(bob, Provider.GITHUB)).isEmpty();
      assertThat(oauth.revokedTokens()).containsExactly(BOB_TOKEN);
      assertThat(service.view(alice).status()).isEqualTo("connected");
    }

    @Test
    void a_user_without_github_cannot_reach_anyone_s_connection() {
      UserId carol = new UserId(UUID.randomUUID());
      assertThat(service.view(carol).status()).isEqualTo("not_configured");
      assertThatThrownBy(() -> service.updateSettings(carol, true, null, ctx)).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> service.job(carol, alicesJob.id())).isInstanceOf(NotFoundException.class);
      service.disconnect(carol, ctx);
      assertThat(connections.stored(alice, Provider.GITHUB)).isPresent();
      assertThat(audit.latest().userId()).isEqualTo(carol);
      assertThat(audit.latest().reason()).isEqualTo("not_configured");
    }
  }

  // ---------------------------------------------------------------- auto-sync trigger

  @Nested
  class ProjectChanged {
    @Test
    void with_auto_sync_on_queues_a_debounced_sync_per_selected_repository() {
      Map<String, Object> config = aliceConfig();
      config.put("selected_repos", List.of(12345, 67890));
      connections.store(connection(alice, "1001", ConnectionStatus.CONNECTED, config));
      Instant start = clock.instant();

      service.projectChanged(alice, "uuid-1");
      assertThat(jobs.pending(GitHubSyncDestination.target(alice, 12345))).containsExactly("uuid-1");
      assertThat(jobs.pending(GitHubSyncDestination.target(alice, 67890))).containsExactly("uuid-1");
      assertThat(scheduler.calls()).containsExactly(
          new RecordingScheduler.Call(RecordingScheduler.Kind.SCHEDULE_OR_POSTPONE, JobScheduler.AUTO_SYNC_TASK,
              key(12345), start.plusSeconds(30)),
          new RecordingScheduler.Call(RecordingScheduler.Kind.SCHEDULE_OR_POSTPONE, JobScheduler.AUTO_SYNC_TASK,
              key(67890), start.plusSeconds(30)));

      clock.advance(Duration.ofSeconds(10));
      service.projectChanged(alice, "uuid-2");
      assertThat(jobs.pending(GitHubSyncDestination.target(alice, 12345))).containsExactly("uuid-1", "uuid-2");
      assertThat(scheduler.scheduledAt(JobScheduler.AUTO_SYNC_TASK, key(12345)))
          .contains(start.plusSeconds(40));
      assertThat(scheduler.waiting()).isEqualTo(2);
      assertThat(github.callCounts()).isEmpty();
      assertThat(jobs.all()).isEmpty();
    }

    @Test
    void with_auto_sync_off_does_nothing() {
      Map<String, Object> config = aliceConfig();
      config.put("auto_sync", false);
      connections.store(connection(alice, "1001", ConnectionStatus.CONNECTED, config));
      service.projectChanged(alice, "uuid-1");
      assertThat(scheduler.calls()).isEmpty();
      assertThat(jobs.pending(GitHubSyncDestination.target(alice, 12345))).isEmpty();
    }

    @Test
    void without_a_usable_connection_or_selection_does_nothing() {
      service.projectChanged(alice, "uuid-1");
      connections.store(connection(alice, "1001", ConnectionStatus.NEEDS_REAUTH, aliceConfig()));
      service.projectChanged(alice, "uuid-1");
      Map<String, Object> none = aliceConfig();
      none.put("selected_repos", List.of());
      connections.store(connection(alice, "1001", ConnectionStatus.CONNECTED, none));
      service.projectChanged(alice, "uuid-1");
      assertThat(scheduler.calls()).isEmpty();
      assertThat(jobs.pending(GitHubSyncDestination.target(alice, 12345))).isEmpty();
    }

    @Test
    void refuses_a_malformed_project_id() {
      connectAlice();
      ValidationException e = catchThrowableOfType(ValidationException.class,
          () -> service.projectChanged(alice, "../x"));
      assertThat(e.errors().get(0).field()).isEqualTo("project_id");
    }
  }
}
