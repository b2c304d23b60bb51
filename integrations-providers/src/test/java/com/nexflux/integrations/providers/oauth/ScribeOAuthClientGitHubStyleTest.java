package com.nexflux.integrations.providers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ScribeOAuthClient} against a tiny GitHub-style token endpoint (a JDK {@link HttpServer} on 127.0.0.1 that
 * answers what each test scripts): GitHub's JSON quirks, every failure mapping, and that no failure message
 * carries a token, code, verifier or the client secret (all of them "canaries" that the answers echo back).
 */
class ScribeOAuthClientGitHubStyleTest {
  private static final String CLIENT_SECRET = "CANARY-client-secret-7f3a";
  private static final String CODE = "CANARY-code-91b2";
  private static final String VERIFIER = "CANARY-verifier-dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  private static final String ACCESS = "gho_CANARYaccess16C7e42F292c6912E7710c838347Ae178B4a";
  private static final String REFRESH = "ghr_CANARYrefresh1AURDGsY9nLs";
  private static final List<String> CANARIES = List.of(CLIENT_SECRET, CODE, VERIFIER, ACCESS, REFRESH);
  private static final URI CALLBACK = URI.create("https://nexflux.example.com/api/v1/oauth/github/callback");
  private static final List<String> REQUESTED = List.of("read:user", "user:email", "repo");

  /** One scripted answer. */
  private record Answer(int status, Map<String, String> headers, String body, Consumer<Request> before) {}

  /** One request received. */
  private record Request(String method, String path, Map<String, String> headers, Map<String, String> form) {}

  private final MutableClock clock = new MutableClock();
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private volatile Answer answer;
  private HttpServer server;
  private OAuthProviderConfig config;
  private ScribeOAuthClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(LoopbackPorts.loopback(), 0), 10);
    server.createContext("/", exchange -> {
      try (exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
            form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        received.add(request);
        Answer a = answer;
        if (a.before() != null) {
          a.before().accept(request);
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        a.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "token-endpoint");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    config = new OAuthProviderConfig(Provider.GITHUB, "Iv1.client-id", Secret.of(CLIENT_SECRET),
        URI.create(base + "/login/oauth/authorize"), URI.create(base + "/login/oauth/access_token"), CALLBACK,
        REQUESTED, List.of("read:user"), URI.create(base + "/api"));
    client = new ScribeOAuthClient(new OkHttpClient(), clock); // the production timeouts: 5 s connect, 10 s read
  }

  @AfterEach
  void stop() {
    releaseSlow.countDown();
    server.stop(0);
  }

  private void answer(int status, String body) {
    answer(status, Map.of("Content-Type", "application/json; charset=utf-8"), body);
  }

  private void answer(int status, Map<String, String> headers, String body) {
    answer = new Answer(status, headers, body, null);
  }

  private TokenSet exchange() {
    return client.exchangeCode(config, CODE, Secret.of(VERIFIER), REQUESTED);
  }

  // ---------------------------------------------------------------------------------------------- success

  @Test
  void githubsJsonAnswerWithCommaSeparatedScopes() {
    answer(200, "{\"access_token\":\"" + ACCESS + "\",\"scope\":\"repo,gist\",\"token_type\":\"bearer\"}");

    TokenSet tokens = exchange();

    assertThat(tokens.accessToken().reveal()).isEqualTo(ACCESS);
    assertThat(tokens.refreshToken()).isNull();
    assertThat(tokens.expiresAt()).isNull(); // an OAuth App token does not expire
    assertThat(tokens.refreshTokenExpiresAt()).isNull();
    assertThat(tokens.scopes()).containsExactly("repo", "gist");
    Request request = received.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/login/oauth/access_token");
    assertThat(request.headers()).containsEntry("accept", "application/json").doesNotContainKey("authorization");
    assertThat(request.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
    assertThat(request.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "grant_type", "authorization_code", "code", CODE, "redirect_uri", CALLBACK.toString(),
        "code_verifier", VERIFIER, "client_id", "Iv1.client-id", "client_secret", CLIENT_SECRET));
  }

  @Test
  void expiryCountsFromWhenTheRequestWasSent() {
    Instant sent = clock.instant();
    answer = new Answer(200, Map.of("Content-Type", "application/json"),
        "{\"access_token\":\"" + ACCESS + "\",\"expires_in\":28800,\"refresh_token\":\"" + REFRESH + "\","
            + "\"refresh_token_expires_in\":15811200,\"scope\":\"\",\"token_type\":\"Bearer\"}",
        request -> clock.advance(Duration.ofSeconds(30))); // the answer takes 30 s to come

    TokenSet tokens = exchange();

    assertThat(tokens.expiresAt()).isEqualTo(sent.plusSeconds(28800));
    assertThat(tokens.refreshToken().reveal()).isEqualTo(REFRESH);
    assertThat(tokens.refreshTokenExpiresAt()).isEqualTo(sent.plusSeconds(15811200));
    assertThat(tokens.scopes()).isEqualTo(REQUESTED); // GitHub App tokens say "": the requested scopes
  }

  @Test
  void spaceSeparatedScopesAndTheRefreshGrant() {
    answer(200, "{\"access_token\":\"" + ACCESS + "\",\"token_type\":\"bearer\",\"expires_in\":\"3600\","
        + "\"scope\":\"read:user  repo\"}");
    Instant sent = clock.instant();

    TokenSet tokens = client.refresh(config, Secret.of(REFRESH));

    assertThat(tokens.scopes()).containsExactly("read:user", "repo");
    assertThat(tokens.expiresAt()).isEqualTo(sent.plusSeconds(3600));
    assertThat(tokens.refreshToken()).isNull(); // none in the answer
    assertThat(received.get(0).form()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "grant_type", "refresh_token", "refresh_token", REFRESH, "client_id", "Iv1.client-id",
        "client_secret", CLIENT_SECRET));
    assertThat(received.get(0).headers()).containsEntry("accept", "application/json");
  }

  @Test
  void aRefreshThatNamesNoScopesHasNone() {
    answer(200, "{\"access_token\":\"" + ACCESS + "\",\"token_type\":\"bearer\",\"scope\":\"\"}");
    assertThat(client.refresh(config, Secret.of(REFRESH)).scopes()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------- refusals

  @Test
  void anErrorWithHttp200IsARefusedGrant() {
    answer(200, "{\"error\":\"bad_verification_code\",\"error_description\":\"The code passed is incorrect or "
        + "expired: " + CODE + "\",\"error_uri\":\"/apps/managing-oauth-apps/troubleshooting\"}");
    assertFails(this::exchange, OAuthGrantException.class)
        .satisfies(e -> assertThat(((OAuthGrantException) e).providerError()).isEqualTo("bad_verification_code"));
  }

  @Test
  void aDeadRefreshTokenIsARefusedGrant() {
    answer(200, "{\"error\":\"bad_refresh_token\",\"error_description\":\"" + REFRESH + " is bad\"}");
    assertFails(() -> client.refresh(config, Secret.of(REFRESH)), OAuthGrantException.class)
        .satisfies(e -> assertThat(((OAuthGrantException) e).providerError()).isEqualTo("bad_refresh_token"));
  }

  @Test
  void invalidGrantWithHttp400IsARefusedGrant() {
    answer(400, "{\"error\":\"invalid_grant\"}");
    assertFails(this::exchange, OAuthGrantException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid_client", "incorrect_client_credentials", "unauthorized_client",
      "redirect_uri_mismatch", "unsupported_grant_type"})
  void clientMisconfigurationIsAProtocolError(String error) {
    answer(200, "{\"error\":\"" + error + "\",\"error_description\":\"secret " + CLIENT_SECRET + "\"}");
    assertFails(this::exchange, OAuthProtocolException.class).hasMessageContaining(error);
  }

  @Test
  void aTokenTypeOtherThanBearerIsAProtocolError() {
    answer(200, "{\"access_token\":\"" + ACCESS + "\",\"token_type\":\"mac\",\"scope\":\"repo\"}");
    assertFails(this::exchange, OAuthProtocolException.class).hasMessageContaining("mac");
  }

  @Test
  void aMissingAccessTokenIsAProtocolError() {
    answer(200, "{\"token_type\":\"bearer\",\"refresh_token\":\"" + REFRESH + "\"}");
    assertFails(this::exchange, OAuthProtocolException.class).hasMessageContaining("access_token");
  }

  @Test
  void aFormEncodedAnswerIsAProtocolError() {
    // what GitHub sends without Accept: application/json
    answer(200, Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "access_token=" + ACCESS + "&scope=repo%2Cgist&token_type=bearer");
    assertFails(this::exchange, OAuthProtocolException.class).hasMessageContaining("not a JSON object");
  }

  @Test
  void aNonJsonErrorPageIsAProtocolError() {
    answer(400, Map.of("Content-Type", "text/html"), "<html>" + CLIENT_SECRET + "</html>");
    assertFails(this::exchange, OAuthProtocolException.class).hasMessageContaining("HTTP 400");
  }

  @Test
  void aRedirectIsNotFollowed() {
    answer(302, Map.of("Location", "/elsewhere"), "");
    assertFails(this::exchange, OAuthProtocolException.class).hasMessageContaining("redirect");
    assertThat(received).hasSize(1);
  }

  // ---------------------------------------------------------------------------------------------- unavailable

  @Test
  void serviceUnavailableIsUnavailable() {
    answer(503, "{\"message\":\"" + ACCESS + "\"}");
    assertFails(this::exchange, UnavailableException.class).hasMessageContaining("HTTP 503");
  }

  @Test
  void temporarilyUnavailableIsUnavailable() {
    answer(200, "{\"error\":\"temporarily_unavailable\"}");
    assertFails(this::exchange, UnavailableException.class);
  }

  @Test
  void aSlowServerIsUnavailable() {
    answer = new Answer(200, Map.of(), "{}", request -> {
      try {
        releaseSlow.await(60, TimeUnit.SECONDS); // far past the 300 ms read timeout; released after the test
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ScribeOAuthClient impatient = new ScribeOAuthClient(new OkHttpClient(), clock, Duration.ofSeconds(5),
        Duration.ofMillis(300));
    assertFails(() -> impatient.exchangeCode(config, CODE, Secret.of(VERIFIER), REQUESTED),
        UnavailableException.class).hasMessageContaining("in time");
    assertThat(received).hasSize(1); // the single-use code is never sent twice
  }

  @Test
  void anUnreachableServerIsUnavailable() {
    OAuthProviderConfig nowhere = new OAuthProviderConfig(Provider.GITHUB, "id", Secret.of(CLIENT_SECRET),
        config.authorizationEndpoint(), URI.create("http://127.0.0.1:" + LoopbackPorts.closedPort() + "/token"),
        CALLBACK, REQUESTED, REQUESTED, config.apiBaseUrl());
    assertFails(() -> client.exchangeCode(nowhere, CODE, Secret.of(VERIFIER), REQUESTED),
        UnavailableException.class);
  }

  @Test
  void tooManyRequestsIsRateLimitedForAsLongAsRetryAfterSays() {
    answer(429, Map.of("Retry-After", "17", "Content-Type", "application/json"), "{\"error\":\"slow_down\"}");
    assertFails(this::exchange, RateLimitedException.class)
        .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter()).isEqualTo(Duration.ofSeconds(17)));
  }

  @Test
  void tooManyRequestsWithoutRetryAfterWaitsAMinute() {
    answer(429, "{}");
    assertFails(this::exchange, RateLimitedException.class)
        .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter()).isEqualTo(Duration.ofSeconds(60)));
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertFails(
      ThrowingCallable call, Class<? extends Throwable> type) {
    return assertThatThrownBy(call).isInstanceOf(type).satisfies(ScribeOAuthClientGitHubStyleTest::noCanary);
  }

  /** No message or string form anywhere in the cause chain shows a secret. */
  private static void noCanary(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      for (String canary : CANARIES) {
        assertThat(String.valueOf(e.getMessage())).doesNotContain(canary);
        assertThat(e.toString()).doesNotContain(canary);
      }
      for (Throwable suppressed : e.getSuppressed()) {
        noCanary(suppressed);
      }
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }
}
