package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.app.e2e.RunningServer.Response;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.providers.testing.BrokerCredentials;
import com.nexflux.integrations.providers.testing.EmbeddedHiveMqBroker;
import com.nexflux.integrations.providers.testing.Mosquitto;
import com.nexflux.integrations.providers.testing.SilentListener;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT API through the running standalone server: real PostgreSQL, real brokers on loopback, real JWTs.
 */
class MqttApiEndToEndTest {
  private static final String MQTT = "/api/v1/users/me/integrations/mqtt";
  private static final String CANARY = "CANARY-e2e-pw-4e1d";
  private static RunningServer server;
  private static EmbeddedHiveMqBroker broker;
  private static EmbeddedHiveMqBroker authBroker;

  @BeforeAll
  static void start() {
    broker = EmbeddedHiveMqBroker.start();
    authBroker = EmbeddedHiveMqBroker.start(Optional.of(new BrokerCredentials("student", CANARY)));
    server = RunningServer.start(Map.of("DEFAULT_MQTT_BROKER_URL", "wss://default.nexflux.test/mqtt",
        "MQTT_TEST_RATE_LIMIT_PER_MINUTE", "50"));
  }

  @AfterAll
  static void stop() {
    server.close();
    broker.close();
    authBroker.close();
  }

  private static String settings(String url, boolean auth, String password) {
    return "{\"enabled\": true, \"broker_url\": \"" + url + "\", \"use_authentication\": " + auth
        + (auth ? ", \"username\": \"student\"" : "")
        + (password == null ? "" : ", \"password\": \"" + password + "\"")
        + ", \"device_id\": \"device-01\", \"topic_prefix\": \"nexflux/device\"}";
  }

  @Test
  void fullLifecycle_notConfigured_save_test_audit_delete() {
    UserId user = RunningServer.newUser();
    Response empty = server.get(user, MQTT);
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.json().get("success").asBoolean()).isTrue();
    assertThat(empty.data().get("configured").asBoolean()).isFalse();
    assertThat(empty.data().get("status").asText()).isEqualTo("not_configured");
    assertThat(empty.data().get("default_broker_url").asText()).isEqualTo("wss://default.nexflux.test/mqtt");

    String url = "ws://127.0.0.1:" + authBroker.wsPort() + "/mqtt";
    Response saved = server.send(user, "PUT", MQTT, settings(url, true, CANARY));
    assertThat(saved.status()).isEqualTo(200);
    assertThat(saved.data().get("status").asText()).isEqualTo("untested");
    assertThat(saved.data().get("has_password").asBoolean()).isTrue();
    assertThat(saved.body()).doesNotContain(CANARY).doesNotContain("password_encrypted");

    Response test = server.send(user, "POST", MQTT + "/test", null);
    assertThat(test.status()).isEqualTo(200);
    assertThat(test.data().get("connected").asBoolean()).as(test.body()).isTrue();
    assertThat(test.data().get("latency_ms").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(test.data().get("broker_info").get("protocol").asText()).isEqualTo("mqtt/5.0");

    Response after = server.get(user, MQTT);
    assertThat(after.data().get("status").asText()).isEqualTo("connected");
    assertThat(after.data().get("last_connected_at").isNull()).isFalse();
    assertThat(after.data().get("username").asText()).isEqualTo("student");
    assertThat(after.body()).doesNotContain(CANARY);

    Response overview = server.get(user, "/api/v1/users/me/integrations");
    JsonNode mqtt = overview.data().get("integrations").get(0);
    assertThat(mqtt.get("provider").asText()).isEqualTo("mqtt");
    assertThat(mqtt.get("status").asText()).isEqualTo("connected");

    Response deleted = server.send(user, "DELETE", MQTT, null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.data().get("deleted").asBoolean()).isTrue();
    assertThat(server.get(user, MQTT).data().get("status").asText()).isEqualTo("not_configured");
    assertThat(server.send(user, "DELETE", MQTT, null).status()).as("idempotent").isEqualTo(200);

    Response audit = server.get(user, "/api/v1/users/me/integrations/audit?limit=10");
    List<String> actions = new ArrayList<>();
    audit.data().get("items").forEach(i -> actions.add(i.get("action").asText()));
    assertThat(actions).containsExactly("integration.disconnect", "integration.disconnect", "integration.test",
        "integration.connect");
    JsonNode testRow = audit.data().get("items").get(2);
    assertThat(testRow.get("outcome").asText()).isEqualTo("success");
    assertThat(testRow.get("request_id").asText()).isEqualTo(test.raw().headers().firstValue("X-Request-Id").get());
    assertThat(testRow.get("ip").asText()).isEqualTo("127.0.0.1");
    assertThat(audit.body()).doesNotContain(CANARY);
  }

  @Test
  void unsavedTest_overTcpAndWs_recordsNothing_andUsesTheStoredPasswordWhenNoneIsGiven() {
    UserId user = RunningServer.newUser();
    Response tcp = server.send(user, "POST", MQTT + "/test",
        settings("mqtt://127.0.0.1:" + broker.tcpPort(), false, null));
    assertThat(tcp.data().get("connected").asBoolean()).as(tcp.body()).isTrue();
    Response ws = server.send(user, "POST", MQTT + "/test",
        settings("ws://127.0.0.1:" + broker.wsPort() + "/mqtt", false, null));
    assertThat(ws.data().get("connected").asBoolean()).as(ws.body()).isTrue();
    assertThat(server.get(user, MQTT).data().get("configured").asBoolean()).as("nothing recorded").isFalse();

    String url = "mqtt://127.0.0.1:" + authBroker.tcpPort();
    assertThat(server.send(user, "PUT", MQTT, settings(url, true, CANARY)).status()).isEqualTo(200);
    Response withStored = server.send(user, "POST", MQTT + "/test", settings(url, true, null));
    assertThat(withStored.data().get("connected").asBoolean()).as(withStored.body()).isTrue();
    Response wrong = server.send(user, "POST", MQTT + "/test", settings(url, true, "wrong-password"));
    assertThat(wrong.data().get("connected").asBoolean()).isFalse();
    assertThat(wrong.data().get("error").get("code").asText()).isEqualTo("AUTH_FAILED");
    assertThat(wrong.data().get("latency_ms").isNull()).isTrue();
    assertThat(wrong.data().get("broker_info").isNull()).isTrue();
    assertThat(server.get(user, MQTT).data().get("status").asText()).as("unsaved tests record nothing")
        .isEqualTo("untested");
  }

  @Test
  void aTestOrSaveAimedAtAnotherBroker_neverSendsTheStoredPassword() {
    UserId user = RunningServer.newUser();
    String brokerA = "mqtt://127.0.0.1:" + authBroker.tcpPort();
    assertThat(server.send(user, "PUT", MQTT, settings(brokerA, true, CANARY)).status()).isEqualTo(200);
    int auditRows = server.get(user, "/api/v1/users/me/integrations/audit").data().get("items").size();

    // broker B takes the same credentials: had the stored password been sent, the test would have connected
    try (Mosquitto brokerB = Mosquitto.start(Optional.of(new BrokerCredentials("student", CANARY)))) {
      String urlB = "mqtt://127.0.0.1:" + brokerB.port();
      for (String method : List.of("POST", "PUT")) {
        Response r = server.send(user, method, method.equals("POST") ? MQTT + "/test" : MQTT,
            settings(urlB, true, null));
        assertThat(r.status()).as(method + " " + r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
        List<String> fields = new ArrayList<>();
        r.json().get("error").get("details").forEach(d -> fields.add(d.get("field").asText()));
        assertThat(fields).as(method).containsExactly("password");
        assertThat(r.body()).doesNotContain(CANARY);
        assertThat(mqttConnects(brokerB)).as("broker B saw no CONNECT:\n" + brokerB.log()).isZero();
        assertThat(brokerB.log().split("New connection from", -1).length - 1)
            .as("no TCP connection beyond the fixture's readiness check:\n" + brokerB.log()).isLessThanOrEqualTo(1);
      }

      JsonNode view = server.get(user, MQTT).data();
      assertThat(view.get("broker_url").asText()).as("nothing stored").isEqualTo(brokerA);
      assertThat(view.get("has_password").asBoolean()).isTrue();
      assertThat(server.get(user, "/api/v1/users/me/integrations/audit").data().get("items").size())
          .as("nothing recorded").isEqualTo(auditRows);

      // the control: with the password typed in, the same test does reach broker B (so its log shows CONNECTs)
      Response typed = server.send(user, "POST", MQTT + "/test", settings(urlB, true, CANARY));
      assertThat(typed.data().get("connected").asBoolean()).as(typed.body()).isTrue();
      assertThat(mqttConnects(brokerB)).as(brokerB.log()).isPositive();
    }

    Response sameBroker = server.send(user, "POST", MQTT + "/test", settings(brokerA + "/", true, null));
    assertThat(sameBroker.data().get("connected").asBoolean()).as("the saved broker still gets the stored password")
        .isTrue();
  }

  /**
   * @return how many MQTT CONNECTs mosquitto has logged: accepted ({@code New client connected}) or refused
   *     ({@code not authorised}). A bare TCP connection, like the fixture's readiness check, logs neither.
   */
  private static long mqttConnects(Mosquitto mosquitto) {
    return mosquitto.log().lines()
        .filter(l -> l.contains("New client connected") || l.contains("not authorised"))
        .count();
  }

  @Test
  void savedTestWithWrongPassword_setsStatusError() {
    UserId user = RunningServer.newUser();
    server.send(user, "PUT", MQTT, settings("mqtt://127.0.0.1:" + authBroker.tcpPort(), true, "not-it"));
    Response test = server.send(user, "POST", MQTT + "/test", "");
    assertThat(test.data().get("error").get("code").asText()).isEqualTo("AUTH_FAILED");
    JsonNode view = server.get(user, MQTT).data();
    assertThat(view.get("status").asText()).isEqualTo("error");
    assertThat(view.get("last_error").asText()).isEqualTo("AUTH_FAILED");
    assertThat(view.get("last_connected_at").isNull()).isTrue();
  }

  @Test
  void mosquittoReportsItsVersion() {
    UserId user = RunningServer.newUser();
    try (Mosquitto mosquitto = Mosquitto.start()) {
      Response r = server.send(user, "POST", MQTT + "/test",
          settings("mqtt://127.0.0.1:" + mosquitto.port(), false, null));
      assertThat(r.data().get("broker_info").get("version").asText())
          .isEqualTo("mosquitto/" + Mosquitto.installedVersion());
    }
  }

  @Test
  void anHttpServerOnThePort_isNotAnMqttEndpoint() {
    UserId user = RunningServer.newUser();
    // the integrations server itself (Jetty) is a real HTTP server on loopback
    Response r = server.send(user, "POST", MQTT + "/test",
        settings("mqtt://127.0.0.1:" + server.server.port(), false, null));
    assertThat(r.data().get("connected").asBoolean()).isFalse();
    assertThat(r.data().get("error").get("code").asText()).as(r.body()).isEqualTo("NOT_MQTT_ENDPOINT");
  }

  @Test
  void aListenerThatNeverAnswers_timesOutWithinTheBound() {
    UserId user = RunningServer.newUser();
    try (SilentListener silent = new SilentListener()) {
      long started = System.nanoTime();
      Response r = server.send(user, "POST", MQTT + "/test",
          settings("mqtt://127.0.0.1:" + silent.port(), false, null));
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(r.data().get("error").get("code").asText()).isIn("CONNACK_TIMEOUT", "CONNECT_TIMEOUT");
      assertThat(tookMs).as("bounded by MQTT_TEST_TIMEOUT_MS (3000) + 1 s").isLessThan(4000 + 2000);
    }
  }

  @Test
  void hostsOutsideTheAllowList_areRefusedAtSaveAndAtTest() {
    UserId user = RunningServer.newUser();
    Response save = server.send(user, "PUT", MQTT, settings("mqtt://169.254.169.254:1883", false, null));
    assertThat(save.status()).isEqualTo(400);
    assertThat(save.json().get("error").get("details").get(0).get("field").asText()).isEqualTo("broker_url");
    Response test = server.send(user, "POST", MQTT + "/test", settings("mqtt://10.1.2.3:1883", false, null));
    assertThat(test.data().get("error").get("code").asText()).isEqualTo("HOST_NOT_ALLOWED");
    assertThat(server.get(user, MQTT).data().get("configured").asBoolean()).isFalse();
  }

  @Test
  void badInput_namesEveryField_andStoresNothing() {
    UserId user = RunningServer.newUser();
    Response r = server.send(user, "PUT", MQTT,
        "{\"broker_url\": \"http://x\", \"device_id\": \"/bad\", \"topic_prefix\": \"$SYS\", \"use_authentication\": true}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
    List<String> fields = new ArrayList<>();
    r.json().get("error").get("details").forEach(d -> fields.add(d.get("field").asText()));
    assertThat(fields).containsExactlyInAnyOrder("broker_url", "device_id", "topic_prefix", "username");
    Response unknown = server.send(user, "PUT", MQTT, "{\"broker_url\": \"mqtt://127.0.0.1:1\", \"device_id\": \"d\", \"colour\": 1}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("error").get("details").get(0).get("field").asText()).isEqualTo("colour");
    assertThat(server.get(user, MQTT).data().get("configured").asBoolean()).isFalse();
    assertThat(server.get(user, "/api/v1/users/me/integrations/audit").data().get("items")).isEmpty();
  }

  @Test
  void afterAPut_noColumnOfAnyTableHoldsThePlaintextPassword() {
    UserId user = RunningServer.newUser();
    server.send(user, "PUT", MQTT, settings("mqtt://127.0.0.1:" + authBroker.tcpPort(), true, CANARY));
    server.send(user, "POST", MQTT + "/test", null);
    String b64 = Base64.getEncoder().encodeToString(CANARY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    List<Map<String, Object>> tables = Sql.rows(server.database.dataSource(),
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    int cells = 0;
    for (Map<String, Object> t : tables) {
      for (Map<String, Object> row : Sql.rows(server.database.dataSource(), "SELECT * FROM " + t.get("table_name"))) {
        for (Object v : row.values()) {
          String text = String.valueOf(v);
          assertThat(text).doesNotContain(CANARY).doesNotContain(b64);
          cells++;
        }
      }
    }
    assertThat(cells).as("the dump saw the stored rows").isGreaterThan(10);
    Object config = Sql.scalar(server.database.dataSource(),
        "SELECT config::text FROM user_integrations WHERE user_id = ?", user.value());
    assertThat(String.valueOf(config)).contains("password_encrypted");
  }

  @Test
  void userB_neverSeesOrChangesUserA() {
    UserId a = RunningServer.newUser();
    UserId b = RunningServer.newUser();
    server.send(a, "PUT", MQTT, settings("mqtt://127.0.0.1:" + broker.tcpPort(), false, null));
    assertThat(server.get(b, MQTT).data().get("configured").asBoolean()).isFalse();
    server.send(b, "DELETE", MQTT, null);
    assertThat(server.send(b, "POST", MQTT + "/test", null).status()).isEqualTo(404);
    assertThat(server.get(a, MQTT).data().get("configured").asBoolean()).isTrue();
    assertThat(server.get(b, "/api/v1/users/me/integrations/audit").body()).doesNotContain(a.toString());
    server.send(b, "PUT", MQTT, settings("ws://127.0.0.1:" + broker.wsPort(), false, null));
    assertThat(server.get(a, MQTT).data().get("broker_url").asText()).startsWith("mqtt://");
  }

  @Test
  void requestsWithoutAValidToken_get401() {
    Response none = server.send(null, "GET", MQTT, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
  }

  @Test
  void healthEndpoints() {
    assertThat(server.send(null, "GET", "/health/live", null).status()).isEqualTo(200);
    assertThat(server.send(null, "GET", "/health/ready", null).status()).isEqualTo(200);
  }
}
