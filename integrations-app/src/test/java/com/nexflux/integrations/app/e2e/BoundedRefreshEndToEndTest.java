package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.DataSources;
import com.nexflux.integrations.persistence.PostgresPersistence;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A slow token endpoint cannot starve the API: token renewals hold a pooled database connection (the row lock) while
 * they wait on the provider, so the library caps them ({@code tokenRefreshConcurrency}) below the pool size and takes
 * the slot before the connection. Here the pool has 3 connections, the cap is 2, and 6 users' tokens are renewed at
 * once against a token endpoint on 127.0.0.1 that holds every answer until the test lets it go (bounded by 30 s):
 * {@code GET /health/ready} still answers 200, the provider never sees more than 2 renewals at once, and every
 * caller gets its token in the end.
 */
class BoundedRefreshEndToEndTest {
  private static final byte[] JWT_SECRET = "bounded-refresh-e2e-secret-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();
  private final Semaphore arrived = new Semaphore(0);
  private volatile CountDownLatch release = new CountDownLatch(1);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private HttpServer tokenEndpoint;
  private TestDatabase database;
  private String keyset;

  @BeforeEach
  void start() throws IOException {
    tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tokenEndpoint.setExecutor(Executors.newFixedThreadPool(16));
    tokenEndpoint.createContext("/login/oauth/access_token", exchange -> {
      exchange.getRequestBody().readAllBytes();
      calls.incrementAndGet();
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      arrived.release();
      try {
        release.await(30, TimeUnit.SECONDS); // slow, but bounded: the test releases it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      String answer = "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"token_type\":\"bearer\","
          + "\"expires_in\":28800,\"refresh_token\":\"rt-" + UUID.randomUUID() + "\",\"scope\":\"\"}";
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    tokenEndpoint.start();
    database = TestDatabase.createEmpty();
    keyset = TinkSecretCipher.generateKeysetJson();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    tokenEndpoint.stop(0);
  }

  private NexfluxIntegrations instance(int poolSize, int concurrency, Duration wait) {
    HikariDataSource pool = DataSources.create(database.jdbcUrl(), poolSize);
    closing.add(pool);
    String base = "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort();
    OAuthProviderConfig config = new OAuthProviderConfig(Provider.GITHUB, "Iv1.client", Secret.of("client-secret"),
        URI.create(base + "/login/oauth/authorize"), URI.create(base + "/login/oauth/access_token"),
        URI.create("http://127.0.0.1:1/api/v1/auth/github/callback"), List.of("repo"), List.of("read:user"),
        URI.create(base + "/api"));
    NexfluxIntegrations integrations = NexfluxIntegrations.builder().dataSource(pool).keyset(keyset).github(config)
        .frontendUrl(URI.create("http://frontend.test")).startBackgroundJobs(false)
        .tokenRefreshConcurrency(concurrency).tokenRefreshWait(wait).build();
    closing.add(integrations);
    return integrations;
  }

  private String serve(NexfluxIntegrations integrations) {
    Javalin server = integrations.httpApi(JwtAuthenticator.hs256(JWT_SECRET, null, null)).createServer()
        .start("127.0.0.1", 0);
    closing.add(server::stop);
    return "http://127.0.0.1:" + server.port();
  }

  /** A user whose GitHub access token expires in 30 s (so every access renews it). */
  private UserId expiringUser() {
    UserId user = new UserId(UUID.randomUUID());
    PostgresPersistence persistence = new PostgresPersistence(database.dataSource());
    persistence.userDirectory().provision(user);
    TinkSecretCipher cipher = TinkSecretCipher.fromKeysetJson(keyset);
    Instant now = Instant.now();
    OAuthConnection connection = new OAuthConnection(user, Provider.GITHUB, ConnectionStatus.CONNECTED, "77",
        cipher.encrypt(Secret.of("at-old"), new SecretContext(user, Provider.GITHUB, OAuthConnection.ACCESS_TOKEN_FIELD)),
        cipher.encrypt(Secret.of("rt-old-" + user), new SecretContext(user, Provider.GITHUB,
            OAuthConnection.REFRESH_TOKEN_FIELD)),
        now.plusSeconds(30), null, List.of(), Map.of("username", "octo"), now, now, 1);
    persistence.oauthConnections().save(connection, new AuditEvent(UUID.randomUUID(), user, Provider.GITHUB,
        AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS, null, RequestContext.internal("test"), now, Map.of()));
    return user;
  }

  private int ready(String base) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void sixRenewalsAgainstASlowProvider_leaveTheDatabasePoolToTheApi() throws Exception {
    NexfluxIntegrations integrations = instance(3, 2, Duration.ofSeconds(30));
    String base = serve(integrations);
    List<UserId> users = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      users.add(expiringUser());
    }
    ExecutorService callers = Executors.newFixedThreadPool(users.size());
    List<Future<String>> results = new ArrayList<>();
    for (UserId user : users) {
      results.add(callers.submit(() -> integrations.accessTokens().orElseThrow()
          .accessToken(user, Provider.GITHUB).reveal()));
    }
    assertThat(arrived.tryAcquire(2, 30, TimeUnit.SECONDS)).as("two renewals reached the provider").isTrue();

    // both renewal slots are taken and held by the slow provider; four callers wait for a slot, holding nothing
    for (int i = 0; i < 5; i++) {
      assertThat(ready(base)).as("GET /health/ready while renewals wait on the provider").isEqualTo(200);
    }
    assertThat(maxInFlight.get()).as("renewals at the provider at once").isEqualTo(2);
    assertThat(results).noneMatch(Future::isDone);

    release.countDown();
    List<String> tokens = new ArrayList<>();
    for (Future<String> f : results) {
      tokens.add(f.get(60, TimeUnit.SECONDS));
    }
    callers.shutdown();
    assertThat(tokens).hasSize(6).allMatch(t -> t.startsWith("at-")).doesNotHaveDuplicates().doesNotContain("at-old");
    assertThat(calls.get()).as("one renewal per user").isEqualTo(6);
    assertThat(maxInFlight.get()).as("never more than the cap at the provider").isEqualTo(2);
    assertThat(ready(base)).isEqualTo(200);
  }

  @Test
  void aCallerThatGetsNoSlotInTime_failsUnavailable_andChangesNothing() throws Exception {
    NexfluxIntegrations integrations = instance(3, 1, Duration.ZERO);
    String base = serve(integrations);
    UserId first = expiringUser();
    UserId second = expiringUser();
    ExecutorService callers = Executors.newSingleThreadExecutor();
    Future<String> held = callers.submit(() -> integrations.accessTokens().orElseThrow()
        .accessToken(first, Provider.GITHUB).reveal());
    assertThat(arrived.tryAcquire(1, 30, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> integrations.accessTokens().orElseThrow().accessToken(second, Provider.GITHUB))
        .isInstanceOf(UnavailableException.class)
        .satisfies(e -> assertThat(((IntegrationsException) e).code()).isEqualTo("UNAVAILABLE"));
    assertThat(ready(base)).isEqualTo(200);
    OAuthConnection untouched = new PostgresPersistence(database.dataSource()).oauthConnections()
        .find(second, Provider.GITHUB).orElseThrow();
    assertThat(untouched.credentialsVersion()).as("the refused caller changed nothing").isEqualTo(1);

    release.countDown();
    assertThat(held.get(60, TimeUnit.SECONDS)).startsWith("at-");
    callers.shutdown();
    assertThat(integrations.accessTokens().orElseThrow().accessToken(second, Provider.GITHUB).reveal())
        .as("with the slot free again it renews").startsWith("at-").isNotEqualTo("at-old");
    assertThat(calls.get()).isEqualTo(2);
  }
}
