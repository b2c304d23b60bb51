package com.nexflux.integrations.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nexflux.integrations.providers.projects.FileSystemProjectSource;
import com.nexflux.integrations.providers.testing.FakeGitHub;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import com.nexflux.integrations.providers.testing.MockOAuthServer;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A NexFlux Integrations server wired to a real OAuth2 server (mock-oauth2-server) as GitHub's authorization
 * server and a contract-checked local GitHub API fake, on a fresh PostgreSQL database.
 */
final class GitHubWorld implements AutoCloseable {
  static final String FRONTEND = "http://frontend.nexflux.test/settings/integrations";
  static final byte[] JWT_SECRET = "github-e2e-secret-at-least-32-bytes-long!".getBytes(StandardCharsets.UTF_8);
  static final GitHubAccount OCTO = new GitHubAccount(4242, "octo-student", "https://avatars.example/u/4242",
      "octo@student.example");
  private static final ObjectMapper JSON = new ObjectMapper();

  final MockOAuthServer oauth = MockOAuthServer.start();
  final FakeGitHub github = FakeGitHub.start();
  final TestDatabase database = TestDatabase.createEmpty();
  final String keyset = TinkSecretCipher.generateKeysetJson();
  final Path projects;
  final FakeGitHub.RepoRef repo;
  final int port = LoopbackPorts.freePort();
  final OAuthProviderConfig config;
  final NexfluxIntegrations integrations;
  final Javalin server;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  GitHubWorld() throws IOException {
    github.oauthApp(MockOAuthServer.CLIENT_ID, MockOAuthServer.CLIENT_SECRET).adoptUnknownTokensAs(OCTO);
    repo = github.createRepositoryFor(OCTO, "my-circuits");
    projects = Files.createTempDirectory("nexflux-projects");
    URI callback = URI.create("http://127.0.0.1:" + port + "/api/v1/auth/github/callback");
    config = new OAuthProviderConfig(Provider.GITHUB, MockOAuthServer.CLIENT_ID,
        Secret.of(MockOAuthServer.CLIENT_SECRET), oauth.authorizationEndpoint(), oauth.tokenEndpoint(), callback,
        List.of("openid", "repo", "read:user", "user:email"), List.of("openid", "read:user", "user:email"),
        github.baseUrl());
    integrations = NexfluxIntegrations.builder()
        .dataSource(database.dataSource())
        .keyset(keyset)
        .github(config)
        .frontendUrl(URI.create(FRONTEND))
        .projectSource(new FileSystemProjectSource(projects))
        .signInProviders(java.util.Set.of(Provider.GITHUB))
        .signInCompletion((user, provider, login, created) -> URI.create(FRONTEND + "#token="
            + JwtAuthenticator.issueHs256(JWT_SECRET, user, null, null, Duration.ofHours(1))))
        .schedulerPollInterval(Duration.ofMillis(200))
        .autoSyncDebounce(Duration.ofMillis(300))
        .build();
    server = integrations.httpApi(JwtAuthenticator.hs256(JWT_SECRET, null, null)).createServer()
        .start("127.0.0.1", port);
  }

  /** Writes {@code owner}'s project directory, {@code projects/<owner>/<id>}, with {@code files} text files. */
  String project(UserId owner, String id, int files) throws IOException {
    Path dir = projects.resolve(owner.value().toString()).resolve(id);
    Files.createDirectories(dir.resolve("src"));
    Files.writeString(dir.resolve("project.json"), "{\"name\": \"Circuit " + id + "\"}");
    for (int i = 0; i < files; i++) {
      Files.writeString(dir.resolve("src/part-" + i + ".ino"), "// part " + i + " of " + id + "\nvoid loop() {}\n");
    }
    return id;
  }

  static String token(UserId user) {
    return JwtAuthenticator.issueHs256(JWT_SECRET, user, null, null, Duration.ofMinutes(10));
  }

  HttpResponse<String> send(String method, String path, String bearer, String cookie, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.header("Accept", "application/json");
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    return parse(r.body());
  }

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(text, e);
    }
  }

  /** A started connect flow: the provider URL and the cookie the browser got. */
  record Started(URI authorizationUrl, String cookie) {}

  Started startConnect(UserId user) {
    // without a user: an explicit sign-in (connect without a token and without intent=sign_in is a 401)
    HttpResponse<String> r = send("GET", "/api/v1/auth/github/connect" + (user == null ? "?intent=sign_in" : ""),
        user == null ? null : token(user), null, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("connect answered " + r.statusCode() + ": " + r.body());
    }
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return new Started(URI.create(json(r).get("data").get("authorization_url").asText()),
        setCookie.substring(0, setCookie.indexOf(';')));
  }

  /** Calls our callback as the browser would; @return the Location we were sent to */
  URI callback(String query, String cookie) {
    HttpResponse<String> r = send("GET", "/api/v1/auth/github/callback?" + query, null, cookie, null);
    if (r.statusCode() != 302) {
      throw new AssertionError("callback answered " + r.statusCode() + ": " + r.body());
    }
    return URI.create(r.headers().firstValue("Location").orElseThrow());
  }

  /** The whole link flow for {@code user}; @return where the browser ended */
  URI connect(UserId user) {
    Started started = startConnect(user);
    MockOAuthServer.Authorization auth = oauth.authorize(started.authorizationUrl());
    return callback("code=" + auth.code() + "&state=" + auth.state(), started.cookie());
  }

  Optional<JsonNode> job(UserId user, String id) {
    HttpResponse<String> r = send("GET", "/api/v1/users/me/integrations/github/syncs/" + id, token(user), null, null);
    return r.statusCode() == 200 ? Optional.of(json(r).get("data")) : Optional.empty();
  }

  /** Polls a sync job until it ends (bounded: 30 s). */
  JsonNode awaitJob(UserId user, String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode job = job(user, id).orElseThrow();
      String status = job.get("status").asText();
      if (status.equals("succeeded") || status.equals("failed")) {
        return job;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("sync job " + id + " did not finish");
  }

  @Override
  public void close() {
    server.stop();
    integrations.close();
    oauth.close();
    github.close();
  }
}
