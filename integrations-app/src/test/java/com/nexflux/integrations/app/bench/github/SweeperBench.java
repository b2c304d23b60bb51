package com.nexflux.integrations.app.bench.github;

import static com.nexflux.integrations.app.bench.github.BenchSupport.f;

import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.core.oauth.RefreshSweeper;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.persistence.DataSources;
import com.nexflux.integrations.persistence.PostgresPersistence;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nexflux.integrations.providers.testing.FakeGitHub;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Part 2: the token refresh sweeper over many due tokens, one instance against two, against a local token
 * endpoint with rotating refresh tokens ({@link RotatingTokenEndpoint}).
 *
 * <p>Set-up as {@code e2e/TokenRefreshAcrossInstancesTest}: library facades on one database, each built with
 * {@code .github(config)} whose token endpoint is the local one, {@code instanceName} and
 * {@code startBackgroundJobs(false)}; each instance has its own production pool ({@link DataSources}, like two
 * server JVMs would). The sweeper is the facade's own ({@code refreshSweeper()}: window 15 minutes, 200 rows per
 * sweep call).
 *
 * <p>Each phase: the due connections are inserted with one JDBC batch (a {@code users} row and a
 * {@code user_integrations} row per connection, in the repository's row layout, tokens encrypted with the same
 * keyset and associated data as the repository writes them; one row is read back through the repository as a
 * check), the endpoint learns their refresh tokens, then every instance of the phase loops {@code sweep()} on its
 * own thread, all starting together, until a sweep examines 0 rows (nothing due), bounded by the phase's time
 * limit, or until 30 s pass without any refresh or failure (rows left due but skipped, e.g. backing off). Between
 * phases the rows are deleted, so every phase starts from the same table.
 */
final class SweeperBench {
  private static final Duration NO_PROGRESS_LIMIT = Duration.ofSeconds(30);

  /** What one instance's sweep loop did. */
  record Loop(String instance, int sweeps, int examined, int refreshed, int failed, int skipped, int sweepErrors,
      double seconds, String end) {}

  /** One measured phase. */
  record Phase(String label, int instances, int tokens, double insertSeconds, double wallSeconds, List<Loop> loops,
      RotatingTokenEndpoint.Stats endpoint, long stillDue, long renewed, long needsReauth, double jvmCores,
      double machineCores) {
    int refreshed() {
      return loops.stream().mapToInt(Loop::refreshed).sum();
    }

    int failed() {
      return loops.stream().mapToInt(Loop::failed).sum();
    }

    int skipped() {
      return loops.stream().mapToInt(Loop::skipped).sum();
    }

    int sweeps() {
      return loops.stream().mapToInt(Loop::sweeps).sum();
    }

    double rate() {
      return wallSeconds <= 0 ? 0 : refreshed() / wallSeconds;
    }

    boolean complete() {
      return stillDue == 0 && failed() == 0 && renewed == tokens && endpoint.refused() == 0;
    }
  }

  /** What part 2 found. */
  record Result(List<Phase> phases, int latencyMillis, int poolSize, int batchSize, Duration window,
      String insertMethod) {}

  private final int tokens;
  private final int warmupTokens;
  private final int rounds;
  private final int latencyMillis;
  private final int poolSize;
  private final Duration phaseLimit;

  SweeperBench(int tokens, int warmupTokens, int rounds, int latencyMillis, int poolSize, Duration phaseLimit) {
    this.tokens = tokens;
    this.warmupTokens = warmupTokens;
    this.rounds = rounds;
    this.latencyMillis = latencyMillis;
    this.poolSize = poolSize;
    this.phaseLimit = phaseLimit;
  }

  Result run(long deadlineNanos) throws IOException, SQLException, InterruptedException {
    List<Phase> phases = new ArrayList<>();
    Duration window;
    try (RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(latencyMillis, 8);
        FakeGitHub github = FakeGitHub.start()) {
      TestDatabase database = TestDatabase.createEmpty();
      String keyset = TinkSecretCipher.generateKeysetJson();
      OAuthProviderConfig config = new OAuthProviderConfig(Provider.GITHUB, "Iv1.client", Secret.of("client-secret"),
          URI.create(endpoint.base() + "/login/oauth/authorize"), endpoint.tokenUri(),
          URI.create("http://127.0.0.1:1/api/v1/auth/github/callback"), List.of("repo"), List.of("read:user"),
          github.baseUrl());
      HikariDataSource poolOne = DataSources.create(database.jdbcUrl(), poolSize);
      HikariDataSource poolTwo = DataSources.create(database.jdbcUrl(), poolSize);
      NexfluxIntegrations one = instance(poolOne, keyset, config, "one");
      NexfluxIntegrations two = instance(poolTwo, keyset, config, "two");
      window = one.refreshSweeper().orElseThrow().window();
      try {
        TinkSecretCipher cipher = TinkSecretCipher.fromKeysetJson(keyset);
        PostgresPersistence persistence = new PostgresPersistence(poolOne);
        if (warmupTokens > 0) { // JIT warm-up of both configurations, not reported
          for (List<NexfluxIntegrations> instances : List.of(List.of(one), List.of(one, two))) {
            Phase w = phase("warm-up", instances, warmupTokens, poolOne, cipher, persistence, endpoint, window,
                deadlineNanos);
            System.out.printf("bench-github: sweeper warm-up, %d instance(s): %d tokens, %.1f s, %.0f refreshes/s, "
                + "%d duplicate RTs%n", instances.size(), warmupTokens, w.wallSeconds(), w.rate(),
                w.endpoint().duplicateRefreshTokens());
          }
        }
        for (int r = 1; r <= rounds; r++) {
          boolean baselineFirst = r % 2 == 1;
          for (int i = 0; i < 2; i++) {
            if (System.nanoTime() > deadlineNanos) {
              System.out.println("bench-github: sweeper part out of time; stopping");
              break;
            }
            boolean baseline = (i == 0) == baselineFirst;
            List<NexfluxIntegrations> instances = baseline ? List.of(one) : List.of(one, two);
            String label = (baseline ? "baseline: 1 instance" : "2 instances") + (rounds > 1 ? ", round " + r : "");
            Phase p = phase(label, instances, tokens, poolOne, cipher, persistence, endpoint, window, deadlineNanos);
            System.out.printf("bench-github: %-26s %d refreshed, %d failed, %d endpoint calls, %d duplicate RTs, "
                + "%.1f s, %.0f refreshes/s, still due %d%n", p.label(), p.refreshed(), p.failed(),
                p.endpoint().calls(), p.endpoint().duplicateRefreshTokens(), p.wallSeconds(), p.rate(), p.stillDue());
            phases.add(p);
          }
        }
      } finally {
        one.close();
        two.close();
        poolOne.close();
        poolTwo.close();
      }
    }
    return new Result(phases, latencyMillis, poolSize, 200, window,
        "one JDBC batch per table (users, user_integrations), one transaction");
  }

  private static NexfluxIntegrations instance(HikariDataSource pool, String keyset, OAuthProviderConfig config,
      String name) {
    return NexfluxIntegrations.builder().dataSource(pool).keyset(keyset).github(config)
        .frontendUrl(URI.create("http://frontend.test")).instanceName(name).startBackgroundJobs(false).build();
  }

  private Phase phase(String label, List<NexfluxIntegrations> instances, int count, HikariDataSource pool,
      TinkSecretCipher cipher, PostgresPersistence persistence, RotatingTokenEndpoint endpoint, Duration window,
      long deadlineNanos) throws SQLException, InterruptedException {
    clear(pool);
    endpoint.reset();
    long t0 = System.nanoTime();
    List<UserId> users = insertDue(pool, cipher, endpoint, count);
    double insertSeconds = (System.nanoTime() - t0) / 1e9;
    check(persistence, cipher, users.get(0));
    analyze(pool);

    long limit = Math.min(deadlineNanos, System.nanoTime() + phaseLimit.toNanos());
    CountDownLatch go = new CountDownLatch(1);
    Loop[] loops = new Loop[instances.size()];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      int index = i;
      RefreshSweeper sweeper = instances.get(i).refreshSweeper().orElseThrow();
      String name = instances.size() == 1 ? "one" : (i == 0 ? "one" : "two");
      Thread t = new Thread(() -> loops[index] = sweepUntilDone(name, sweeper, go, limit), "bench-sweep-" + name);
      threads.add(t);
      t.start();
    }
    BenchSupport.Cpu before = BenchSupport.Cpu.now();
    go.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, limit - System.nanoTime())) + 60_000);
    }
    BenchSupport.Cpu after = BenchSupport.Cpu.now();
    double[] cpu = after.since(before);
    List<Loop> done = new ArrayList<>();
    for (int i = 0; i < loops.length; i++) {
      done.add(loops[i] != null ? loops[i]
          : new Loop("?", 0, 0, 0, 0, 0, 0, 0, "did not end in time"));
    }
    double wall = done.stream().mapToDouble(Loop::seconds).max().orElse(0);
    Instant now = Instant.now();
    long stillDue = count(pool, "SELECT count(*) FROM user_integrations WHERE provider = 'github' "
        + "AND metadata ->> 'status' = 'connected' AND refresh_token IS NOT NULL "
        + "AND token_expires_at < timezone('UTC', CAST(? AS timestamptz))", now.plus(window));
    long renewed = count(pool, "SELECT count(*) FROM user_integrations WHERE provider = 'github' "
        + "AND metadata ->> 'status' = 'connected' AND (metadata ->> 'credentials_version')::int = 2 "
        + "AND token_expires_at > timezone('UTC', CAST(? AS timestamptz))", now.plus(Duration.ofHours(7)));
    long reauth = count(pool, "SELECT count(*) FROM user_integrations WHERE provider = 'github' "
        + "AND metadata ->> 'status' <> 'connected'", null);
    return new Phase(label, instances.size(), count, insertSeconds, wall, done, endpoint.stats(), stillDue, renewed,
        reauth, cpu[1], cpu[2]);
  }

  private static Loop sweepUntilDone(String name, RefreshSweeper sweeper, CountDownLatch go, long limit) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Loop(name, 0, 0, 0, 0, 0, 0, 0, "interrupted");
    }
    long start = System.nanoTime();
    long lastProgress = start;
    int sweeps = 0;
    int examined = 0;
    int refreshed = 0;
    int failed = 0;
    int skipped = 0;
    int errors = 0;
    String end = "time limit";
    while (System.nanoTime() < limit) {
      RefreshSweeper.SweepResult r;
      try {
        r = sweeper.sweep();
      } catch (RuntimeException e) { // listing the rows failed (database): counted, tried again
        errors++;
        sleep(100);
        continue;
      }
      sweeps++;
      examined += r.examined();
      refreshed += r.refreshed();
      failed += r.failed();
      skipped += r.skipped();
      if (r.examined() == 0) {
        end = "nothing due";
        break;
      }
      long now = System.nanoTime();
      if (r.refreshed() + r.failed() > 0) {
        lastProgress = now;
      } else if (now - lastProgress > NO_PROGRESS_LIMIT.toNanos()) {
        end = "no progress for " + NO_PROGRESS_LIMIT.toSeconds() + " s";
        break;
      } else {
        sleep(5); // every listed row was locked by the other instance or just refreshed by it
      }
    }
    return new Loop(name, sweeps, examined, refreshed, failed, skipped, errors, (System.nanoTime() - start) / 1e9,
        end);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Inserts {@code count} connected GitHub connections whose access tokens expire 2 to 12 minutes from now (inside
   * the 15-minute window), each with its own live refresh token, in the layout of
   * {@code JdbiOAuthConnectionRepository} ({@code metadata}: status, account_id, scopes, refresh_token_expires_at,
   * credentials_version; UTC wall-clock timestamps).
   */
  private static List<UserId> insertDue(HikariDataSource pool, TinkSecretCipher cipher,
      RotatingTokenEndpoint endpoint, int count) throws SQLException {
    List<UserId> users = new ArrayList<>(count);
    Instant now = Instant.now();
    String rtExpires = now.plus(Duration.ofDays(180)).toString();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement u = c.prepareStatement("INSERT INTO users (id) VALUES (?)");
          PreparedStatement ui = c.prepareStatement("""
              INSERT INTO user_integrations
                (user_id, provider, enabled, config, access_token, refresh_token, token_expires_at, metadata,
                 connected_at, created_at, updated_at)
              VALUES (?, 'github', true, CAST(? AS jsonb), ?, ?, timezone('UTC', CAST(? AS timestamptz)),
                      CAST(? AS jsonb), timezone('UTC', CAST(? AS timestamptz)),
                      timezone('UTC', CAST(? AS timestamptz)), timezone('UTC', CAST(? AS timestamptz)))
              """)) {
        OffsetDateTime connected = now.atOffset(ZoneOffset.UTC);
        for (int i = 0; i < count; i++) {
          UserId user = new UserId(UUID.randomUUID());
          users.add(user);
          String rt = "rt-" + UUID.randomUUID();
          endpoint.issue(rt);
          u.setObject(1, user.value());
          u.addBatch();
          ui.setObject(1, user.value());
          ui.setString(2, "{\"username\": \"octo-" + i + "\"}");
          ui.setString(3, cipher.encrypt(Secret.of("at-old-" + i),
              new SecretContext(user, Provider.GITHUB, OAuthConnection.ACCESS_TOKEN_FIELD)).ciphertext());
          ui.setString(4, cipher.encrypt(Secret.of(rt),
              new SecretContext(user, Provider.GITHUB, OAuthConnection.REFRESH_TOKEN_FIELD)).ciphertext());
          // spread over 10 minutes, starting 2 minutes ahead, in ms steps so the order is well defined
          ui.setObject(5, now.plus(Duration.ofMinutes(2)).plusMillis((long) i * 600_000L / count)
              .atOffset(ZoneOffset.UTC));
          ui.setString(6, "{\"status\": \"connected\", \"account_id\": \"" + (100_000 + i)
              + "\", \"scopes\": [\"repo\"], \"refresh_token_expires_at\": \"" + rtExpires
              + "\", \"credentials_version\": 1}");
          ui.setObject(7, connected);
          ui.setObject(8, connected);
          ui.setObject(9, connected);
          ui.addBatch();
        }
        u.executeBatch();
        ui.executeBatch();
      }
      c.commit();
    }
    return users;
  }

  /** Reads one inserted row back through the repository and the cipher: the layout must be the real one. */
  private static void check(PostgresPersistence persistence, TinkSecretCipher cipher, UserId user) {
    OAuthConnection c = persistence.oauthConnections().find(user, Provider.GITHUB).orElseThrow(
        () -> new IllegalStateException("inserted connection not found through the repository"));
    String rt = cipher.decrypt(c.refreshToken(),
        new SecretContext(user, Provider.GITHUB, OAuthConnection.REFRESH_TOKEN_FIELD)).reveal();
    if (!rt.startsWith("rt-") || c.tokenExpiresAt() == null || c.credentialsVersion() != 1) {
      throw new IllegalStateException("inserted connection reads back wrong: " + c.tokenExpiresAt());
    }
  }

  private static void clear(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM user_integrations");
      s.execute("DELETE FROM users");
    }
  }

  private static void analyze(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE user_integrations");
      s.execute("VACUUM ANALYZE users");
    }
  }

  private static long count(HikariDataSource pool, String sql, Instant param) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (param != null) {
        ps.setObject(1, param.atOffset(ZoneOffset.UTC));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static String describe(Loop l) {
    return f("%s: %d sweeps, %d examined, %d refreshed, %d failed, %d skipped, %d sweep errors, %.1f s (%s)",
        l.instance(), l.sweeps(), l.examined(), l.refreshed(), l.failed(), l.skipped(), l.sweepErrors(), l.seconds(),
        l.end());
  }
}
