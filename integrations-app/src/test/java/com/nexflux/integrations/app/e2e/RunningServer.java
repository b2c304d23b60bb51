package com.nexflux.integrations.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.app.Configuration;
import com.nexflux.integrations.app.StandaloneServer;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The standalone server, started in-process on a fresh PostgreSQL database, with an HTTP client for tests. */
final class RunningServer implements AutoCloseable {
  static final String JWT_SECRET = "e2e-test-secret-that-is-at-least-32-bytes-long";
  private static final ObjectMapper JSON = new ObjectMapper();

  final TestDatabase database;
  final StandaloneServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunningServer(TestDatabase database, StandaloneServer server) {
    this.database = database;
    this.server = server;
  }

  /** Starts a server; {@code extra} overrides or adds environment variables. */
  static RunningServer start(Map<String, String> extra) {
    TestDatabase db = TestDatabase.createEmpty();
    Map<String, String> env = new HashMap<>();
    env.put("BIND_HOST", "127.0.0.1");
    env.put("PORT", "0");
    env.put("DATABASE_URL", db.jdbcUrl());
    env.put("DATABASE_POOL_SIZE", "4");
    env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
    env.put("AUTH_JWT_SECRET", JWT_SECRET);
    env.put("OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128");
    env.put("MQTT_TEST_TIMEOUT_MS", "3000");
    env.putAll(extra);
    return new RunningServer(db, StandaloneServer.start(Configuration.fromEnvironment(env)));
  }

  static RunningServer start() {
    return start(Map.of());
  }

  static String tokenFor(UserId user) {
    return JwtAuthenticator.issueHs256(JWT_SECRET.getBytes(StandardCharsets.UTF_8), user, null, null,
        Duration.ofMinutes(10));
  }

  static UserId newUser() {
    return new UserId(UUID.randomUUID());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  Response get(UserId user, String path) {
    return send(user, "GET", path, null);
  }

  Response send(UserId user, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    if (user != null) {
      b.header("Authorization", "Bearer " + tokenFor(user));
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), JSON.readTree(r.body()), r);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop();
  }

  /** One answer: status, raw body, parsed body. */
  record Response(int status, String body, JsonNode json, HttpResponse<String> raw) {
    JsonNode data() {
      return json.get("data");
    }
  }
}
