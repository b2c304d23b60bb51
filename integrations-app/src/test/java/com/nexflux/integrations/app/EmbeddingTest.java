package com.nexflux.integrations.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.EffectiveMqttSettings;
import com.nexflux.integrations.core.mqtt.MqttSettingsInput;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Does exactly what docs/embedding.md shows: a host service builds the library and mounts the routes. */
class EmbeddingTest {
  private static final byte[] HOST_SECRET = "the-host-service-own-jwt-secret-32+bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void hostServiceUsesTheLibraryAndMountsTheRoutesOnItsOwnJavalin() throws Exception {
    DataSource hostDataSource = TestDatabase.createEmpty().dataSource();

    // --- as in docs/embedding.md ---
    NexfluxIntegrations integrations = NexfluxIntegrations.builder()
        .dataSource(hostDataSource)
        .keyset(TinkSecretCipher.generateKeysetJson())
        .defaultMqttBrokerUrl("wss://broker.nexflux.test/mqtt")
        .build();
    var api = integrations.httpApi(JwtAuthenticator.hs256(HOST_SECRET, null, null));
    Javalin host = Javalin.create(config -> {
      config.routes.get("/host/hello", ctx -> ctx.result("hello from the host"));
      api.mount(config);
    }).start("127.0.0.1", 0);
    // ---

    try {
      UserId user = new UserId(UUID.randomUUID());
      EffectiveMqttSettings fallback = integrations.effectiveSettings(user);
      assertThat(fallback.userOwned()).isFalse();
      assertThat(fallback.brokerUrl().text()).isEqualTo("wss://broker.nexflux.test/mqtt");

      integrations.accounts().admit(user);
      integrations.mqtt().put(user, new MqttSettingsInput(true, "mqtts://8.8.4.4:8883", "lab", Secret.of("pw-1"),
          true, "lab-device", "school/lab"), RequestContext.internal("embedding-test"));
      EffectiveMqttSettings own = integrations.effectiveSettings(user);
      assertThat(own.userOwned()).isTrue();
      assertThat(own.brokerUrl().port()).isEqualTo(8883);
      assertThat(own.username()).isEqualTo("lab");
      assertThat(own.password().reveal()).isEqualTo("pw-1");
      assertThat(own.topicPrefix()).isEqualTo("school/lab");

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + host.port();
      HttpResponse<String> hello = http.send(HttpRequest.newBuilder(URI.create(base + "/host/hello")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(hello.body()).isEqualTo("hello from the host");
      String token = JwtAuthenticator.issueHs256(HOST_SECRET, user, null, null, Duration.ofMinutes(5));
      HttpResponse<String> mqtt = http.send(HttpRequest.newBuilder(URI.create(base
              + "/api/v1/users/me/integrations/mqtt")).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(mqtt.statusCode()).isEqualTo(200);
      assertThat(mqtt.body()).contains("\"broker_url\":\"mqtts://8.8.4.4:8883\"").doesNotContain("pw-1");

      integrations.mqtt().put(user, new MqttSettingsInput(false, "mqtts://8.8.4.4:8883", null, null, false,
          "lab-device", "school/lab"), RequestContext.internal("embedding-test"));
      EffectiveMqttSettings disabled = integrations.effectiveSettings(user);
      assertThat(disabled.userOwned()).as("a disabled broker falls back to the default").isFalse();
      assertThat(disabled.topicPrefix()).isEqualTo("school/lab");
    } finally {
      host.stop();
      integrations.close();
    }
  }
}
