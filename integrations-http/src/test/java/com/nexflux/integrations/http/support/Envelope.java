package com.nexflux.integrations.http.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;

/** Assertions on the response envelope. */
public final class Envelope {
  private Envelope() {}

  /** Asserts a success envelope with the given status and returns {@code data}. */
  public static JsonNode data(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertJsonWithRequestId(response);
    JsonNode body = ApiFixture.json(response);
    assertThat(body.fieldNames()).toIterable().containsExactly("success", "data");
    assertThat(body.get("success").asBoolean()).isTrue();
    return body.get("data");
  }

  /** Asserts an error envelope with the given status and code and returns {@code error}. */
  public static JsonNode error(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertJsonWithRequestId(response);
    JsonNode body = ApiFixture.json(response);
    assertThat(body.fieldNames()).toIterable().containsExactly("success", "error");
    assertThat(body.get("success").isBoolean()).isTrue();
    assertThat(body.get("success").asBoolean()).isFalse();
    JsonNode error = body.get("error");
    assertThat(error.fieldNames()).toIterable().containsExactly("code", "message", "details");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").isTextual()).isTrue();
    assertThat(error.get("details").isArray()).isTrue();
    return error;
  }

  public static void assertJsonWithRequestId(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/json"));
    assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(
        id -> assertThat(id).matches("[A-Za-z0-9._-]{1,64}"));
  }
}
