package com.nexflux.integrations.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.app.Configuration.ConfigurationException;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up rules of the standalone server: embedded mode, keysets, authentication. */
class StandaloneServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private static Map<String, String> embedded(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("BIND_HOST", "127.0.0.1");
    env.put("PORT", "0");
    env.put("INTEGRATIONS_DATA_DIR", dir.toString());
    return env;
  }

  private HttpResponse<String> call(StandaloneServer s, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void embeddedMode_generatesKeysetAndDevToken_andKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
    String token;
    try (StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(embedded(dir)))) {
      token = s.devToken();
      assertThat(token).isNotBlank();
      HttpResponse<String> put = call(s, "PUT", "/api/v1/users/me/integrations/mqtt", token,
          "{\"broker_url\": \"mqtt://8.8.8.8:1883\", \"device_id\": \"dev-1\", \"use_authentication\": true,"
              + " \"username\": \"u\", \"password\": \"kept-across-restarts\"}");
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }
    Path keyset = dir.resolve("keyset.json");
    assertThat(keyset).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset))).isEqualTo("rw-------");
    String keysetBefore = Files.readString(keyset);
    try (StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(embedded(dir)))) {
      assertThat(Files.readString(keyset)).as("the keyset is generated once").isEqualTo(keysetBefore);
      HttpResponse<String> get = call(s, "GET", "/api/v1/users/me/integrations/mqtt", token, null);
      assertThat(get.statusCode()).as("the earlier dev token still verifies").isEqualTo(200);
      assertThat(get.body()).contains("\"broker_url\":\"mqtt://8.8.8.8:1883\"").contains("\"has_password\":true");
    }
  }

  @Test
  void externalDatabase_withoutKeyset_refusesToStart() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("AUTH_JWT_SECRET", "x".repeat(40));
    assertThatThrownBy(() -> StandaloneServer.start(Configuration.fromEnvironment(env)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("INTEGRATIONS_KEYSET");
  }

  @Test
  void externalDatabase_withoutAuthentication_refusesToStart() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
    assertThatThrownBy(() -> StandaloneServer.start(Configuration.fromEnvironment(env)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("AUTH_JWT_SECRET");
  }

  @Test
  void brokenKeyset_refusesToStart_withoutEchoingIt() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("AUTH_JWT_SECRET", "x".repeat(40));
    env.put("INTEGRATIONS_KEYSET", "{\"primaryKeyId\": 1, \"key\": [\"SECRET-MATERIAL\"]}");
    assertThatThrownBy(() -> StandaloneServer.start(Configuration.fromEnvironment(env)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("INTEGRATIONS_KEYSET")
        .hasMessageNotContaining("SECRET-MATERIAL");
  }

  @Test
  void shortJwtSecret_refusesToStart() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
    env.put("AUTH_JWT_SECRET", "too-short");
    assertThatThrownBy(() -> StandaloneServer.start(Configuration.fromEnvironment(env)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("at least 32 bytes");
  }

  @Test
  void keysetFile_isRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("k.json");
    Files.writeString(file, TinkSecretCipher.generateKeysetJson());
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("INTEGRATIONS_KEYSET_FILE", file.toString());
    env.put("AUTH_JWT_SECRET", "y".repeat(40));
    env.put("BIND_HOST", "127.0.0.1");
    env.put("PORT", "0");
    try (StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(env))) {
      assertThat(s.devToken()).as("no dev token when auth is configured").isNull();
      assertThat(call(s, "GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void malformedSettings_areNamed() {
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PORT", "eighty", "USERS_AUTO_PROVISION", "maybe")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PORT")
        .hasMessageContaining("USERS_AUTO_PROVISION");
  }
}
