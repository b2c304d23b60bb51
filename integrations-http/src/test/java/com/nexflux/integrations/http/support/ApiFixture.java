package com.nexflux.integrations.http.support;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.http.github.GitHubRoutes;
import com.nexflux.integrations.http.mqtt.MqttRoutes;
import com.nexflux.integrations.http.oauth.OAuthRoutes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.http.Authenticator;
import com.nexflux.integrations.http.IntegrationsApi;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.http.ReadinessCheck;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A standalone server ({@link IntegrationsApi#createServer()}) on 127.0.0.1 with a random port, in-memory doubles
 * behind it, an HS256 authenticator and a real {@link HttpClient}.
 */
public final class ApiFixture implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  public final byte[] secret = new byte[32];
  public final UUID userUuid = UUID.randomUUID();
  public final UserId user = new UserId(userUuid);
  public final FakeMqtt mqtt = new FakeMqtt();
  public final FakeAccounts accounts = new FakeAccounts();
  public final FakeOverview overview = new FakeOverview();
  public final FakeAuditTrail audit = new FakeAuditTrail();
  /** Wired only by {@link #withGitHub}. */
  public final FakeGitHub github = new FakeGitHub();
  /** Wired only by {@link #withGitHub}. */
  public final FakeOAuthFlows oauth = new FakeOAuthFlows();
  public volatile ReadinessCheck readiness = () -> { };
  public final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  public final Javalin app;
  public final IntegrationsApi api;
  public final String token;

  public ApiFixture() {
    this(null);
  }

  /** @param authenticator {@code null} for HS256 with {@link #secret}, {@link Tokens#ISSUER} and {@link Tokens#AUDIENCE} */
  public ApiFixture(Authenticator authenticator) {
    this(authenticator, (b, f) -> { });
  }

  /** @param customize adds to the builder, given this fixture's doubles */
  public ApiFixture(Authenticator authenticator, Customizer customize) {
    new SecureRandom().nextBytes(secret);
    Authenticator auth = authenticator != null ? authenticator
        : JwtAuthenticator.hs256(secret, Tokens.ISSUER, Tokens.AUDIENCE);
    IntegrationsApi.Builder builder = IntegrationsApi.builder()
        .routes(new MqttRoutes(mqtt))
        .overview(overview)
        .auditTrail(audit)
        .accounts(accounts)
        .authenticator(auth)
        .readiness(() -> readiness.check());
    customize.customize(builder, this);
    builder.routes(new GitHubRoutes(gitHubWired ? github : null),
        new OAuthRoutes(Provider.GITHUB, "GitHub", oauthWired ? oauth : null));
    api = builder.build();
    app = api.createServer().start("127.0.0.1", 0);
    token = JwtAuthenticator.issueHs256(secret, user, Tokens.ISSUER, Tokens.AUDIENCE, Duration.ofMinutes(5));
  }

  /** Whether the GitHub routes get {@link #github} (else they answer 503); set by a customizer. */
  public boolean gitHubWired;
  /** Whether the OAuth routes get {@link #oauth} (else they answer 503); set by a customizer. */
  public boolean oauthWired;

  /** The internal service token of {@link #withGitHub}. */
  public static final String INTERNAL_TOKEN = "internal-service-token-0123456789-abcdefghijklmnop";

  /** Adds to the builder before {@code build()}. */
  @FunctionalInterface
  public interface Customizer {
    void customize(IntegrationsApi.Builder builder, ApiFixture fixture);
  }

  /** A server with {@link #github}, {@link #oauth} and {@link #INTERNAL_TOKEN} wired, plus {@code more}. */
  public static ApiFixture withGitHub(Consumer<IntegrationsApi.Builder> more) {
    return new ApiFixture(null, (b, f) -> {
      f.gitHubWired = true;
      f.oauthWired = true;
      b.internalApiToken(INTERNAL_TOKEN);
      more.accept(b);
    });
  }

  /** A server with {@link #github}, {@link #oauth} and {@link #INTERNAL_TOKEN} wired. */
  public static ApiFixture withGitHub() {
    return withGitHub(b -> { });
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
  }

  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  /** An authenticated request. */
  public HttpRequest.Builder authed(String pathAndQuery) {
    return request(pathAndQuery).header("Authorization", "Bearer " + token);
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> delete(String path) {
    return send(authed(path).DELETE());
  }

  public HttpResponse<String> get(String path) {
    return send(authed(path).GET());
  }

  public HttpResponse<String> put(String path, String body) {
    return send(authed(path).PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type",
        "application/json"));
  }

  public HttpResponse<String> post(String path, String body) {
    return send(authed(path).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type",
        "application/json"));
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  /**
   * Stops without the graceful drain: the client's idle keep-alive connection would otherwise hold every test for
   * Jetty's 1 s shutdown idle timeout. {@code GracefulShutdownTest} covers the drain.
   */
  @Override
  public void close() {
    app.jettyServer().server().setStopTimeout(0);
    app.stop();
  }
}
