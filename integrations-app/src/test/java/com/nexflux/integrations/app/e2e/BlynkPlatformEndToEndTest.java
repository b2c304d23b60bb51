package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.app.e2e.RunningServer.Response;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.providers.testing.FakeBlynk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blynk's organization-level platform API through the running standalone server: real PostgreSQL, the shared token
 * lifecycle, and the fake Blynk (platform endpoints included) as the deployment's Blynk server on 127.0.0.1. Client
 * secrets, access tokens and the device tokens the platform API lists are canaries that must never come back in an
 * answer or land in a row or the audit log.
 */
class BlynkPlatformEndToEndTest {
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
      List<String> secrets = new ArrayList<>(List.of("CANARY"));
      secrets.addAll(blynk.issuedTokens());
      for (String table : List.of("user_integrations", "integration_audit_log")) {
        String dump = Sql.rows(server.database.dataSource(), "SELECT * FROM " + table).toString();
        for (String secret : secrets) {
          assertThat(dump).as("%s holds no secret in clear", table).doesNotContain(secret);
        }
      }
      for (Response r : answers) {
        for (String secret : secrets) {
          assertThat(r.body()).doesNotContain(secret);
        }
      }
    } finally {
      server.close();
      blynk.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
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

  private static String client(String id, String secret) {
    return "{\"client_id\": \"" + id + "\", \"client_secret\": \"" + secret + "\", \"devices\": []}";
  }

  @Test
  void aRefusedOrUnreachableClientStoresNothing_andEveryFailingFieldIsNamed() {
    UserId user = RunningServer.newUser();
    String id = unique("oa2-client-id_");
    blynk.platformClient(id, "CANARY-right-" + id, unique("org-"));

    Response wrong = send(user, "PUT", BLYNK, client(id, "CANARY-wrong"));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(fields(wrong)).containsExactly("client_id", "client_secret");
    assertThat(send(user, "GET", BLYNK, null).data().get("status").asText()).isEqualTo("not_configured");

    blynk.tokenEndpointDown(true);
    try {
      Response down = send(user, "PUT", BLYNK, client(id, "CANARY-right-" + id));
      assertThat(down.status()).isEqualTo(503);
    } finally {
      blynk.tokenEndpointDown(false);
    }
    assertThat(send(user, "GET", BLYNK, null).data().get("connected").asBoolean()).isFalse();

    Response bad = send(user, "PUT", BLYNK, "{\"client_secret\": \"CANARY-x\", \"devices\": []}");
    assertThat(fields(bad)).containsExactly("devices", "client_id");
    Response noSecret = send(user, "PUT", BLYNK, "{\"client_id\": \"" + id + "\", \"devices\": []}");
    assertThat(fields(noSecret)).containsExactly("client_secret");
    Response types = send(user, "PUT", BLYNK, "{\"client_id\": 5, \"client_secret\": true, \"devices\": []}");
    assertThat(fields(types)).containsExactly("client_id", "client_secret");
    assertThat(send(user, "GET", BLYNK, null).data().get("connected").asBoolean()).isFalse();
  }

  @Test
  void theOrganizationsDevicesAreListed_everyPage_withOnlineState_andInTheInventory() {
    UserId user = RunningServer.newUser();
    String id = unique("oa2-client-id_");
    String org = unique("org-");
    blynk.platformClient(id, "CANARY-secret-" + id, org);
    for (int i = 0; i < 105; i++) { // more than one page of 100
      blynk.orgDevice(org, "Sensor " + i, "CANARY-devtok-" + i + "-" + org, i % 3 == 0);
    }
    int tokenRequests = blynk.tokenRequests().size();

    Response saved = send(user, "PUT", BLYNK, client(id, "CANARY-secret-" + id));
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    assertThat(saved.data().get("platform").get("status").asText()).isEqualTo("connected");
    assertThat(saved.data().get("platform").get("devices").isNull()).isTrue();
    assertThat(blynk.tokenRequests()).hasSize(tokenRequests + 1);
    FakeBlynk.TokenRequest sent = blynk.tokenRequests().get(tokenRequests);
    assertThat(sent.rawQuery()).isEqualTo("grant_type=client_credentials");
    assertThat(sent.authentication()).isEqualTo("basic");

    JsonNode view = send(user, "GET", BLYNK, null).data();
    assertThat(view.get("status").asText()).isEqualTo("connected");
    JsonNode platform = view.get("platform");
    assertThat(platform.get("total").asInt()).isEqualTo(105);
    assertThat(platform.get("truncated").asBoolean()).isFalse();
    assertThat(platform.get("devices")).hasSize(105);
    JsonNode first = platform.get("devices").get(0);
    assertThat(first.get("name").asText()).isEqualTo("Sensor 0");
    assertThat(first.get("online").asBoolean()).isTrue();
    assertThat(platform.get("devices").get(1).get("online").asBoolean()).isFalse();
    assertThat(first.has("token")).isFalse();
    assertThat(blynk.tokenRequests()).as("the stored token is used while fresh").hasSize(tokenRequests + 1);

    JsonNode inventory = send(user, "GET", "/api/v1/users/me/devices?refresh=true", null).data();
    List<String> ids = new ArrayList<>();
    inventory.get("devices").forEach(d -> {
      if (d.get("provider").asText().equals("blynk")) {
        ids.add(d.get("id").asText());
      }
    });
    assertThat(ids).hasSize(105).allSatisfy(i -> assertThat(i).startsWith("org:"));

    // omitting the client keeps it; "client_id": null removes it
    Response kept = send(user, "PUT", BLYNK, "{\"devices\": []}");
    assertThat(kept.status()).as(kept.body()).isEqualTo(200);
    assertThat(kept.data().get("platform").isNull()).isFalse();
    Response removed = send(user, "PUT", BLYNK, "{\"client_id\": null, \"devices\": []}");
    assertThat(removed.status()).isEqualTo(400);
    assertThat(fields(removed)).containsExactly("devices");
    String lamp = unique("CANARYlamp");
    blynk.addDevice(lamp, "127.0.0.1", 1);
    Response onlyDevices = send(user, "PUT", BLYNK, "{\"client_id\": null, \"devices\": [{\"name\": \"Lamp\", "
        + "\"auth_token\": \"" + lamp + "\"}]}");
    assertThat(onlyDevices.status()).as(onlyDevices.body()).isEqualTo(200);
    assertThat(onlyDevices.data().get("platform").isNull()).isTrue();
    assertThat(Sql.rows(server.database.dataSource(), "SELECT config::text AS c FROM user_integrations WHERE "
        + "provider = 'blynk' AND user_id = '" + user.value() + "'").toString())
        .doesNotContain("client_secret_encrypted").doesNotContain("token_endpoint");
  }

  @Test
  void anExpiringTokenIsRenewedOnce_aRevokedClientMeansNeedsReauth_a429IsShown() {
    UserId user = RunningServer.newUser();
    String id = unique("oa2-client-id_");
    String org = unique("org-");
    blynk.platformClient(id, "CANARY-secret-" + id, org);
    blynk.orgDevice(org, "Pump", "CANARY-devtok-" + org, true);
    blynk.tokenLifetime(Duration.ofSeconds(30)); // inside the engine's 60 s skew: due for renewal at once
    try {
      assertThat(send(user, "PUT", BLYNK, client(id, "CANARY-secret-" + id)).status()).isEqualTo(200);
      int tokens = blynk.tokenRequests().size();
      blynk.expireAllTokens();
      JsonNode renewed = send(user, "GET", BLYNK, null).data();
      assertThat(renewed.get("platform").get("status").asText()).isEqualTo("connected");
      assertThat(renewed.get("platform").get("devices")).hasSize(1);
      assertThat(blynk.tokenRequests()).as("renewed once").hasSize(tokens + 1);

      blynk.answer429(1);
      JsonNode limited = send(user, "GET", BLYNK, null).data();
      assertThat(limited.get("platform").get("error").asText()).isEqualTo("rate_limited");
      assertThat(limited.get("status").asText()).isEqualTo("error");

      blynk.revokeClient(id);
      Response revoked = send(user, "GET", BLYNK, null);
      assertThat(revoked.status()).isEqualTo(200);
      assertThat(revoked.data().get("status").asText()).isEqualTo("needs_reauth");
      assertThat(revoked.data().get("platform").get("status").asText()).isEqualTo("needs_reauth");
      assertThat(revoked.data().get("platform").get("devices")).isEmpty();
      JsonNode entry = null;
      for (JsonNode e : send(user, "GET", "/api/v1/users/me/integrations", null).data().get("integrations")) {
        if (e.get("provider").asText().equals("blynk")) {
          entry = e;
        }
      }
      assertThat(entry.get("status").asText()).isEqualTo("needs_reauth");
      List<String> actions = new ArrayList<>();
      send(user, "GET", "/api/v1/users/me/integrations/audit", null).data().get("items")
          .forEach(i -> actions.add(i.get("action").asText()));
      assertThat(actions).contains("integration.connect", "integration.reauth_required");

      // entered again: connected
      blynk.platformClient(id, "CANARY-secret2-" + id, org);
      Response again = send(user, "PUT", BLYNK, client(id, "CANARY-secret2-" + id));
      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(send(user, "GET", BLYNK, null).data().get("status").asText()).isEqualTo("connected");
    } finally {
      blynk.tokenLifetime(Duration.ofSeconds(300));
    }
  }

  @Test
  void userBNeverSeesUserAsOrganizationDevices() {
    UserId alice = RunningServer.newUser();
    UserId bob = RunningServer.newUser();
    String aliceId = unique("oa2-client-id_");
    String bobId = unique("oa2-client-id_");
    String aliceOrg = unique("org-");
    blynk.platformClient(aliceId, "CANARY-a-" + aliceId, aliceOrg);
    blynk.platformClient(bobId, "CANARY-b-" + bobId, unique("org-"));
    blynk.orgDevice(aliceOrg, "Alice greenhouse", "CANARY-devtok-" + aliceOrg, true);
    assertThat(send(alice, "PUT", BLYNK, client(aliceId, "CANARY-a-" + aliceId)).status()).isEqualTo(200);

    Response bobBefore = send(bob, "GET", BLYNK, null);
    assertThat(bobBefore.body()).doesNotContain("Alice greenhouse");
    Response bobKeeps = send(bob, "PUT", BLYNK, "{\"client_id\": \"" + aliceId + "\", \"devices\": []}");
    assertThat(fields(bobKeeps)).as("alice's stored secret is not bob's").containsExactly("client_secret");
    assertThat(send(bob, "PUT", BLYNK, client(bobId, "CANARY-b-" + bobId)).status()).isEqualTo(200);
    Response bobView = send(bob, "GET", BLYNK, null);
    assertThat(bobView.data().get("platform").get("devices")).isEmpty();
    assertThat(bobView.body()).doesNotContain("Alice greenhouse");
    assertThat(send(bob, "GET", "/api/v1/users/me/devices?refresh=true", null).body())
        .doesNotContain("Alice greenhouse");
    assertThat(send(alice, "GET", BLYNK, null).body()).contains("Alice greenhouse");
  }
}
