package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.app.e2e.RunningServer.Response;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.providers.testing.FakeBlynk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blynk through the running standalone server: real PostgreSQL, real JWTs, and the fake Blynk as a private server
 * ({@code BLYNK_API_BASE_URL} on 127.0.0.1, which passes the outbound guard as the deployment's own Blynk host).
 * Every device token is a canary that must never come back in an answer or land in a row or the audit log.
 */
class BlynkEndToEndTest {
  private static final String BLYNK = "/api/v1/users/me/integrations/blynk";
  private static FakeBlynk blynk;
  private static RunningServer server;
  private static final List<Response> answers = new ArrayList<>();

  @BeforeAll
  static void start() {
    blynk = FakeBlynk.start();
    server = RunningServer.start(Map.of("BLYNK_API_BASE_URL", blynk.url("127.0.0.1")));
  }

  @AfterAll
  static void stop() {
    try {
      assertThat(answers).allSatisfy(r -> assertThat(r.body()).doesNotContain("CANARY"));
      assertThat(Sql.rows(server.database.dataSource(), "SELECT * FROM user_integrations").toString())
          .doesNotContain("CANARY");
      assertThat(Sql.rows(server.database.dataSource(), "SELECT * FROM integration_audit_log").toString())
          .doesNotContain("CANARY");
    } finally {
      server.close();
      blynk.close();
    }
  }

  private static String token() {
    return "CANARY" + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
  }

  private static Response send(UserId user, String method, String path, String body) {
    Response r = server.send(user, method, path, body);
    answers.add(r);
    return r;
  }

  private static List<String> fields(Response r) {
    List<String> out = new ArrayList<>();
    r.json().get("error").get("details").forEach(d -> out.add(d.get("field").asText()));
    return out;
  }

  @Test
  void lifecycle_connectReadWriteForget() {
    UserId user = RunningServer.newUser();
    String lamp = token();
    String fan = token();
    FakeBlynk.Device lampDevice = blynk.addDevice(lamp, "127.0.0.1", 0, 1, 2).value(1, "42");
    blynk.addDevice(fan, "127.0.0.1", 5).online(false);

    Response empty = send(user, "GET", BLYNK, null);
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.data().get("connected").asBoolean()).isFalse();
    assertThat(empty.data().get("status").asText()).isEqualTo("not_configured");

    Response refused = send(user, "PUT", BLYNK, "{\"devices\": [{\"name\": \"Lamp\", \"auth_token\": \"" + lamp
        + "\"}, {\"name\": \"Ghost\", \"auth_token\": \"" + token() + "\"}]}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
    assertThat(fields(refused)).containsExactly("devices[1].auth_token");
    assertThat(send(user, "GET", BLYNK, null).data().get("connected").asBoolean()).as("nothing stored").isFalse();

    Response saved = send(user, "PUT", BLYNK, "{\"devices\": [{\"name\": \"Lamp\", \"auth_token\": \"" + lamp
        + "\"}, {\"name\": \"Fan\", \"auth_token\": \"" + fan + "\"}]}");
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    assertThat(saved.data().get("status").asText()).isEqualTo("connected");
    assertThat(saved.data().get("server").asText()).isEqualTo("127.0.0.1");

    JsonNode view = send(user, "GET", BLYNK, null).data();
    assertThat(view.get("connected").asBoolean()).isTrue();
    assertThat(view.get("fetched_at").isTextual()).isTrue();
    JsonNode first = view.get("devices").get(0);
    assertThat(first.get("name").asText()).isEqualTo("Lamp");
    assertThat(first.get("online").asBoolean()).isTrue();
    assertThat(first.get("values").get("v1").asInt()).isEqualTo(42);
    assertThat(view.get("devices").get(1).get("online").asBoolean()).isFalse();

    Response one = send(user, "POST", BLYNK + "/devices/Lamp/pins/V1", "{\"value\": 128}");
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(lampDevice.value(1)).isEqualTo("128");
    Response batch = send(user, "POST", BLYNK + "/devices/Lamp/pins", "{\"values\": {\"V0\": true, \"V2\": \"hi\"}}");
    assertThat(batch.status()).as(batch.body()).isEqualTo(200);
    assertThat(lampDevice.value(0)).isEqualTo("1");
    assertThat(lampDevice.value(2)).isEqualTo("hi");
    assertThat(blynk.calls("batch/update")).isGreaterThanOrEqualTo(1);

    Response noStream = send(user, "POST", BLYNK + "/devices/Lamp/pins/V9", "{\"value\": 1}");
    assertThat(noStream.status()).isEqualTo(400);
    JsonNode detail = noStream.json().get("error").get("details").get(0);
    assertThat(detail.get("field").asText()).isEqualTo("pin");
    assertThat(detail.get("message").asText()).isEqualTo("V9: No datastream setup for that pin.");
    assertThat(send(user, "POST", BLYNK + "/devices/Lamp/pins/V300", "{\"value\": 1}").status()).isEqualTo(400);

    JsonNode entry = null;
    for (JsonNode e : send(user, "GET", "/api/v1/users/me/integrations", null).data().get("integrations")) {
      if (e.get("provider").asText().equals("blynk")) {
        entry = e;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.get("available").asBoolean()).isTrue();
    assertThat(entry.get("status").asText()).isEqualTo("connected");

    assertThat(send(user, "DELETE", BLYNK, null).data().get("deleted").asBoolean()).isTrue();
    assertThat(send(user, "DELETE", BLYNK, null).status()).isEqualTo(200);
    assertThat(send(user, "GET", BLYNK, null).data().get("status").asText()).isEqualTo("not_configured");
    List<String> actions = new ArrayList<>();
    send(user, "GET", "/api/v1/users/me/integrations/audit", null).data().get("items")
        .forEach(i -> actions.add(i.get("action").asText()));
    assertThat(actions).contains("integration.connect", "integration.disconnect", "integration.device_write");
  }

  @Test
  void badBodiesNameEveryField_atOnce() {
    UserId user = RunningServer.newUser();
    Response r = send(user, "PUT", BLYNK, "{\"color\": 1, \"server\": 5, \"devices\": [{\"name\": 3, "
        + "\"auth_token\": \"x\", \"extra\": true}, 7]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(fields(r)).containsExactly("color", "server", "devices[0].extra", "devices[0].name", "devices[1]");
    Response pins = send(user, "POST", BLYNK + "/devices/Lamp/pins", "{\"values\": {\"V1\": [1, 2]}}");
    assertThat(fields(pins)).containsExactly("values.V1");
  }

  @Test
  void userBNeverSeesUserAsDevices() {
    UserId alice = RunningServer.newUser();
    UserId bob = RunningServer.newUser();
    String t = token();
    blynk.addDevice(t, "127.0.0.1", 1);
    assertThat(send(alice, "PUT", BLYNK, "{\"devices\": [{\"name\": \"Lab\", \"auth_token\": \"" + t + "\"}]}")
        .status()).isEqualTo(200);

    Response bobView = send(bob, "GET", BLYNK, null);
    assertThat(bobView.data().get("connected").asBoolean()).isFalse();
    assertThat(bobView.body()).doesNotContain("Lab");
    assertThat(send(bob, "POST", BLYNK + "/devices/Lab/pins/V1", "{\"value\": 1}").status()).isEqualTo(404);
    Response keep = send(bob, "PUT", BLYNK, "{\"devices\": [{\"name\": \"Lab\"}]}");
    assertThat(fields(keep)).containsExactly("devices[0].auth_token");
  }

  @Test
  void theOpenApiDocumentDescribesBlynk() throws Exception {
    Response doc = send(null, "GET", "/openapi.json", null);
    JsonNode root = new ObjectMapper().readTree(doc.body());
    JsonNode paths = root.get("paths");
    List<String> refs = new ArrayList<>();
    collectRefs(paths.get(BLYNK), refs);
    collectRefs(paths.get(BLYNK + "/devices/{name}/pins"), refs);
    collectRefs(paths.get(BLYNK + "/devices/{name}/pins/{pin}"), refs);
    collectRefs(root.get("components").get("schemas").get("BlynkIntegration"), refs);
    assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(root.at(ref.substring(1)).isMissingNode())
        .as("%s resolves", ref).isFalse());
    assertThat(paths.has(BLYNK)).isTrue();
    assertThat(paths.get(BLYNK).has("put")).isTrue();
    assertThat(paths.has(BLYNK + "/devices/{name}/pins/{pin}")).isTrue();
    assertThat(paths.has(BLYNK + "/devices/{name}/pins")).isTrue();
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node == null) {
      return;
    }
    if (node.isObject() && node.has("$ref")) {
      out.add(node.get("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, out));
  }
}
