package com.nexflux.integrations.app.bench.github;

import static com.nexflux.integrations.app.bench.github.BenchSupport.f;

import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.github.GitHubIntegrations;
import com.nexflux.integrations.persistence.DataSources;
import com.nexflux.integrations.persistence.PostgresPersistence;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nexflux.integrations.providers.github.OkHttpGitHubApi;
import com.nexflux.integrations.providers.projects.FileSystemProjectSource;
import com.nexflux.integrations.providers.testing.FakeGitHub;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;

/**
 * Part 1: GitHub API requests per sync for 1, 10, 100 and 500 text projects of 3 small files each.
 *
 * <p>Set-up as the end-to-end tests do it: the library facade ({@code NexfluxIntegrations.builder()} with
 * {@code .github(OAuthProviderConfig)}, {@code startBackgroundJobs(false)}), the contract-checked
 * {@link FakeGitHub} (every unknown token adopted as one account), a {@link FileSystemProjectSource} on a temporary
 * directory, a fresh database on the embedded PostgreSQL of {@link TestDatabase} behind the production pool
 * ({@link DataSources}, 10 connections). The GitHub connection is stored directly through the persistence (as
 * {@code TokenRefreshAcrossInstancesTest} does) with an access token valid for 8 hours, so no refresh happens.
 *
 * <p>Per size: a fresh repository, the user selects it ({@code updateSettings}, which remembers its location as the
 * UI's flow does), then an initial sync of the new projects, and {@code rounds} times: a changed sync (every file
 * of every project rewritten with new content) and an unchanged re-run. Up to 100 projects a sync is requested
 * through {@code github().requestSync(...)} (the API's limit is 100); above that the job is saved through the
 * persistence ({@code syncJobs().save(SyncJob.queued(...))}), as a host running jobs itself would. Either way the
 * job is then run on this thread by {@code syncRunner().runJob(id)} and the requests the fake received during the
 * run are counted ({@code FakeGitHub.requests()}, cleared before each run).
 */
final class SyncCallsBench {
  static final GitHubAccount OCTO = new GitHubAccount(4242, "octo-student", "https://avatars.example/u/4242",
      "octo@student.example");
  static final int FILES_PER_PROJECT = 3;
  private static final int MAX_PER_REQUEST = 100;

  /** One measured sync. */
  record Run(int projects, String kind, int round, String path, int requestCalls, int calls, int reads, int writes,
      Map<String, Integer> endpoints, int filesChanged, boolean ok, String problem, double jobMs, double apiMs,
      int naiveCalls) {}

  /** What part 1 found. */
  record Result(List<Run> runs, List<String> contractViolations, String setup) {}

  private final List<Integer> sizes;
  private final int rounds;
  private final int poolSize;

  SyncCallsBench(List<Integer> sizes, int rounds, int poolSize) {
    this.sizes = sizes;
    this.rounds = rounds;
    this.poolSize = poolSize;
  }

  Result run(long deadlineNanos) throws IOException {
    FakeGitHub github = FakeGitHub.start();
    github.adoptUnknownTokensAs(OCTO);
    TestDatabase database = TestDatabase.createEmpty();
    HikariDataSource dataSource = DataSources.create(database.jdbcUrl(), poolSize);
    Path projects = Files.createTempDirectory("nexflux-bench-projects");
    String keyset = TinkSecretCipher.generateKeysetJson();
    OAuthProviderConfig config = new OAuthProviderConfig(Provider.GITHUB, FakeGitHub.DEFAULT_CLIENT_ID,
        Secret.of(FakeGitHub.DEFAULT_CLIENT_SECRET), URI.create(github.baseUrl() + "/login/oauth/authorize"),
        URI.create(github.baseUrl() + "/login/oauth/access_token"),
        URI.create("http://127.0.0.1:1/api/v1/auth/github/callback"), List.of("repo", "read:user", "user:email"),
        List.of("read:user", "user:email"), github.baseUrl());
    // The same OkHttp client the facade builds for itself, wrapped only to time the calls.
    OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false).build();
    TimedGitHubApi api = new TimedGitHubApi(new OkHttpGitHubApi(http, config.apiBaseUrl(), config.clientId(),
        config.clientSecret(), Clock.systemUTC()));
    NexfluxIntegrations integrations = NexfluxIntegrations.builder()
        .dataSource(dataSource)
        .keyset(keyset)
        .github(config)
        .githubApi(api)
        .frontendUrl(URI.create("http://frontend.nexflux.test/settings/integrations"))
        .projectSource(new FileSystemProjectSource(projects))
        .instanceName("bench-sync")
        .startBackgroundJobs(false)
        .build();
    List<Run> runs = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    try {
      PostgresPersistence persistence = new PostgresPersistence(dataSource);
      UserId user = connect(persistence, keyset);
      GitHubIntegrations gh = integrations.github().orElseThrow();
      for (int n : sizes) {
        if (System.nanoTime() > deadlineNanos) {
          System.out.println("bench-github: sync part out of time; skipping " + n + " projects");
          break;
        }
        FakeGitHub.RepoRef repo = github.createRepositoryFor(OCTO, "bench-sync-" + n);
        gh.updateSettings(user, false, List.of(repo.id()), RequestContext.internal("bench-select"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          ids.add(f("p%03d%04d", n % 1000, i)); // unique in its first 8 characters (the folder's id part)
        }
        writeProjects(projects.resolve(user.value().toString()), ids, 0); // PROJECTS_DIR/<user id>/<id>
        runs.add(sync(github, api, integrations, persistence, user, repo, ids, "initial (new projects)", 0));
        for (int r = 1; r <= rounds && System.nanoTime() < deadlineNanos; r++) {
          writeProjects(projects.resolve(user.value().toString()), ids, r);
          runs.add(sync(github, api, integrations, persistence, user, repo, ids, "changed", r));
          runs.add(sync(github, api, integrations, persistence, user, repo, ids, "unchanged", r));
        }
        // What the repository holds now: every project's 3 files and manifest, plus the first commit's README.
        long synced = github.files(github.head(repo)).keySet().stream().filter(p -> p.startsWith("nexflux/")).count();
        if (synced != (long) n * (FILES_PER_PROJECT + 1)) {
          violations.add("repository bench-sync-" + n + " holds " + synced + " synced files, expected "
              + n * (FILES_PER_PROJECT + 1));
        }
        Run last = runs.get(runs.size() - 1);
        System.out.printf("bench-github: %4d projects: %s%n", n, summary(runs, n));
        if (!last.ok()) {
          System.out.println("bench-github:   problem: " + last.problem());
        }
      }
    } finally {
      integrations.close();
      dataSource.close();
      violations.addAll(github.takeContractViolations());
      github.close();
      deleteTree(projects);
    }
    String setup = f("FakeGitHub at %s, database %s (pool of %d), projects under a temporary directory",
        github.baseUrl(), database.name(), poolSize);
    return new Result(runs, violations, setup);
  }

  private static String summary(List<Run> runs, int n) {
    StringBuilder sb = new StringBuilder();
    for (Run r : runs) {
      if (r.projects() == n) {
        sb.append(f("[%s r%d: %d calls (%dR/%dW), %d files, %.0f ms%s] ", r.kind(), r.round(), r.calls(), r.reads(),
            r.writes(), r.filesChanged(), r.jobMs(), r.ok() ? "" : ", NOT OK"));
      }
    }
    return sb.toString().trim();
  }

  /** Stores a connected GitHub account with a token valid for 8 hours (no refresh during the run). */
  private static UserId connect(PostgresPersistence persistence, String keyset) {
    UserId user = new UserId(UUID.randomUUID());
    persistence.userDirectory().provision(user);
    TinkSecretCipher cipher = TinkSecretCipher.fromKeysetJson(keyset);
    Instant now = Instant.now();
    Map<String, Object> config = com.nexflux.integrations.core.github.GitHubSettingsCodec.encode(
        com.nexflux.integrations.core.github.GitHubSettings.INITIAL);
    config.putAll(com.nexflux.integrations.core.github.GitHubSettingsCodec.profile(
        com.nexflux.integrations.core.github.GitHubSettings.Profile.of(OCTO)));
    OAuthConnection connection = new OAuthConnection(user, Provider.GITHUB, ConnectionStatus.CONNECTED,
        Long.toString(OCTO.id()),
        cipher.encrypt(Secret.of("gho_bench_" + UUID.randomUUID()),
            new SecretContext(user, Provider.GITHUB, OAuthConnection.ACCESS_TOKEN_FIELD)),
        cipher.encrypt(Secret.of("ghr_bench_" + UUID.randomUUID()),
            new SecretContext(user, Provider.GITHUB, OAuthConnection.REFRESH_TOKEN_FIELD)),
        now.plus(Duration.ofHours(8)), now.plus(Duration.ofDays(180)), List.of("repo"), config, now, now, 1);
    persistence.oauthConnections().save(connection, new AuditEvent(UUID.randomUUID(), user, Provider.GITHUB,
        AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS, null, RequestContext.internal("bench"), now,
        Map.of()));
    return user;
  }

  /** Writes each project's 3 small text files; {@code revision} changes every file's content. */
  static void writeProjects(Path dir, List<String> ids, int revision) throws IOException {
    for (String id : ids) {
      Path p = dir.resolve(id);
      Files.createDirectories(p);
      Files.writeString(p.resolve("project.json"),
          "{\"name\": \"Circuit " + id + "\", \"revision\": " + revision + "}\n");
      Files.writeString(p.resolve("main.ino"), "// " + id + " revision " + revision + "\nconst int LED = 13;\n"
          + "void setup() { pinMode(LED, OUTPUT); }\nvoid loop() { digitalWrite(LED, HIGH); delay(" + (500 + revision)
          + "); digitalWrite(LED, LOW); delay(500); }\n");
      Files.writeString(p.resolve("README.md"), "# Circuit " + id + "\n\nRevision " + revision
          + ": blinks the on-board LED.\n");
    }
  }

  private static Run sync(FakeGitHub github, TimedGitHubApi api, NexfluxIntegrations integrations,
      PostgresPersistence persistence, UserId user, FakeGitHub.RepoRef repo, List<String> ids, String kind,
      int round) {
    int n = ids.size();
    String path;
    github.clearRequests();
    api.takeNanos();
    SyncJob job;
    if (n <= MAX_PER_REQUEST) {
      job = integrations.github().orElseThrow().requestSync(user, repo.id(), ids, RequestContext.internal("bench"));
      path = "requestSync";
    } else {
      job = SyncJob.queued(com.nexflux.integrations.core.github.GitHubSyncDestination.target(user, repo.id()), ids,
          Instant.now());
      persistence.syncJobs().save(job);
      path = "syncJobs().save";
    }
    int requestCalls = github.requests().size();
    github.clearRequests();
    api.takeNanos();
    long start = System.nanoTime();
    integrations.syncRunner().orElseThrow().runJob(job.id());
    long jobNanos = System.nanoTime() - start;
    long apiNanos = api.takeNanos();
    List<FakeGitHub.Recorded> requests = github.requests();
    SyncJob done = persistence.syncJobs().find(job.id()).orElseThrow();
    int reads = 0;
    int writes = 0;
    Map<String, Integer> endpoints = new TreeMap<>();
    for (FakeGitHub.Recorded r : requests) {
      if (r.method().equals("GET") || r.method().equals("HEAD")) {
        reads++;
      } else {
        writes++;
      }
      endpoints.merge(endpoint(r), 1, Integer::sum);
    }
    int expectedFiles = n * (FILES_PER_PROJECT + 1); // 3 files + the manifest per project
    boolean unchanged = kind.equals("unchanged");
    String problem = null;
    if (done.status() != SyncJob.Status.SUCCEEDED) {
      problem = "job " + done.status().key() + ": " + done.error();
    } else if (unchanged && (done.filesChanged() != 0 || done.commitSha() != null || writes != 0)) {
      problem = "an unchanged re-run changed " + done.filesChanged() + " files with " + writes + " writes";
    } else if (!unchanged && (done.filesChanged() != expectedFiles
        || !github.head(repo).equals(done.commitSha()))) {
      problem = "changed " + done.filesChanged() + " files (expected " + expectedFiles + "), commit "
          + done.commitSha() + ", head " + github.head(repo);
    }
    // Computed, not measured: a per-file Contents API client (GET for the sha + PUT per file written; GET per file
    // to find out nothing changed).
    int naive = unchanged ? expectedFiles : 2 * done.filesChanged();
    return new Run(n, kind, round, path, requestCalls, requests.size(), reads, writes, endpoints,
        done.filesChanged(), problem == null, problem, jobNanos / 1e6, apiNanos / 1e6, naive);
  }

  static String endpoint(FakeGitHub.Recorded r) {
    String p = r.path();
    String m = r.method();
    if (p.contains("/git/ref/heads/") || (m.equals("GET") && p.contains("/git/refs/heads/"))) {
      return "GET ref";
    }
    if (p.contains("/git/trees")) {
      return m + " tree";
    }
    if (p.contains("/git/commits")) {
      return m + " commit";
    }
    if (p.contains("/git/refs/")) {
      return m + " ref";
    }
    if (p.contains("/git/blobs")) {
      return m + " blob";
    }
    return m + " " + p;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // temporary directory; best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
