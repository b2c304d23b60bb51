package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.http.support.ApiFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Health, readiness, the OpenAPI document and request ids. */
class SystemRoutesTest {
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void live_isUp() {
    assertThat(data(api.send(api.request("/health/live").GET()), 200).toString()).isEqualTo("{\"status\":\"up\"}");
  }

  @Test
  void ready_isUpWhenTheCheckPasses() {
    assertThat(data(api.send(api.request("/health/ready").GET()), 200).get("status").asText()).isEqualTo("up");
  }

  @Test
  void ready_is503WhenTheCheckFails() {
    api.readiness = () -> {
      throw new UnavailableException("The database is unavailable", null);
    };
    JsonNode e = error(api.send(api.request("/health/ready").GET()), 503, "UNAVAILABLE");
    assertThat(e.get("message").asText()).isEqualTo("The database is unavailable");
  }

  @Test
  void ready_is503WhenTheCheckThrowsAnythingElse() {
    api.readiness = () -> {
      throw new IllegalStateException("pool closed");
    };
    HttpResponse<String> r = api.send(api.request("/health/ready").GET());
    error(r, 503, "UNAVAILABLE");
    assertThat(r.body()).doesNotContain("pool closed");
  }

  @Test
  void openApi_isServedAsJson() {
    HttpResponse<String> r = api.send(api.request("/openapi.json").GET());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    assertThat(ApiFixture.json(r).get("openapi").asText()).startsWith("3.");
  }

  @Test
  void wellFormedRequestId_isPropagated() {
    HttpResponse<String> r = api.send(api.authed("/api/v1/users/me/integrations/mqtt")
        .header("X-Request-Id", "client.req-42_A").DELETE());
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue("client.req-42_A");
    assertThat(api.mqtt.lastContext.requestId()).isEqualTo("client.req-42_A");
  }

  @Test
  void requestId_isPropagatedOnErrorsToo() {
    HttpResponse<String> notFound = api.send(api.request("/nope").header("X-Request-Id", "nf-1").GET());
    assertThat(notFound.headers().firstValue("X-Request-Id")).hasValue("nf-1");
    HttpResponse<String> unauthorized = api.send(api.request("/api/v1/users/me/integrations")
        .header("X-Request-Id", "ua-1").GET());
    assertThat(unauthorized.headers().firstValue("X-Request-Id")).hasValue("ua-1");
  }

  @Test
  void malformedRequestIds_areReplacedByAUuid() {
    for (String bad : new String[] {"has space", "x".repeat(65), "semi;colon", "<script>"}) {
      HttpResponse<String> r = api.send(api.request("/health/live").header("X-Request-Id", bad).GET());
      assertThat(r.headers().firstValue("X-Request-Id")).hasValueSatisfying(
          id -> assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    }
  }

  @Test
  void requestId_isGeneratedWhenAbsent_andDiffersPerRequest() {
    String a = api.send(api.request("/health/live").GET()).headers().firstValue("X-Request-Id").orElseThrow();
    String b = api.send(api.request("/health/live").GET()).headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(a).isNotEqualTo(b);
  }
}
