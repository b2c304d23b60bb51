package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.core.device.DeviceSource;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/users/me/devices} on a real server and database: the MQTT device of the saved settings, two
 * throw-away device platforms (one answering per user, one down), and one that never answers: the page lists what
 * it can and names the others in {@code errors}.
 */
class DeviceInventoryEndToEndTest {
  static final byte[] SECRET = "device-inventory-e2e-secret-32+bytes-long".getBytes(StandardCharsets.UTF_8);
  static final Provider LAMPS = Provider.of("acme_lamps");
  static final Provider DOWN = Provider.of("acme_down");
  static final Provider SILENT = Provider.of("acme_silent");

  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  final Map<UserId, List<String>> lampsByUser = new ConcurrentHashMap<>();
  final Map<UserId, Boolean> refreshSeen = new ConcurrentHashMap<>();
  final CountDownLatch never = new CountDownLatch(1);
  NexfluxIntegrations integrations;
  Javalin server;

  static final class Platform implements ProviderModule {
    final Provider provider;
    final BiFunction<UserId, Boolean, List<DeviceSummary>> list;

    Platform(Provider provider, BiFunction<UserId, Boolean, List<DeviceSummary>> list) {
      this.provider = provider;
      this.list = list;
    }

    @Override
    public ProviderDescriptor descriptor() {
      return new ProviderDescriptor(provider, provider.key(), List.of(ConnectionMethod.API_KEY),
          Set.of(Capability.DEVICES));
    }

    @Override
    public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
      return ProviderSlice.builder().devices(new DeviceSource() {
        @Override
        public Provider provider() {
          return provider;
        }

        @Override
        public List<DeviceSummary> devices(UserId user, boolean refresh) {
          return list.apply(user, refresh);
        }
      }).build();
    }
  }

  @BeforeEach
  void start() {
    integrations = NexfluxIntegrations.builder()
        .dataSource(TestDatabase.createEmpty().dataSource())
        .keyset(TinkSecretCipher.generateKeysetJson())
        .outboundAllowedNetworks("127.0.0.0/8")
        .startBackgroundJobs(false)
        .deviceInventoryTimeout(Duration.ofMillis(500))
        .provider(new Platform(LAMPS, (user, refresh) -> {
          refreshSeen.put(user, refresh);
          return lampsByUser.getOrDefault(user, List.of()).stream()
              .map(id -> new DeviceSummary(LAMPS, id, "Lamp " + id, "esp8266", DeviceSummary.OFFLINE,
                  Instant.parse("2026-12-07T09:00:00Z")))
              .toList();
        }))
        .provider(new Platform(DOWN, (user, refresh) -> {
          throw new UnavailableException("acme down: https://user:hunter2@acme.example/", null);
        }))
        .provider(new Platform(SILENT, (user, refresh) -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return List.of();
        }))
        .build();
    server = integrations.httpApi(JwtAuthenticator.hs256(SECRET, null, null)).createServer().start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    never.countDown();
    server.stop();
    integrations.close();
  }

  HttpResponse<String> send(UserId user, String method, String path, String body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (user != null) {
      req.header("Authorization", "Bearer " + JwtAuthenticator.issueHs256(SECRET, user, null, null,
          Duration.ofMinutes(5)));
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listsEveryPlatformsDevicesOfTheCaller_andNamesThePlatformsThatCouldNotAnswer() throws Exception {
    UserId alice = new UserId(UUID.randomUUID());
    UserId bob = new UserId(UUID.randomUUID());
    lampsByUser.put(alice, List.of("l1", "l2"));
    lampsByUser.put(bob, List.of("bobs-lamp"));
    HttpResponse<String> saved = send(alice, "PUT", "/api/v1/users/me/integrations/mqtt",
        "{\"enabled\": true, \"broker_url\": \"mqtt://127.0.0.1:1883\", \"use_authentication\": false,"
            + " \"device_id\": \"esp32-lab-07\", \"topic_prefix\": \"nexflux/device\"}");
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);

    HttpResponse<String> res = send(alice, "GET", "/api/v1/users/me/devices?refresh=true", null);
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode data = json.readTree(res.body()).get("data");
    assertThat(data.get("devices")).extracting(d -> d.get("provider").asText() + "/" + d.get("id").asText())
        .containsExactly("mqtt/esp32-lab-07", "acme_lamps/l1", "acme_lamps/l2");
    JsonNode lamp = data.get("devices").get(1);
    assertThat(lamp.get("name").asText()).isEqualTo("Lamp l1");
    assertThat(lamp.get("type").asText()).isEqualTo("esp8266");
    assertThat(lamp.get("status").asText()).isEqualTo("offline");
    assertThat(lamp.get("last_activity").asText()).isEqualTo("2026-12-07T09:00:00Z");
    assertThat(data.get("devices").get(0).get("status").asText()).isEqualTo("unknown");
    assertThat(data.get("errors")).extracting(e -> e.get("provider").asText() + ":" + e.get("code").asText())
        .containsExactly("acme_down:UNAVAILABLE", "acme_silent:UNAVAILABLE");
    assertThat(res.body()).doesNotContain("hunter2").doesNotContain("bobs-lamp");
    assertThat(refreshSeen.get(alice)).isTrue();
    assertThat(data.get("fetched_at").asText()).isNotBlank();

    JsonNode bobs = json.readTree(send(bob, "GET", "/api/v1/users/me/devices", null).body()).get("data");
    assertThat(bobs.get("devices")).extracting(d -> d.get("id").asText()).containsExactly("bobs-lamp");
    assertThat(refreshSeen.get(bob)).isFalse();
  }

  @Test
  void theInventoryIsAuthenticated_andRefreshIsChecked() throws Exception {
    HttpResponse<String> anonymous = send(null, "GET", "/api/v1/users/me/devices", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> bad = send(new UserId(UUID.randomUUID()), "GET", "/api/v1/users/me/devices?refresh=maybe",
        null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json.readTree(bad.body()).at("/error/details/0/field").asText()).isEqualTo("refresh");
  }

  @Test
  void theOpenApiDocumentDescribesTheInventory() throws Exception {
    JsonNode doc = json.readTree(send(null, "GET", "/openapi.json", null).body());
    assertThat(doc.at("/paths/~1api~1v1~1users~1me~1devices/get/operationId").asText()).isEqualTo("listDevices");
    assertThat(doc.at("/components/schemas/DeviceSummary/properties/status/enum").toString())
        .isEqualTo("[\"online\",\"offline\",\"unknown\"]");
  }
}
