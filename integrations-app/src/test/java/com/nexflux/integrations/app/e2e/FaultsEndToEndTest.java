package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.app.Configuration;
import com.nexflux.integrations.app.StandaloneServer;
import com.nexflux.integrations.app.e2e.RunningServer.Response;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.persistence.EmbeddedDatabase;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.Sql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults leave stored data as it was; provisioning can be switched off. */
class FaultsEndToEndTest {
  private static final String MQTT = "/api/v1/users/me/integrations/mqtt";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void databaseDown_answers503_andStoredDataSurvives(@TempDir Path dir) throws Exception {
    Path pgDir = dir.resolve("pg");
    EmbeddedDatabase db = EmbeddedDatabase.start(pgDir, 0);
    int port = db.port();
    Map<String, String> env = new HashMap<>();
    env.put("BIND_HOST", "127.0.0.1");
    env.put("PORT", "0");
    env.put("DATABASE_URL", db.jdbcUrl());
    env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
    env.put("AUTH_JWT_SECRET", RunningServer.JWT_SECRET);
    UserId user = RunningServer.newUser();
    String token = RunningServer.tokenFor(user);
    try (StandaloneServer server = StandaloneServer.start(Configuration.fromEnvironment(env))) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + MQTT))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"broker_url\": \"mqtt://8.8.8.8:1883\", \"device_id\": \"d1\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(200);

      db.close();
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"code\":\"UNAVAILABLE\"");
      HttpResponse<String> change = http.send(HttpRequest.newBuilder(URI.create(base + MQTT))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"broker_url\": \"mqtt://1.1.1.1:1883\", \"device_id\": \"d2\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(change.statusCode()).isEqualTo(503);
      assertThat(change.body()).contains("\"code\":\"UNAVAILABLE\"").doesNotContain("Exception");
    }
    try (EmbeddedDatabase again = EmbeddedDatabase.start(pgDir, port)) {
      Object config = Sql.scalar(again.dataSource(),
          "SELECT config->>'broker_url' FROM user_integrations WHERE user_id = ?", user.value());
      assertThat(config).as("the stored settings are as they were").isEqualTo("mqtt://8.8.8.8:1883");
    }
  }

  @Test
  void provisioningOff_refusesUnknownUsers_andAdmitsKnownOnes() {
    try (RunningServer server = RunningServer.start(Map.of("USERS_AUTO_PROVISION", "false"))) {
      UserId stranger = RunningServer.newUser();
      Response refused = server.get(stranger, MQTT);
      assertThat(refused.status()).isEqualTo(401);
      UserId known = RunningServer.newUser();
      Sql.exec(server.database.dataSource(), "INSERT INTO users (id) VALUES (?)", known.value());
      assertThat(server.get(known, MQTT).status()).isEqualTo(200);
    }
  }

  @Test
  void provisioningOn_createsTheUsersRowOnFirstRequest() {
    try (RunningServer server = RunningServer.start()) {
      UserId user = RunningServer.newUser();
      assertThat(server.get(user, MQTT).status()).isEqualTo(200);
      Object n = Sql.scalar(server.database.dataSource(), "SELECT count(*) FROM users WHERE id = ?", user.value());
      assertThat(((Number) n).intValue()).isEqualTo(1);
    }
  }
}
