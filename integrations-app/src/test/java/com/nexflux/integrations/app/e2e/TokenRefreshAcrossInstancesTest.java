package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.core.oauth.RefreshSweeper;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.persistence.PostgresPersistence;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nexflux.integrations.providers.testing.FakeGitHub;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two library instances on one database against a local token endpoint with rotating refresh tokens (GitHub App
 * user tokens): exactly one refresh call per expiring token, whatever the number of callers.
 */
class TokenRefreshAcrossInstancesTest {
  private final AtomicInteger refreshCalls = new AtomicInteger();
  private final Map<String, AtomicInteger> callsPerRefreshToken = new ConcurrentHashMap<>();
  private final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
  private HttpServer tokenEndpoint;
  private TestDatabase database;
  private String keyset;
  private NexfluxIntegrations one;
  private NexfluxIntegrations two;
  private FakeGitHub github;

  @BeforeEach
  void start() throws IOException {
    tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tokenEndpoint.setExecutor(Executors.newFixedThreadPool(8));
    tokenEndpoint.createContext("/login/oauth/access_token", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String rt = null;
      for (String pair : body.split("&")) {
        if (pair.startsWith("refresh_token=")) {
          rt = URLDecoder.decode(pair.substring("refresh_token=".length()), StandardCharsets.UTF_8);
        }
      }
      refreshCalls.incrementAndGet();
      String answer;
      if (rt != null && liveRefreshTokens.remove(rt)) { // rotation: a refresh token works once
        callsPerRefreshToken.computeIfAbsent(rt, k -> new AtomicInteger()).incrementAndGet();
        try {
          Thread.sleep(150); // widen the window in which a second refresh could slip in
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        String next = "rt-" + UUID.randomUUID();
        liveRefreshTokens.add(next);
        answer = "{\"access_token\":\"at-from-" + rt + "\",\"token_type\":\"bearer\",\"expires_in\":28800,"
            + "\"refresh_token\":\"" + next + "\",\"refresh_token_expires_in\":15811200,\"scope\":\"\"}";
      } else {
        answer = "{\"error\":\"bad_refresh_token\",\"error_description\":\"The refresh token passed is incorrect or expired.\"}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length); // GitHub answers errors with 200 too
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    tokenEndpoint.start();
    github = FakeGitHub.start();
    database = TestDatabase.createEmpty();
    keyset = TinkSecretCipher.generateKeysetJson();
    one = instance("one");
    two = instance("two");
  }

  private NexfluxIntegrations instance(String name) {
    String base = "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort();
    OAuthProviderConfig config = new OAuthProviderConfig(Provider.GITHUB, "Iv1.client", Secret.of("client-secret"),
        URI.create(base + "/login/oauth/authorize"), URI.create(base + "/login/oauth/access_token"),
        URI.create("http://127.0.0.1:1/api/v1/auth/github/callback"), List.of("repo"), List.of("read:user"),
        github.baseUrl());
    return NexfluxIntegrations.builder().dataSource(database.dataSource()).keyset(keyset).github(config)
        .frontendUrl(URI.create("http://frontend.test")).instanceName(name).startBackgroundJobs(false).build();
  }

  @AfterEach
  void stop() {
    one.close();
    two.close();
    tokenEndpoint.stop(0);
    github.close();
  }

  /** Stores a connection whose access token expires in {@code expiresIn}, with a live refresh token. */
  private UserId expiringConnection(Duration expiresIn, boolean liveRefreshToken) {
    UserId user = new UserId(UUID.randomUUID());
    String rt = "rt-" + UUID.randomUUID();
    if (liveRefreshToken) {
      liveRefreshTokens.add(rt);
    }
    PostgresPersistence persistence = new PostgresPersistence(database.dataSource());
    persistence.userDirectory().provision(user);
    TinkSecretCipher cipher = TinkSecretCipher.fromKeysetJson(keyset);
    Instant now = Instant.now();
    OAuthConnection connection = new OAuthConnection(user, Provider.GITHUB, ConnectionStatus.CONNECTED, "77",
        cipher.encrypt(Secret.of("at-old"), new SecretContext(user, Provider.GITHUB, OAuthConnection.ACCESS_TOKEN_FIELD)),
        cipher.encrypt(Secret.of(rt), new SecretContext(user, Provider.GITHUB, OAuthConnection.REFRESH_TOKEN_FIELD)),
        now.plus(expiresIn), now.plus(Duration.ofDays(180)), List.of(), Map.of("username", "octo"), now, now, 1);
    persistence.oauthConnections().save(connection, new AuditEvent(UUID.randomUUID(), user, Provider.GITHUB,
        AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS, null, RequestContext.internal("test"), now, Map.of()));
    return user;
  }

  @Test
  void twoInstancesWithTwentyCallersEach_makeExactlyOneRefreshCall_andAllGetTheNewToken() throws Exception {
    UserId user = expiringConnection(Duration.ofSeconds(30), true);
    ExecutorService pool = Executors.newFixedThreadPool(40);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      NexfluxIntegrations instance = i % 2 == 0 ? one : two;
      results.add(pool.submit(() -> {
        go.await();
        return instance.accessTokens().orElseThrow().accessToken(user, Provider.GITHUB).reveal();
      }));
    }
    go.countDown();
    List<String> tokens = new ArrayList<>();
    for (Future<String> f : results) {
      tokens.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertThat(refreshCalls.get()).as("calls to the token endpoint").isEqualTo(1);
    assertThat(tokens).hasSize(40).allMatch(t -> t.startsWith("at-from-rt-")).containsOnly(tokens.get(0));
    assertThat(one.accessTokens().orElseThrow().accessToken(user, Provider.GITHUB).reveal())
        .as("the rotated refresh token was saved; no second refresh").isEqualTo(tokens.get(0));
    assertThat(refreshCalls.get()).isEqualTo(1);
  }

  @Test
  void invalidGrant_setsNeedsReauth_clearsTokens_auditsIt_andStopsCalling() {
    UserId user = expiringConnection(Duration.ofSeconds(10), false);
    assertThatThrownBy(() -> one.accessTokens().orElseThrow().accessToken(user, Provider.GITHUB))
        .isInstanceOf(ReauthRequiredException.class);
    assertThatThrownBy(() -> two.accessTokens().orElseThrow().accessToken(user, Provider.GITHUB))
        .isInstanceOf(ReauthRequiredException.class);
    assertThat(refreshCalls.get()).as("one call, no retry loop").isEqualTo(1);
    OAuthConnection stored = new PostgresPersistence(database.dataSource()).oauthConnections()
        .find(user, Provider.GITHUB).orElseThrow();
    assertThat(stored.status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
    assertThat(stored.accessToken()).isNull();
    assertThat(stored.refreshToken()).isNull();
    assertThat(one.auditTrail().list(user, null, 10).items()).extracting(AuditEvent::action)
        .contains("integration.reauth_required");
    assertThat(one.github().orElseThrow().view(user).status()).isEqualTo("needs_reauth");
  }

  @Test
  void twoSweepers_refreshEveryDueTokenExactlyOnce() throws Exception {
    List<UserId> users = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      users.add(expiringConnection(Duration.ofMinutes(5), true));
    }
    UserId notDue = expiringConnection(Duration.ofHours(2), true);
    RefreshSweeper s1 = one.refreshSweeper().orElseThrow();
    RefreshSweeper s2 = two.refreshSweeper().orElseThrow();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<RefreshSweeper.SweepResult> r1 = pool.submit(s1::sweep);
    Future<RefreshSweeper.SweepResult> r2 = pool.submit(s2::sweep);
    int refreshed = r1.get(120, TimeUnit.SECONDS).refreshed() + r2.get(120, TimeUnit.SECONDS).refreshed();
    pool.shutdown();
    assertThat(refreshed).isEqualTo(60);
    assertThat(refreshCalls.get()).as("one call per due token, none for the token not due").isEqualTo(60);
    assertThat(callsPerRefreshToken.values()).allMatch(c -> c.get() == 1);
    for (UserId user : users) {
      OAuthConnection c = new PostgresPersistence(database.dataSource()).oauthConnections()
          .find(user, Provider.GITHUB).orElseThrow();
      assertThat(c.tokenExpiresAt()).isAfter(Instant.now().plus(Duration.ofHours(7)));
    }
    assertThat(new PostgresPersistence(database.dataSource()).oauthConnections().find(notDue, Provider.GITHUB)
        .orElseThrow().credentialsVersion()).isEqualTo(1);
  }
}
