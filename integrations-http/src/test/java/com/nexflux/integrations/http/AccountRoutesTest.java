package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.http.support.ApiFixture;
import com.nexflux.integrations.http.support.FakeAuditTrail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/users/me/integrations} and {@code …/audit}. */
class AccountRoutesTest {
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void overview_listsProvidersByKey_withExplicitNulls() {
    JsonNode d = data(api.get("/api/v1/users/me/integrations"), 200);
    JsonNode items = d.get("integrations");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).fieldNames()).toIterable()
        .containsExactly("provider", "available", "configured", "enabled", "status", "connected_at", "slug", "name",
            "connect_by", "capabilities");
    assertThat(items.get(1).get("slug").asText()).isEqualTo("arduino-cloud");
    assertThat(items.get(1).get("name").asText()).isEqualTo("Arduino Cloud");
    assertThat(items.get(1).get("connect_by").toString()).isEqualTo("[\"client_credentials\"]");
    assertThat(items.get(1).get("capabilities").toString()).isEqualTo("[\"link\",\"devices\"]");
    assertThat(items.get(0).get("provider").asText()).isEqualTo("mqtt");
    assertThat(items.get(0).get("connected_at").asText()).isEqualTo("2026-01-15T10:30:00Z");
    assertThat(items.get(1).get("provider").asText()).isEqualTo("arduino_cloud");
    assertThat(items.get(1).get("available").asBoolean()).isFalse();
    assertThat(items.get(1).get("status").asText()).isEqualTo("not_available");
    assertThat(items.get(1).get("connected_at").isNull()).isTrue();
    assertThat(api.overview.lastUser).isEqualTo(api.user);
  }

  @Test
  void audit_defaultsToFiftyAndTheNewestPage() {
    JsonNode d = data(api.get("/api/v1/users/me/integrations/audit"), 200);
    assertThat(api.audit.lastLimit).isEqualTo(50);
    assertThat(api.audit.lastCursor).isNull();
    assertThat(d.fieldNames()).toIterable().containsExactly("items", "next_cursor");
    assertThat(d.get("next_cursor").asText()).isEqualTo("next-page");
    JsonNode item = d.get("items").get(0);
    assertThat(item.fieldNames()).toIterable().containsExactly("id", "provider", "action", "outcome", "reason",
        "request_id", "ip", "user_agent", "created_at", "details");
    assertThat(item.get("id").asText()).isEqualTo(FakeAuditTrail.EVENT_ID.toString());
    assertThat(item.get("provider").asText()).isEqualTo("mqtt");
    assertThat(item.get("action").asText()).isEqualTo("integration.connect");
    assertThat(item.get("outcome").asText()).isEqualTo("success");
    assertThat(item.get("reason").isNull()).isTrue();
    assertThat(item.get("request_id").asText()).isEqualTo("req-1");
    assertThat(item.get("created_at").asText()).isEqualTo("2026-01-15T10:30:00Z");
    assertThat(item.get("details").get("broker_host").asText()).isEqualTo("broker.example.com");
  }

  @Test
  void audit_passesLimitAndCursor() {
    data(api.get("/api/v1/users/me/integrations/audit?limit=10&cursor=abc"), 200);
    assertThat(api.audit.lastLimit).isEqualTo(10);
    assertThat(api.audit.lastCursor).isEqualTo("abc");
  }

  @Test
  void audit_nonIntegerLimit_is400NamingLimit() {
    JsonNode e = error(api.get("/api/v1/users/me/integrations/audit?limit=ten"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("limit");
    assertThat(api.audit.lastLimit).isNull();
  }
}
