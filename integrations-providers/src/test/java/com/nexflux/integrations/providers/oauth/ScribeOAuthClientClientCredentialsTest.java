package com.nexflux.integrations.providers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.providers.testing.MockOAuthServer;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * {@link ScribeOAuthClient#clientCredentials} against mock-oauth2-server (which serves the client credentials grant),
 * and against small local endpoints for refusals and a provider that never finishes its answer.
 */
class ScribeOAuthClientClientCredentialsTest {
  private final MutableClock clock = new MutableClock();
  private final ScribeOAuthClient client = new ScribeOAuthClient(new OkHttpClient(), clock);

  private static GrantStrategy.ClientCredentials grant(URI endpoint, GrantStrategy.ClientAuthentication auth) {
    return new GrantStrategy.ClientCredentials(endpoint, List.of("iot:devices"),
        Map.of("audience", "https://api2.arduino.cc/iot"), auth);
  }

  @Test
  void theGrantWithTheClientInTheBodyAndTheExtraParameters() {
    try (MockOAuthServer server = MockOAuthServer.start()) {
      TokenSet tokens = client.clientCredentials(grant(server.tokenEndpoint(),
          GrantStrategy.ClientAuthentication.REQUEST_BODY), "user-client", Secret.of("user-secret"));

      assertThat(tokens.accessToken().reveal()).isNotBlank();
      assertThat(tokens.refreshToken()).isNull();
      assertThat(tokens.expiresAt()).isAfter(clock.instant());
      MockOAuthServer.Received request = server.takeRequest();
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.form()).containsEntry("grant_type", "client_credentials")
          .containsEntry("client_id", "user-client").containsEntry("client_secret", "user-secret")
          .containsEntry("scope", "iot:devices").containsEntry("audience", "https://api2.arduino.cc/iot");
      assertThat(request.headers().get("Authorization")).isNull();
      assertThat(request.headers().get("Accept")).isEqualTo("application/json");
    }
  }

  @Test
  void aConnectionsOwnParametersAndHeadersAreSentBesideTheProviders() {
    try (MockOAuthServer server = MockOAuthServer.start()) {
      GrantStrategy.ClientCredentials forOrg = grant(server.tokenEndpoint(),
          GrantStrategy.ClientAuthentication.REQUEST_BODY)
          .forConnection(Map.of("organization_id", "org-7"), Map.of("X-Organization", "org-7"));
      client.clientCredentials(forOrg, "user-client", Secret.of("user-secret"));

      MockOAuthServer.Received request = server.takeRequest();
      assertThat(request.form()).containsEntry("organization_id", "org-7")
          .containsEntry("audience", "https://api2.arduino.cc/iot").containsEntry("client_id", "user-client");
      assertThat(request.headers().get("X-Organization")).isEqualTo("org-7");
      assertThat(request.headers().get("Accept")).isEqualTo("application/json");
    }
  }

  @Test
  void theGrantWithHttpBasic() {
    try (MockOAuthServer server = MockOAuthServer.start()) {
      TokenSet tokens = client.clientCredentials(grant(server.tokenEndpoint(),
          GrantStrategy.ClientAuthentication.HTTP_BASIC), "blynk-client", Secret.of("blynk-secret"));
      assertThat(tokens.accessToken().reveal()).isNotBlank();
      MockOAuthServer.Received request = server.takeRequest();
      assertThat(request.headers().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
          .encodeToString("blynk-client:blynk-secret".getBytes(StandardCharsets.UTF_8)));
      assertThat(request.form()).doesNotContainKey("client_secret");
    }
  }

  @Test
  void blynksPlacement_grantTypeInTheQueryStringOfAnEmptyPost_clientAsHttpBasic() throws IOException {
    java.util.concurrent.atomic.AtomicReference<String> query = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<String> body = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<String> authorization =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<String> method = new java.util.concurrent.atomic.AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/oauth2/token", exchange -> {
      method.set(exchange.getRequestMethod());
      query.set(exchange.getRequestURI().getRawQuery());
      body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] bytes = ("{\"access_token\":\"blynk-access\",\"token_type\":\"Bearer\",\"expires_in\":300,"
          + "\"refresh_token\":\"blynk-refresh\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    try {
      GrantStrategy.ClientCredentials blynk = new GrantStrategy.ClientCredentials(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/token"), List.of(), Map.of(),
          Map.of(), GrantStrategy.ClientAuthentication.HTTP_BASIC, GrantStrategy.ParameterPlacement.QUERY_STRING,
          java.util.Set.of());
      TokenSet tokens = client.clientCredentials(blynk, "oa2-client-id_x", Secret.of("blynk-secret"));

      assertThat(tokens.accessToken().reveal()).isEqualTo("blynk-access");
      assertThat(tokens.refreshToken()).as("requested again, never refreshed").isNull();
      assertThat(tokens.expiresAt()).isEqualTo(clock.instant().plusSeconds(300));
      assertThat(method.get()).isEqualTo("POST");
      assertThat(query.get()).isEqualTo("grant_type=client_credentials");
      assertThat(body.get()).isEmpty();
      assertThat(authorization.get()).isEqualTo("Basic " + Base64.getEncoder()
          .encodeToString("oa2-client-id_x:blynk-secret".getBytes(StandardCharsets.UTF_8)));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void invalidClientAndA401AreTheUsersCredentialsBeingRefused() throws IOException {
    for (String[] answer : new String[][] {{"400", "{\"error\":\"invalid_client\",\"error_description\":\"no\"}"},
        {"401", "{\"error\":\"unauthorized_client\"}"}, {"401", "Unauthorized"}}) {
      HttpServer server = local(Integer.parseInt(answer[0]), answer[1], null);
      try {
        assertThatThrownBy(() -> client.clientCredentials(grant(uri(server),
            GrantStrategy.ClientAuthentication.REQUEST_BODY), "user-client", Secret.of("secret-CANARY")))
            .isInstanceOf(CredentialsRejectedException.class)
            .satisfies(e -> assertThat(e.toString()).doesNotContain("CANARY"));
      } finally {
        server.stop(0);
      }
    }
  }

  @Test
  void aProviderThatNeverFinishesItsAnswerIsCutOffByTheCallTimeout() throws IOException, InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server = local(200, "{\"access_token\":\"late\",\"token_type\":\"bearer\"}", release);
    ScribeOAuthClient bounded = new ScribeOAuthClient(new OkHttpClient(), clock, Duration.ofSeconds(2),
        Duration.ofSeconds(30), Duration.ofMillis(300));
    try {
      assertThatThrownBy(() -> bounded.clientCredentials(grant(uri(server),
          GrantStrategy.ClientAuthentication.REQUEST_BODY), "c", Secret.of("s")))
          .isInstanceOf(UnavailableException.class);
    } finally {
      release.countDown();
      server.stop(0);
    }
  }

  private static URI uri(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  /** A token endpoint on 127.0.0.1 answering {@code status}/{@code body}, after {@code hold} (at most 30 s). */
  private static HttpServer local(int status, String body, CountDownLatch hold) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (hold != null) {
        try {
          hold.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return server;
  }
}
