package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.app.arduino.ArduinoModule;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.app.provider.TokenRegistration;
import com.nexflux.integrations.core.arduino.ArduinoLabDevices;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nexflux.integrations.providers.testing.FakeArduinoCloud;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Arduino Cloud end to end: the facade with {@link ArduinoModule} on a fresh PostgreSQL database, its HTTP API on
 * loopback, and the contract-checked {@link FakeArduinoCloud} as Arduino.
 */
class ArduinoEndToEndTest {
  static final byte[] JWT_SECRET = "arduino-e2e-secret-at-least-32-bytes-long".getBytes(StandardCharsets.UTF_8);
  static final String ORG = "8f9c3c5e-1a2b-4c3d-9e8f-0123456789ab";
  static final String SECRET_A = "secret-of-a-never-stored-in-clear";
  static final String SECRET_B = "secret-of-b-never-stored-in-clear";
  static final String LAB_SECRET = "lab-secret-never-stored";
  static final String ROOT = "/api/v1/users/me/integrations/arduino-cloud";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Builds the real module and keeps its slice, so the test can read its DeviceSource. */
  static final class Capturing implements ProviderModule {
    final ArduinoModule inner;
    ProviderSlice slice;

    Capturing(ArduinoModule inner) {
      this.inner = inner;
    }

    @Override
    public ProviderDescriptor descriptor() {
      return inner.descriptor();
    }

    @Override
    public Optional<TokenRegistration> tokens(SharedParts shared) {
      return inner.tokens(shared);
    }

    @Override
    public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
      slice = inner.build(shared, oauth);
      return slice;
    }
  }

  final FakeArduinoCloud fake = FakeArduinoCloud.start()
      .apiKey("client-a", SECRET_A, "account-a", ORG)
      .apiKey("client-b", SECRET_B, "account-b")
      .apiKey("lab-client", LAB_SECRET, "account-lab");
  final TestDatabase database = TestDatabase.createEmpty();
  final int port = LoopbackPorts.freePort();
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  final UserId alice = new UserId(UUID.randomUUID());
  final UserId bob = new UserId(UUID.randomUUID());
  Capturing module;
  NexfluxIntegrations integrations;
  Javalin server;

  final String keyset = TinkSecretCipher.generateKeysetJson();
  /** A second server instance on the same database and keyset, or null. */
  NexfluxIntegrations secondIntegrations;
  Javalin secondServer;

  void start(int requestsPerSecond, int cacheSeconds) {
    module = new Capturing(new ArduinoModule(settings(requestsPerSecond, cacheSeconds)));
    integrations = instance(module);
    server = integrations.httpApi(JwtAuthenticator.hs256(JWT_SECRET, null, null)).createServer()
        .start("127.0.0.1", port);
  }

  /** Starts a second instance beside the first (same database, same keyset, its own caches and limits). */
  int startSecondInstance(int requestsPerSecond, int cacheSeconds) {
    int second = LoopbackPorts.freePort();
    secondIntegrations = instance(new ArduinoModule(settings(requestsPerSecond, cacheSeconds)));
    secondServer = secondIntegrations.httpApi(JwtAuthenticator.hs256(JWT_SECRET, null, null)).createServer()
        .start("127.0.0.1", second);
    return second;
  }

  long otaMaxBytes = ArduinoModule.DEFAULT_OTA_MAX_BYTES;

  ArduinoModule.Settings settings(int requestsPerSecond, int cacheSeconds) {
    return new ArduinoModule.Settings(fake.baseUrl(), requestsPerSecond, Duration.ofSeconds(cacheSeconds),
        otaMaxBytes, "lab-client", Secret.of(LAB_SECRET));
  }

  NexfluxIntegrations instance(ProviderModule arduino) {
    return NexfluxIntegrations.builder()
        .dataSource(database.dataSource())
        .keyset(keyset)
        .startBackgroundJobs(false)
        .provider(arduino)
        .build();
  }

  @AfterEach
  void stop() {
    if (secondServer != null) {
      secondServer.stop();
    }
    if (secondIntegrations != null) {
      secondIntegrations.close();
    }
    if (server != null) {
      server.stop();
    }
    if (integrations != null) {
      integrations.close();
    }
    fake.close();
  }

  record Answer(int status, JsonNode json) {
    JsonNode data() {
      return json.get("data");
    }

    List<String> fields() {
      List<String> out = new ArrayList<>();
      json.path("error").path("details").forEach(d -> out.add(d.get("field").asText()));
      return out;
    }
  }

  Answer send(UserId user, String method, String path, String body) {
    return sendTo(port, user, method, path, body);
  }

  Answer sendTo(int serverPort, UserId user, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Accept", "application/json");
    if (user != null) {
      b.header("Authorization", "Bearer " + JwtAuthenticator.issueHs256(JWT_SECRET, user, null, null,
          Duration.ofMinutes(10)));
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return exchange(b);
  }

  Answer exchange(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer connect(UserId user, String clientId, String secret, String org) {
    String body = "{\"client_id\":\"" + clientId + "\",\"client_secret\":\"" + secret + "\""
        + (org == null ? "" : ",\"organization_id\":\"" + org + "\"") + "}";
    return send(user, "PUT", ROOT, body);
  }

  String deviceOf(String account, String name, String status) {
    String id = UUID.randomUUID().toString();
    fake.device(account, new FakeArduinoCloud.Device(id, name, "esp32", status,
        Instant.parse("2026-11-01T10:00:00Z")), name + " thing", List.of());
    return id;
  }

  List<String> rows(String sql) {
    List<String> out = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
        }
        out.add(row.toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  List<String> auditActions(UserId user) {
    List<String> out = new ArrayList<>();
    rows("SELECT action FROM integration_audit_log WHERE user_id = '" + user.value() + "' ORDER BY created_at, id")
        .forEach(r -> out.add(r.trim().substring("action=".length())));
    return out;
  }

  int storedRows(UserId user) {
    return rows("SELECT provider FROM user_integrations WHERE user_id = '" + user.value()
        + "' AND provider = 'arduino_cloud'").size();
  }

  @Test
  void refusedCredentials_andArduinoDown_storeNothing_andSettingsReportEveryFailingField() {
    start(100, 15);
    Answer missing = send(alice, "PUT", ROOT, "{\"organization_id\":\"not-a-uuid\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("VALIDATION_FAILED");
    assertThat(missing.fields()).containsExactlyInAnyOrder("client_id", "client_secret", "organization_id");

    Answer refused = connect(alice, "client-a", "wrong-secret", null);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.fields()).containsExactlyInAnyOrder("client_id", "client_secret");
    assertThat(refused.json().toString()).doesNotContain("wrong-secret");

    fake.down(true);
    Answer down = connect(alice, "client-a", SECRET_A, null);
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().at("/error/code").asText()).isEqualTo("UNAVAILABLE");

    assertThat(storedRows(alice)).isZero();
    assertThat(auditActions(alice)).isEmpty();
    assertThat(send(alice, "GET", ROOT, null).data().get("status").asText()).isEqualTo("not_configured");
  }

  @Test
  void connect_list_update_andDisconnect_withAuditRowsAndNoSecretAnywhere() {
    start(100, 15);
    String device = deviceOf("account-a", "Bench lamp", "ONLINE");
    Answer put = connect(alice, "client-a", SECRET_A, ORG);
    assertThat(put.status()).as(put.json().toString()).isEqualTo(200);
    assertThat(fake.tokenRequestOrganizations()).containsExactly(ORG);
    JsonNode view = send(alice, "GET", ROOT, null).data();
    assertThat(view.get("connected").asBoolean()).isTrue();
    assertThat(view.get("status").asText()).isEqualTo("connected");
    assertThat(view.get("username").isNull()).isTrue();
    assertThat(view.get("organization").asText()).isEqualTo(ORG);
    assertThat(view.get("connected_at").isNull()).isFalse();
    assertThat(view.get("fetched_at").isNull()).isFalse();
    assertThat(view.get("devices")).singleElement().satisfies(d -> {
      assertThat(d.get("id").asText()).isEqualTo(device);
      assertThat(d.get("name").asText()).isEqualTo("Bench lamp");
      assertThat(d.get("type").asText()).isEqualTo("esp32");
      assertThat(d.get("status").asText()).isEqualTo("online");
      assertThat(d.get("last_activity").asText()).isEqualTo("2026-11-01T10:00:00Z");
    });
    assertThat(view.get("things")).singleElement().satisfies(t ->
        assertThat(t.get("device_id").asText()).isEqualTo(device));
    assertThat(view.toString()).doesNotContain(SECRET_A).doesNotContain("client_secret");

    // the stored secret is kept while the client id is unchanged, and only then
    Answer keep = send(alice, "PUT", ROOT, "{\"client_id\":\"client-a\",\"organization_id\":\"" + ORG + "\"}");
    assertThat(keep.status()).as(keep.json().toString()).isEqualTo(200);
    Answer other = send(alice, "PUT", ROOT, "{\"client_id\":\"client-b\"}");
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.fields()).containsExactly("client_secret");
    assertThat(auditActions(alice)).containsExactly("integration.connect", "integration.update");

    // the overview shows the real module in the placeholder's place
    JsonNode overview = send(alice, "GET", "/api/v1/users/me/integrations", null).data().get("integrations");
    List<JsonNode> arduino = new ArrayList<>();
    overview.forEach(e -> {
      if (e.get("provider").asText().equals("arduino_cloud")) {
        arduino.add(e);
      }
    });
    assertThat(arduino).singleElement().satisfies(e -> {
      assertThat(e.get("available").asBoolean()).isTrue();
      assertThat(e.get("status").asText()).isEqualTo("connected");
    });

    // a dump of the tables holds neither the secret nor any token Arduino issued
    List<String> dump = new ArrayList<>(rows("SELECT * FROM user_integrations"));
    dump.addAll(rows("SELECT * FROM integration_audit_log"));
    assertThat(dump).isNotEmpty();
    String all = String.join("\n", dump);
    assertThat(all).doesNotContain(SECRET_A).doesNotContain("client-a");
    assertThat(fake.issuedTokens()).isNotEmpty().allSatisfy(t -> assertThat(all).doesNotContain(t));

    assertThat(send(alice, "DELETE", ROOT, null).status()).isEqualTo(200);
    assertThat(send(alice, "DELETE", ROOT, null).status()).isEqualTo(200);
    assertThat(storedRows(alice)).isZero();
    assertThat(auditActions(alice)).containsExactly("integration.connect", "integration.update",
        "integration.disconnect", "integration.disconnect");
    assertThat(send(alice, "GET", ROOT, null).data().get("status").asText()).isEqualTo("not_configured");
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void anExpiringTokenIsRequestedAgain_andARevokedKeyMeansNeedsReauth() {
    start(100, 15);
    deviceOf("account-a", "Bench lamp", "OFFLINE");
    fake.tokenLifetime(Duration.ofSeconds(30)); // inside the engine's 60 s skew: due for renewal at once
    assertThat(connect(alice, "client-a", SECRET_A, null).status()).isEqualTo(200);
    int tokens = fake.tokenRequests();
    fake.expireAllTokens(); // the token we hold no longer works at Arduino
    Answer renewed = send(alice, "GET", ROOT + "?refresh=true", null);
    assertThat(renewed.status()).isEqualTo(200);
    assertThat(renewed.data().get("status").asText()).isEqualTo("connected");
    assertThat(renewed.data().get("devices")).hasSize(1);
    assertThat(fake.tokenRequests()).isEqualTo(tokens + 1);

    fake.revoke("client-a");
    Answer revoked = send(alice, "GET", ROOT + "?refresh=true", null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.data().get("status").asText()).isEqualTo("needs_reauth");
    assertThat(revoked.data().get("connected").asBoolean()).isFalse();
    assertThat(revoked.data().get("devices")).isEmpty();
    Answer device = send(alice, "GET", ROOT + "/devices/" + UUID.randomUUID(), null);
    assertThat(device.status()).isEqualTo(409);
    assertThat(device.json().at("/error/code").asText()).isEqualTo("NEEDS_REAUTH");
    assertThat(auditActions(alice)).containsExactly("integration.connect", "integration.reauth_required");
  }

  @Test
  void anOrganizationsTokenIsRenewedForTheOrganization_onceAcrossTwoInstances() throws Exception {
    start(100, 15);
    int second = startSecondInstance(100, 15);
    deviceOf("account-a", "Bench lamp", "ONLINE");
    fake.tokenLifetime(Duration.ofSeconds(30)); // inside the engine's 60 s skew: due for renewal at once
    assertThat(connect(alice, "client-a", SECRET_A, ORG).status()).isEqualTo(200);
    int tokens = fake.tokenRequests();
    fake.tokenLifetime(Duration.ofSeconds(300));
    fake.expireAllTokens();

    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(() -> send(alice, "GET", ROOT + "?refresh=true", null));
      var other = pool.submit(() -> sendTo(second, alice, "GET", ROOT + "?refresh=true", null));
      for (Answer a : List.of(first.get(60, java.util.concurrent.TimeUnit.SECONDS),
          other.get(60, java.util.concurrent.TimeUnit.SECONDS))) {
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.data().get("status").asText()).isEqualTo("connected");
        assertThat(a.data().get("devices")).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fake.tokenRequests()).as("one renewal for both instances").isEqualTo(tokens + 1);
    assertThat(fake.tokenRequestOrganizations()).as("the renewal asks for the organization too (and the fake "
        + "refuses an organization_id without the matching X-Organization header)").last().isEqualTo(ORG);
    assertThat(auditActions(alice)).containsExactly("integration.connect");
    assertThat(fake.violations()).isEmpty();
  }

  static final String BOUNDARY = "nexflux-test-boundary-7f3a";

  /** A multipart/form-data body with one file part {@code name} (and, when given, one text field). */
  static byte[] multipart(String name, String fileName, byte[] file, String field, String fieldValue) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      if (field != null) {
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\n\r\n"
            + fieldValue + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      if (name != null) {
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
            + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
        out.write(file);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** POSTs {@code body} to the device's OTA route; {@code chunked}: without a Content-Length. */
  Answer ota(UserId user, String deviceId, byte[] body, String contentType, boolean chunked) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ROOT + "/devices/"
        + deviceId + "/ota")).timeout(Duration.ofSeconds(60))
        .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", contentType)
        .header("Authorization", "Bearer " + JwtAuthenticator.issueHs256(JWT_SECRET, user, null, null,
            Duration.ofMinutes(10)));
    return exchange(b);
  }

  static byte[] firmware(int size) {
    byte[] bytes = new byte[size];
    new java.util.Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void anOtaBinaryIsStreamedToArduino_andItsAnswerAndAnAuditRowComeBack() throws Exception {
    start(100, 15);
    String device = deviceOf("account-a", "Bench lamp", "ONLINE");
    assertThat(connect(alice, "client-a", SECRET_A, null).status()).isEqualTo(200);
    byte[] binary = firmware(300 * 1024); // well over the 64 KiB JSON limit
    Answer answer = ota(alice, device, multipart("ota_file", "sketch.ino.bin", binary, null, null),
        "multipart/form-data; boundary=" + BOUNDARY, false);

    assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
    String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(binary));
    assertThat(fake.otaUploads()).containsExactly(new FakeArduinoCloud.OtaUpload(device, "sketch.ino.bin",
        binary.length, sha));
    assertThat(answer.data().get("device_id").asText()).isEqualTo(device);
    assertThat(answer.data().get("bytes").asLong()).isEqualTo(binary.length);
    assertThat(answer.data().get("file_sha").asText()).isEqualTo(sha);
    assertThat(answer.data().get("ota_id").asText()).isNotBlank();
    assertThat(answer.data().get("status").asText()).isEqualTo("pending");
    assertThat(auditActions(alice)).containsExactly("integration.connect", "integration.device_ota");
    assertThat(rows("SELECT details FROM integration_audit_log WHERE action = 'integration.device_ota'"))
        .singleElement().asString().contains("\"bytes\": \"" + binary.length + "\"");
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void anOtaBinaryOverTheLimitIsRefusedBeforeItReachesArduino_declaredOrChunked() {
    otaMaxBytes = 128 * 1024;
    start(100, 15);
    String device = deviceOf("account-a", "Bench lamp", "ONLINE");
    assertThat(connect(alice, "client-a", SECRET_A, null).status()).isEqualTo(200);
    int before = fake.apiRequests();
    byte[] tooLarge = multipart("ota_file", "big.bin", firmware(512 * 1024), null, null);
    for (boolean chunked : new boolean[] {false, true}) {
      Answer refused = ota(alice, device, tooLarge, "multipart/form-data; boundary=" + BOUNDARY, chunked);
      assertThat(refused.status()).as("chunked=" + chunked + " " + refused.json()).isEqualTo(413);
      assertThat(refused.json().at("/error/code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }
    assertThat(fake.apiRequests()).as("nothing reached Arduino").isEqualTo(before);
    assertThat(fake.otaUploads()).isEmpty();

    // just under the limit goes through
    Answer fits = ota(alice, device, multipart("ota_file", "fits.bin", firmware(127 * 1024), null, null),
        "multipart/form-data; boundary=" + BOUNDARY, true);
    assertThat(fits.status()).as(fits.json().toString()).isEqualTo(200);
    assertThat(fake.otaUploads()).hasSize(1);
  }

  @Test
  void arduinosOtaRefusalsBecomeClearErrors_andBadUploadsNameOtaFile() {
    start(100, 15);
    String offline = deviceOf("account-a", "Sleeping board", "OFFLINE");
    String busy = deviceOf("account-a", "Busy board", "ONLINE");
    String old = deviceOf("account-a", "Old board", "ONLINE");
    fake.refuseOta(busy, 409).refuseOta(old, 412);
    assertThat(connect(alice, "client-a", SECRET_A, null).status()).isEqualTo(200);
    String type = "multipart/form-data; boundary=" + BOUNDARY;
    byte[] body = multipart("ota_file", "a.bin", firmware(1000), null, null);
    for (String[] c : new String[][] {{offline, "DEVICE_OFFLINE"}, {busy, "OTA_IN_PROGRESS"},
        {old, "OTA_NOT_SUPPORTED"}}) {
      Answer refused = ota(alice, c[0], body, type, false);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().at("/error/code").asText()).isEqualTo(c[1]);
    }
    Answer unknown = ota(alice, UUID.randomUUID().toString(), body, type, false);
    assertThat(unknown.status()).isEqualTo(404);
    Answer foreign = ota(bob, busy, body, type, false);
    assertThat(foreign.status()).as("bob has no Arduino connection").isEqualTo(404);

    int before = fake.apiRequests();
    Answer notMultipart = ota(alice, busy, body, "application/octet-stream", false);
    assertThat(notMultipart.status()).isEqualTo(400);
    assertThat(notMultipart.fields()).containsExactly("ota_file");
    Answer missing = ota(alice, busy, multipart(null, null, null, "async", "true"), type, false);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.fields()).containsExactly("async");
    Answer empty = ota(alice, busy, multipart("ota_file", "e.bin", new byte[0], null, null), type, false);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.fields()).containsExactly("ota_file");
    assertThat(fake.apiRequests()).as("bad uploads never reach Arduino").isEqualTo(before);
    assertThat(auditActions(alice)).containsExactly("integration.connect", "integration.device_ota",
        "integration.device_ota", "integration.device_ota", "integration.device_ota");
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void a429IsWaitedOut_theListsAreCachedUntilAWrite_andRefreshForcesAFetch() {
    start(100, 600);
    FakeArduinoCloud.Property lamp = FakeArduinoCloud.property("lamp", "HOME_SWITCH", "READ_WRITE", false);
    FakeArduinoCloud.Property temp = FakeArduinoCloud.property("temperature", "TEMPERATURE_C", "READ_ONLY", 21.5);
    String deviceId = UUID.randomUUID().toString();
    String thing = fake.device("account-a", new FakeArduinoCloud.Device(deviceId, "Bench", "esp32", "ONLINE", null),
        "Bench thing", List.of(lamp, temp));
    assertThat(connect(alice, "client-a", SECRET_A, null).status()).isEqualTo(200);

    int before = fake.apiRequests();
    assertThat(send(alice, "GET", ROOT, null).status()).isEqualTo(200);
    assertThat(fake.apiRequests()).as("served from the cache the connect filled").isEqualTo(before);
    fake.answer429(1, 1);
    Answer waited = send(alice, "GET", ROOT + "?refresh=true", null);
    assertThat(waited.status()).isEqualTo(200);
    assertThat(waited.data().get("devices")).hasSize(1);
    assertThat(fake.apiRequests()).as("devices (429, then again) and things").isEqualTo(before + 3);

    Answer detail = send(alice, "GET", ROOT + "/devices/" + deviceId, null);
    assertThat(detail.status()).isEqualTo(200);
    assertThat(detail.data().at("/thing/id").asText()).isEqualTo(thing);
    assertThat(detail.data().get("properties")).hasSize(2);
    assertThat(detail.data().get("properties")).anySatisfy(p -> {
      assertThat(p.get("variable_name").asText()).isEqualTo("temperature");
      assertThat(p.get("permission").asText()).isEqualTo("READ_ONLY");
      assertThat(p.get("last_value").asDouble()).isEqualTo(21.5);
      assertThat(p.get("value_updated_at").isNull()).isFalse();
    });

    Answer readOnly = send(alice, "PUT", ROOT + "/things/" + thing + "/properties/" + temp.id(), "{\"value\":30}");
    assertThat(readOnly.status()).isEqualTo(400);
    assertThat(readOnly.fields()).containsExactly("value");
    Answer unknown = send(alice, "PUT", ROOT + "/things/" + thing + "/properties/" + UUID.randomUUID(),
        "{\"value\":1}");
    assertThat(unknown.status()).isEqualTo(404);

    int beforeWrite = fake.apiRequests();
    Answer published = send(alice, "PUT", ROOT + "/things/" + thing + "/properties/" + lamp.id(),
        "{\"value\":true}");
    assertThat(published.status()).isEqualTo(200);
    assertThat(lamp.lastValue().asBoolean()).isTrue();
    assertThat(send(alice, "GET", ROOT, null).status()).isEqualTo(200);
    assertThat(fake.apiRequests()).as("properties, publish, then the lists again after the write")
        .isEqualTo(beforeWrite + 4);
    assertThat(fake.violations()).isEmpty();
  }

  String overviewStatus(UserId user) {
    List<String> out = new ArrayList<>();
    send(user, "GET", "/api/v1/users/me/integrations", null).data().get("integrations").forEach(e -> {
      if (e.get("provider").asText().equals("arduino_cloud")) {
        out.add(e.get("status").asText());
      }
    });
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void aFailingArduinoMarksTheConnectionError_untilTheNextGoodCall() {
    start(100, 15);
    deviceOf("account-a", "Bench lamp", "ONLINE");
    fake.answer429(1, 100); // the key is accepted, but the first listing is rate limited for longer than we wait
    Answer stored = connect(alice, "client-a", SECRET_A, null);
    assertThat(stored.status()).isEqualTo(200);
    assertThat(stored.data().get("connected").asBoolean()).isTrue();
    assertThat(stored.data().get("devices")).isEmpty();
    assertThat(storedRows(alice)).isEqualTo(1);
    assertThat(send(alice, "GET", ROOT, null).data().get("devices")).hasSize(1);
    fake.down(true);
    Answer failed = send(alice, "GET", ROOT + "?refresh=true", null);
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.json().at("/error/code").asText()).isEqualTo("UNAVAILABLE");
    assertThat(overviewStatus(alice)).isEqualTo("error");
    fake.down(false);
    Answer good = send(alice, "GET", ROOT + "?refresh=true", null);
    assertThat(good.data().get("status").asText()).isEqualTo("connected");
    assertThat(overviewStatus(alice)).isEqualTo("connected");
  }

  @Test
  void theRateLimitSpacesOneConnectionsRequests() {
    start(2, 0);
    deviceOf("account-a", "Bench lamp", "ONLINE");
    assertThat(connect(alice, "client-a", SECRET_A, null).status()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(send(alice, "GET", ROOT + "?refresh=true", null).status()).isEqualTo(200);
    }
    assertThat(fake.apiRequests()).isEqualTo(8);
    // at 2 requests per second with a burst of 1, a one-second window sees two, three when arrival jitter crosses
    // its edge; without the limit all eight arrive within milliseconds
    assertThat(fake.mostApiRequestsWithin(Duration.ofSeconds(1))).isLessThanOrEqualTo(3);
  }

  @Test
  void userBNeverSeesUserAsDevices_andTheDeviceSourceListsEachUsersOwn() {
    start(100, 15);
    String aliceDevice = deviceOf("account-a", "Alice's lamp", "ONLINE");
    FakeArduinoCloud.Property lamp = FakeArduinoCloud.property("lamp", "HOME_SWITCH", "READ_WRITE", false);
    String aliceThing = fake.device("account-a", new FakeArduinoCloud.Device(UUID.randomUUID().toString(),
        "Alice's fan", "esp32", "OFFLINE", null), "Fan thing", List.of(lamp));
    String bobDevice = deviceOf("account-b", "Bob's sensor", "UNKNOWN");
    assertThat(connect(alice, "client-a", SECRET_A, null).status()).isEqualTo(200);
    assertThat(connect(bob, "client-b", SECRET_B, null).status()).isEqualTo(200);

    JsonNode bobs = send(bob, "GET", ROOT, null).data();
    assertThat(bobs.get("devices")).singleElement().satisfies(d -> {
      assertThat(d.get("id").asText()).isEqualTo(bobDevice);
      assertThat(d.get("status").asText()).isEqualTo("unknown");
    });
    assertThat(bobs.toString()).doesNotContain(aliceDevice).doesNotContain(aliceThing);
    assertThat(send(bob, "GET", ROOT + "/devices/" + aliceDevice, null).status()).isEqualTo(404);
    assertThat(send(bob, "PUT", ROOT + "/things/" + aliceThing + "/properties/" + lamp.id(), "{\"value\":true}")
        .status()).isEqualTo(404);
    assertThat(lamp.lastValue().asBoolean()).isFalse();

    var devices = module.slice.devices().orElseThrow();
    assertThat(devices.devices(alice, false)).extracting(DeviceSummary::id).contains(aliceDevice)
        .doesNotContain(bobDevice);
    assertThat(devices.devices(bob, true)).extracting(DeviceSummary::id).containsExactly(bobDevice);
    assertThat(devices.devices(new UserId(UUID.randomUUID()), false)).isEmpty();

    // the deployment's own key lists the lab's devices through the facade only
    String labDevice = deviceOf("account-lab", "Lab board", "ONLINE");
    assertThat(integrations.useCase(ArduinoLabDevices.class).orElseThrow().devices())
        .extracting(d -> d.id()).containsExactly(labDevice);
    assertThat(send(alice, "GET", ROOT, null).data().toString()).doesNotContain(labDevice);
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void theServedOpenApiDocumentDocumentsTheArduinoRoutes() throws IOException, InterruptedException {
    start(100, 15);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode doc = JSON.readTree(r.body());
    List<String> ops = List.of(ROOT + "|get", ROOT + "|put", ROOT + "|delete", ROOT + "/devices/{id}|get",
        ROOT + "/things/{thing_id}/properties/{property_id}|put");
    for (String op : ops) {
      String[] parts = op.split("\\|");
      JsonNode o = doc.path("paths").path(parts[0]).path(parts[1]);
      assertThat(o.isObject()).as(op).isTrue();
      assertThat(o.path("responses").has("401") && o.path("responses").has("413") && o.path("responses").has("500"))
          .as(op).isTrue();
      assertThat(o.path("security").toString()).as(op).isEqualTo("[{\"bearerAuth\":[]}]");
    }
    List<String> refs = new ArrayList<>();
    collectRefs(doc.path("paths"), refs);
    collectRefs(doc.path("components"), refs);
    assertThat(refs).allSatisfy(ref -> assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }
}
