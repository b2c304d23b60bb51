package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.app.thingsboard.ThingsBoardModule;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nexflux.integrations.providers.testing.FakeThingsBoard;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import com.nimbusds.jwt.JWTParser;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ThingsBoard through the running HTTP API: a local fake ThingsBoard that issues real JWTs by the same fake clock the
 * server uses (so tokens expire without sleeping), real PostgreSQL, the real token lifecycle and outbound guard
 * ({@code 127.0.0.0/8} allowed, as {@code OUTBOUND_ALLOWED_NETWORKS} would).
 */
class ThingsBoardEndToEndTest {
  private static final String TB = "/api/v1/users/me/integrations/thingsboard";
  private static final byte[] JWT_SECRET = "thingsboard-e2e-secret-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private FakeThingsBoard fake;
  private TestDatabase database;
  private NexfluxIntegrations integrations;
  private Javalin server;
  private int port;

  @BeforeEach
  void start() {
    fake = FakeThingsBoard.start(clock);
    database = TestDatabase.createEmpty();
    port = LoopbackPorts.freePort();
    integrations = NexfluxIntegrations.builder()
        .dataSource(database.dataSource())
        .keyset(TinkSecretCipher.generateKeysetJson())
        .clock(clock)
        .outboundAllowedNetworks("127.0.0.0/8")
        .startBackgroundJobs(false)
        .provider(new ThingsBoardModule(true))
        .build();
    server = integrations.httpApi(JwtAuthenticator.hs256(JWT_SECRET, null, null)).createServer()
        .start("127.0.0.1", port);
  }

  @AfterEach
  void stop() {
    server.stop();
    integrations.close();
    fake.close();
  }

  record Answer(int status, JsonNode body) {
    JsonNode data() {
      return body.get("data");
    }

    String code() {
      return body.path("error").path("code").asText();
    }

    List<String> fields() {
      List<String> out = new ArrayList<>();
      body.path("error").path("details").forEach(d -> out.add(d.get("field").asText()));
      return out;
    }
  }

  private Answer send(UserId user, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + JwtAuthenticator.issueHs256(JWT_SECRET, user, null, null,
            Duration.ofMinutes(10)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
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

  private static UserId user() {
    return new UserId(UUID.randomUUID());
  }

  private String loginBody(String username, String password) {
    return "{\"base_url\":\"" + fake.baseUrl() + "\",\"username\":\"" + username + "\",\"password\":\"" + password
        + "\"}";
  }

  private Answer connect(UserId user, String username, String password) {
    return send(user, "PUT", TB, loginBody(username, password));
  }

  private long rows(UserId user) {
    return Sql.count(database.dataSource(), "SELECT count(*) FROM user_integrations WHERE user_id = ?",
        user.value());
  }

  private long auditRows(UserId user) {
    return Sql.count(database.dataSource(), "SELECT count(*) FROM integration_audit_log WHERE user_id = ?",
        user.value());
  }

  private String dump() {
    return Sql.rows(database.dataSource(), "SELECT * FROM user_integrations").toString()
        + Sql.rows(database.dataSource(), "SELECT * FROM integration_audit_log").toString();
  }

  /** Every bearer token the fake saw (access tokens) and every refresh token sent to it. */
  private List<String> tokensSeen() {
    List<String> out = new ArrayList<>();
    for (FakeThingsBoard.Received r : fake.requests()) {
      if (r.authorization() != null) {
        out.add(r.authorization().replaceFirst("^(Bearer|ApiKey) ", ""));
      }
      if (r.path().equals("/api/auth/token")) {
        try {
          out.add(JSON.readTree(r.body()).get("refreshToken").asText());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  @Test
  void wrongCredentials_areA400NamingTheFields_andStoreNothing() {
    fake.user("tenant@thingsboard.org", "tenant");
    UserId alice = user();
    Answer a = connect(alice, "tenant@thingsboard.org", "wrong");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(a.fields()).containsExactly("username", "password");
    assertThat(fake.calls("POST /api/auth/login")).isEqualTo(1);

    Answer key = send(alice, "PUT", TB, "{\"base_url\":\"" + fake.baseUrl() + "\",\"api_key\":\"tb_not-a-key\"}");
    assertThat(key.status()).isEqualTo(400);
    assertThat(key.fields()).containsExactly("api_key");
    assertThat(rows(alice)).isZero();
    assertThat(auditRows(alice)).isZero();
    assertThat(dump()).doesNotContain("wrong").doesNotContain("tb_not-a-key");
  }

  @Test
  void settings_reportEveryFailingFieldAtOnce_andSendNothing() {
    UserId alice = user();
    Answer a = send(alice, "PUT", TB, "{\"base_url\":\"ftp://tb.example\",\"username\":\"  \",\"extra\":1}");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.fields()).containsExactly("extra");
    a = send(alice, "PUT", TB, "{\"base_url\":\"ftp://tb.example\",\"username\":\"  \"}");
    assertThat(a.fields()).containsExactly("base_url", "username", "password");
    // plain http to a host outside the allowed networks: use https
    a = send(alice, "PUT", TB, "{\"base_url\":\"http://93.184.215.14\",\"api_key\":\"k\"}");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.fields()).containsExactly("base_url");
    assertThat(fake.totalCalls()).isZero();
    assertThat(rows(alice)).isZero();
  }

  @Test
  void aPrivateAddressOutsideTheAllowedNetworks_isHostNotAllowed_andNothingIsStored() {
    UserId alice = user();
    for (String url : List.of("https://10.20.30.40:8443", "https://[fd00::1]", "http://192.168.1.20:8080",
        "https://169.254.169.254")) {
      Answer a = send(alice, "PUT", TB, "{\"base_url\":\"" + url + "\",\"username\":\"u@x\",\"password\":\"p\"}");
      assertThat(a.status()).as(url).isEqualTo(400);
      assertThat(a.code()).as(url).isEqualTo("HOST_NOT_ALLOWED");
    }
    assertThat(rows(alice)).isZero();
    assertThat(auditRows(alice)).isZero();
  }

  @Test
  void connect_readsEveryPage_storesOnlyCiphertext_andTheExpiryFromTheJwt() throws Exception {
    FakeThingsBoard.Tenant tenant = fake.user("tenant@thingsboard.org", "s3cret-Passw0rd");
    List<String> ids = tenant.devices("sensor", 250);
    UserId alice = user();
    Answer a = connect(alice, "tenant@thingsboard.org", "s3cret-Passw0rd");
    assertThat(a.status()).isEqualTo(200);
    JsonNode view = a.data();
    assertThat(view.get("connected").asBoolean()).isTrue();
    assertThat(view.get("status").asText()).isEqualTo("connected");
    assertThat(view.get("base_url").asText()).isEqualTo(fake.baseUrl().toString());
    assertThat(view.get("username").asText()).isEqualTo("tenant@thingsboard.org");
    assertThat(view.get("devices")).hasSize(250);
    assertThat(view.get("fetched_at").asText()).isEqualTo(clock.instant().toString());
    JsonNode first = view.get("devices").get(0);
    assertThat(first.get("id").asText()).isEqualTo(ids.get(0));
    assertThat(first.get("name").asText()).isEqualTo("sensor-0000");
    assertThat(first.get("type").asText()).isEqualTo("default");
    assertThat(first.get("active").asBoolean()).isTrue();
    assertThat(view.get("devices").get(1).get("active").asBoolean()).isFalse();
    assertThat(fake.calls("GET /api/tenant/deviceInfos")).isEqualTo(3); // 100 + 100 + 50
    assertThat(fake.requests().stream().filter(r -> r.path().equals("/api/tenant/deviceInfos"))
        .map(FakeThingsBoard.Received::authorization)).allMatch(h -> h.startsWith("Bearer ey"));

    // the access token's expiry is its exp (the fake's 150 minutes), not an assumed lifetime
    String access = tokensSeen().get(0);
    Instant exp = JWTParser.parse(access).getJWTClaimsSet().getExpirationTime().toInstant();
    Object stored = Sql.scalar(database.dataSource(),
        "SELECT token_expires_at FROM user_integrations WHERE user_id = ?", alice.value());
    assertThat(((java.sql.Timestamp) stored).toInstant()).isEqualTo(exp);
    assertThat(exp).isEqualTo(clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofMinutes(150)));

    // a database dump holds no password or token
    String dump = dump();
    assertThat(dump).doesNotContain("s3cret-Passw0rd");
    for (String token : tokensSeen()) {
      assertThat(dump).doesNotContain(token);
    }
    assertThat(dump).doesNotContain("eyJ").contains("password_encrypted").contains("integration.connect");

    // the overview and the device inventory
    Answer overview = send(alice, "GET", "/api/v1/users/me/integrations", null);
    JsonNode entry = null;
    for (JsonNode i : overview.data().get("integrations")) {
      if (i.toString().contains("thingsboard")) {
        entry = i;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.toString()).contains("\"connected\"");
    List<DeviceSummary> inventory = integrations.useCase(
        com.nexflux.integrations.core.thingsboard.ThingsBoardIntegrations.class).map(s ->
        ((com.nexflux.integrations.core.device.DeviceSource) s).devices(alice, true)).orElseThrow();
    assertThat(inventory).hasSize(250);
    assertThat(inventory.get(0).status()).isEqualTo(DeviceSummary.ONLINE);
    assertThat(inventory.get(1).status()).isEqualTo(DeviceSummary.OFFLINE);
    assertThat(inventory.get(0).provider()).isEqualTo(Provider.THINGSBOARD);

    // a second PUT is an update
    assertThat(connect(alice, "tenant@thingsboard.org", "s3cret-Passw0rd").status()).isEqualTo(200);
    assertThat(Sql.count(database.dataSource(), "SELECT count(*) FROM integration_audit_log WHERE user_id = ? "
        + "AND action = 'integration.update'", alice.value())).isEqualTo(1);
  }

  @Test
  void atMostAThousandDevicesAreListed() {
    FakeThingsBoard.Tenant tenant = fake.user("big@thingsboard.org", "pw");
    tenant.devices("d", 1_005);
    UserId alice = user();
    Answer a = connect(alice, "big@thingsboard.org", "pw");
    assertThat(a.data().get("devices")).hasSize(1_000);
    assertThat(fake.calls("GET /api/tenant/deviceInfos")).isEqualTo(10);
  }

  @Test
  void anExpiredAccessTokenIsRefreshed_andAnExpiredRefreshTokenMeansANewLogin() {
    fake.accessTokenLifetime(Duration.ofHours(1)).refreshTokenLifetime(Duration.ofHours(2));
    FakeThingsBoard.Tenant tenant = fake.user("tenant@thingsboard.org", "pw");
    String device = tenant.device("thermo", "sensor", true);
    tenant.telemetry(device, "temperature", 1_700_000_000_000L, 21.5);
    UserId alice = user();
    assertThat(connect(alice, "tenant@thingsboard.org", "pw").status()).isEqualTo(200);
    assertThat(fake.calls("POST /api/auth/login")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(61)); // the access token expired, the refresh token still lives
    Answer t = send(alice, "GET", TB + "/devices/" + device, null);
    assertThat(t.status()).isEqualTo(200);
    assertThat(t.data().get("keys").toString()).isEqualTo("[\"temperature\"]");
    assertThat(t.data().get("values").get("temperature").get("value").asDouble()).isEqualTo(21.5);
    assertThat(t.data().get("values").get("temperature").get("ts").asText())
        .isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L).toString());
    assertThat(fake.calls("POST /api/auth/token")).isEqualTo(1);
    assertThat(fake.calls("POST /api/auth/login")).isEqualTo(1);

    clock.advance(Duration.ofHours(3)); // both expired: log in again with the stored password
    assertThat(send(alice, "GET", TB + "/devices/" + device, null).status()).isEqualTo(200);
    assertThat(fake.calls("POST /api/auth/login")).isEqualTo(2);
    assertThat(fake.calls("POST /api/auth/token")).isEqualTo(1);
    assertThat(send(alice, "GET", TB, null).data().get("status").asText()).isEqualTo("connected");
  }

  @Test
  void aRefusedTokenIsReplacedByANewLogin_andNeedsReauthOnlyWhenThatLoginFails() {
    FakeThingsBoard.Tenant tenant = fake.user("tenant@thingsboard.org", "pw");
    String device = tenant.device("thermo", "sensor", true);
    UserId alice = user();
    assertThat(connect(alice, "tenant@thingsboard.org", "pw").status()).isEqualTo(200);

    fake.outdateIssuedTokens(); // 401 errorCode 11 although the exp is hours away
    assertThat(send(alice, "GET", TB + "/devices/" + device, null).status()).isEqualTo(200);
    assertThat(fake.calls("POST /api/auth/login")).isEqualTo(2);
    assertThat(send(alice, "GET", TB, null).data().get("status").asText()).isEqualTo("connected");

    tenant.password("changed-by-the-admin");
    fake.outdateIssuedTokens();
    Answer refused = send(alice, "GET", TB + "/devices/" + device, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("NEEDS_REAUTH");
    JsonNode view = send(alice, "GET", TB, null).data();
    assertThat(view.get("status").asText()).isEqualTo("needs_reauth");
    assertThat(view.get("connected").asBoolean()).isFalse();
    int logins = fake.calls("POST /api/auth/login");
    assertThat(send(alice, "GET", TB + "/devices/" + device, null).code()).isEqualTo("NEEDS_REAUTH");
    assertThat(fake.calls("POST /api/auth/login")).as("needs_reauth calls nobody").isEqualTo(logins);
    assertThat(Sql.count(database.dataSource(), "SELECT count(*) FROM integration_audit_log WHERE user_id = ? "
        + "AND action = 'integration.reauth_required'", alice.value())).isEqualTo(1);
  }

  @Test
  void rpc_oneWayTwoWay_andATimeoutIsDeviceTimeout() {
    FakeThingsBoard.Tenant tenant = fake.user("tenant@thingsboard.org", "pw");
    String lamp = tenant.device("lamp", "actuator", true);
    String offline = tenant.device("sleepy", "actuator", false);
    tenant.rpcReply(lamp, Map.of("gpio", 4, "value", true));
    UserId alice = user();
    connect(alice, "tenant@thingsboard.org", "pw");

    Answer two = send(alice, "POST", TB + "/devices/" + lamp + "/rpc",
        "{\"method\":\"setGpio\",\"params\":{\"pin\":4,\"value\":1},\"two_way\":true,\"timeout_ms\":5000}");
    assertThat(two.status()).isEqualTo(200);
    assertThat(two.data().get("two_way").asBoolean()).isTrue();
    assertThat(two.data().get("response").get("gpio").asInt()).isEqualTo(4);
    assertThat(fake.calls("POST /api/rpc/twoway/{id}")).isEqualTo(1);
    JsonNode sent = tenant.rpcsOf(lamp).get(0);
    assertThat(sent.get("method").asText()).isEqualTo("setGpio");
    assertThat(sent.get("params").get("pin").asInt()).isEqualTo(4);
    assertThat(sent.get("timeout").asInt()).isEqualTo(5000);

    Answer one = send(alice, "POST", TB + "/devices/" + lamp + "/rpc", "{\"method\":\"blink\"}");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.data().get("two_way").asBoolean()).isFalse();
    assertThat(one.data().get("response").isNull()).isTrue();
    assertThat(fake.calls("POST /api/rpc/oneway/{id}")).isEqualTo(1);

    Answer timeout = send(alice, "POST", TB + "/devices/" + offline + "/rpc", "{\"method\":\"blink\",\"two_way\":true}");
    assertThat(timeout.status()).isEqualTo(504);
    assertThat(timeout.code()).isEqualTo("DEVICE_TIMEOUT");
    assertThat(timeout.body().path("error").path("message").asText()).contains("offline");
    fake.rpcTimeoutStatus(408);
    assertThat(send(alice, "POST", TB + "/devices/" + offline + "/rpc", "{\"method\":\"blink\"}").code())
        .isEqualTo("DEVICE_TIMEOUT");
    assertThat(send(alice, "GET", TB, null).data().get("status").asText()).isEqualTo("connected");

    Answer bad = send(alice, "POST", TB + "/devices/" + lamp + "/rpc", "{\"two_way\":\"yes\",\"timeout_ms\":10}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.fields()).containsExactlyInAnyOrder("method", "two_way", "timeout_ms");
  }

  @Test
  void userBNeverSeesUserAsDevices() {
    FakeThingsBoard.Tenant a = fake.user("a@thingsboard.org", "pw-a");
    String aDevice = a.device("a-secret-device", "sensor", true);
    FakeThingsBoard.Tenant b = fake.user("b@thingsboard.org", "pw-b");
    b.device("b-device", "sensor", true);
    UserId alice = user();
    UserId bob = user();
    connect(alice, "a@thingsboard.org", "pw-a");

    JsonNode bobView = send(bob, "GET", TB, null).data();
    assertThat(bobView.get("status").asText()).isEqualTo("not_configured");
    assertThat(bobView.get("devices")).isEmpty();
    assertThat(send(bob, "GET", TB + "/devices/" + aDevice, null).status()).isEqualTo(404);
    assertThat(send(bob, "POST", TB + "/devices/" + aDevice + "/rpc", "{\"method\":\"x\"}").status()).isEqualTo(404);

    connect(bob, "b@thingsboard.org", "pw-b");
    bobView = send(bob, "GET", TB, null).data();
    assertThat(bobView.get("devices").toString()).contains("b-device").doesNotContain("a-secret-device");
    assertThat(send(bob, "GET", TB + "/devices/" + aDevice, null).status()).isEqualTo(404);
    assertThat(send(bob, "POST", TB + "/devices/" + aDevice + "/rpc", "{\"method\":\"x\"}").status()).isEqualTo(404);
    assertThat(send(bob, "GET", TB + "/devices/not-a-uuid", null).status()).isEqualTo(404);
    assertThat(send(alice, "GET", TB, null).data().get("devices").toString()).contains("a-secret-device");
  }

  @Test
  void anApiKey_isSentAsApiKey_neverRenewed_andARevokedKeyNeedsReauth() {
    FakeThingsBoard.Tenant tenant = fake.user("keyed@thingsboard.org", "unused");
    tenant.device("gateway", "gw", true);
    String key = fake.apiKey(tenant);
    UserId alice = user();
    Answer a = send(alice, "PUT", TB, "{\"base_url\":\"" + fake.baseUrl() + "/\",\"api_key\":\"" + key + "\"}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.data().get("auth_method").asText()).isEqualTo("api_key");
    assertThat(a.data().get("username").asText()).isEqualTo("keyed@thingsboard.org");
    assertThat(a.data().get("base_url").asText()).isEqualTo(fake.baseUrl().toString());
    assertThat(a.data().get("devices")).hasSize(1);
    assertThat(fake.requests().stream().map(FakeThingsBoard.Received::authorization)
        .collect(Collectors.toSet())).containsExactly("ApiKey " + key);
    assertThat(dump()).doesNotContain(key);

    clock.advance(Duration.ofDays(30)); // nothing expires
    assertThat(send(alice, "GET", TB, null).data().get("status").asText()).isEqualTo("connected");
    assertThat(fake.calls("POST /api/auth/login") + fake.calls("POST /api/auth/token")).isZero();

    fake.revokeApiKey(key);
    assertThat(send(alice, "GET", TB, null).data().get("status").asText()).isEqualTo("needs_reauth");
  }

  @Test
  void unreachableOrFailingThingsBoard_is503_andStoresNothing() {
    fake.user("tenant@thingsboard.org", "pw");
    fake.failAllWith(502);
    UserId alice = user();
    Answer a = connect(alice, "tenant@thingsboard.org", "pw");
    assertThat(a.status()).isEqualTo(503);
    assertThat(a.code()).isEqualTo("UNAVAILABLE");
    Answer closed = send(alice, "PUT", TB, "{\"base_url\":\"http://127.0.0.1:" + LoopbackPorts.closedPort()
        + "\",\"username\":\"u\",\"password\":\"p\"}");
    assertThat(closed.status()).isEqualTo(503);
    assertThat(rows(alice)).isZero();
  }

  @Test
  void delete_forgetsEverything_isIdempotent_andAudited() {
    fake.user("tenant@thingsboard.org", "pw");
    UserId alice = user();
    connect(alice, "tenant@thingsboard.org", "pw");
    assertThat(rows(alice)).isEqualTo(1);
    for (int i = 0; i < 2; i++) {
      Answer d = send(alice, "DELETE", TB, null);
      assertThat(d.status()).isEqualTo(200);
      assertThat(d.data().get("deleted").asBoolean()).isTrue();
    }
    assertThat(rows(alice)).isZero();
    assertThat(Sql.count(database.dataSource(), "SELECT count(*) FROM integration_audit_log WHERE user_id = ? "
        + "AND action = 'integration.disconnect'", alice.value())).isEqualTo(2);
    assertThat(send(alice, "GET", TB, null).data().get("status").asText()).isEqualTo("not_configured");
  }
}
