package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.http.support.ApiFixture;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Status codes and envelopes for every error kind, and {@code X-Request-Id} on each. */
class ErrorMappingTest {
  private static final String MQTT = "/api/v1/users/me/integrations/mqtt";
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void bodyOf70KibWithContentLength_is413() {
    String big = "{\"device_id\":\"" + "x".repeat(70 * 1024) + "\"}";
    HttpResponse<String> r = api.put(MQTT, big);
    error(r, 413, "PAYLOAD_TOO_LARGE");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void chunkedBodyOf70Kib_is413() {
    byte[] big = ("{\"device_id\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes();
    HttpResponse<String> r = api.send(api.authed(MQTT)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
    error(r, 413, "PAYLOAD_TOO_LARGE");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void bodyJustUnderTheLimit_isRead() {
    String body = "{\"device_id\":\"" + "x".repeat(60 * 1024) + "\"}";
    HttpResponse<String> r = api.put(MQTT, body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(api.mqtt.lastInput.deviceId()).hasSize(60 * 1024);
  }

  @Test
  void malformedJson_is400NamingBody() {
    JsonNode e = error(api.put(MQTT, "{\"enabled\": tru"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void malformedJson_neverEchoesThePassword() {
    HttpResponse<String> r = api.put(MQTT, "{\"password\":\"hunter2-secret\", \"enabled\": }");
    error(r, 400, "VALIDATION_FAILED");
    assertThat(r.body()).doesNotContain("hunter2");
  }

  @Test
  void unknownField_is400NamingIt() {
    JsonNode e = error(api.put(MQTT, "{\"broker_url\":\"ws://b:1\",\"colour\":\"red\"}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details")).hasSize(1);
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("colour");
    assertThat(e.get("details").get(0).get("message").asText()).isEqualTo("is not a known field");
  }

  @Test
  void wrongType_is400NamingTheField() {
    JsonNode e = error(api.put(MQTT, "{\"enabled\":\"yes\",\"password\":\"hunter2-secret\"}"), 400,
        "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("enabled");
    assertThat(e.get("details").get(0).get("message").asText()).isEqualTo("must be a boolean");
    assertThat(e.toString()).doesNotContain("hunter2");
  }

  @Test
  void numberForAString_is400_andTheValueIsNotEchoed() {
    HttpResponse<String> r = api.put(MQTT, "{\"password\":987654321}");
    JsonNode e = error(r, 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("password");
    assertThat(e.get("details").get(0).get("message").asText()).isEqualTo("must be a string");
    assertThat(r.body()).doesNotContain("987654321");
  }

  @Test
  void stringTrueForABoolean_isNotCoerced() {
    JsonNode e = error(api.put(MQTT, "{\"use_authentication\":\"true\"}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("use_authentication");
  }

  @Test
  void emptyBody_is400NamingBody() {
    JsonNode e = error(api.put(MQTT, ""), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void arrayBody_is400NamingBody() {
    JsonNode e = error(api.put(MQTT, "[{\"enabled\":true}]"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void duplicateKey_is400() {
    JsonNode e = error(api.put(MQTT, "{\"enabled\":true,\"enabled\":false}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void coreValidationErrors_listEveryField() {
    api.mqtt.failure = new ValidationException(List.of(
        new FieldError("broker_url", "must be a ws, wss, mqtt or mqtts URL"),
        new FieldError("device_id", "is required")));
    JsonNode e = error(api.put(MQTT, "{}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details")).hasSize(2);
    assertThat(e.get("details").get(1).get("field").asText()).isEqualTo("device_id");
    assertThat(e.get("details").get(1).get("message").asText()).isEqualTo("is required");
  }

  @Test
  void rateLimited_is429WithRetryAfterInWholeSeconds() {
    api.mqtt.failure = new RateLimitedException("Too many connection tests", Duration.ofMillis(1500));
    HttpResponse<String> r = api.post(MQTT + "/test", "");
    error(r, 429, "RATE_LIMITED");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
  }

  @Test
  void unavailable_is503() {
    api.mqtt.failure = new UnavailableException("The database is unavailable", new RuntimeException("pool"));
    JsonNode e = error(api.get(MQTT), 503, "UNAVAILABLE");
    assertThat(e.get("message").asText()).isEqualTo("The database is unavailable");
    assertThat(e.get("details")).isEmpty();
  }

  @Test
  void notConfigured_is503ProviderNotConfigured() {
    api.mqtt.failure = new NotConfiguredException("No default MQTT broker is configured");
    error(api.get(MQTT), 503, "PROVIDER_NOT_CONFIGURED");
  }

  @Test
  void notFound_is404() {
    api.mqtt.failure = new NotFoundException("No MQTT settings are saved");
    JsonNode e = error(api.post(MQTT + "/test", ""), 404, "NOT_FOUND");
    assertThat(e.get("message").asText()).isEqualTo("No MQTT settings are saved");
  }

  @Test
  void unreadableSecret_is500CredentialsUnreadable() {
    api.mqtt.failure = new SecretUnreadableException("tag mismatch", new RuntimeException("aead"));
    JsonNode e = error(api.post(MQTT + "/test", ""), 500, "CREDENTIALS_UNREADABLE");
    assertThat(e.get("message").asText()).isEqualTo("stored credentials could not be read; save the password again");
  }

  @Test
  void unexpectedException_is500WithoutStackTraceAndQuotesTheRequestId() {
    api.mqtt.failure = new IllegalStateException("boom: jdbc:postgresql://db/secret-details");
    HttpResponse<String> r = api.get(MQTT);
    JsonNode e = error(r, 500, "INTERNAL");
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(e.get("message").asText()).isEqualTo("Internal error; quote request id " + id);
    assertThat(r.body()).doesNotContain("boom", "IllegalStateException", "secret-details", "at com.", "Exception");
  }

  @Test
  void unknownRoute_is404InTheEnvelope() {
    error(api.send(api.request("/no/such/thing").GET()), 404, "NOT_FOUND");
  }

  @Test
  void unknownRouteUnderTheUserApi_is404ForAnAuthenticatedCaller() {
    error(api.get("/api/v1/users/me/integrations/nope"), 404, "NOT_FOUND");
  }

  @Test
  void wrongMethod_is405InTheEnvelopeWithAllow() {
    HttpResponse<String> r = api.send(api.authed(MQTT).method("PATCH", HttpRequest.BodyPublishers.noBody()));
    error(r, 405, "METHOD_NOT_ALLOWED");
    assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(
        allow -> assertThat(allow).contains("GET", "PUT", "DELETE"));
  }

  @Test
  void wrongMethodOnAPublicRoute_is405() {
    error(api.send(api.request("/health/live").POST(HttpRequest.BodyPublishers.noBody())), 405,
        "METHOD_NOT_ALLOWED");
  }

  @Test
  void apiAnswers_areNotCacheable() {
    assertThat(api.get(MQTT).headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(api.send(api.request(MQTT).GET()).headers().firstValue("Cache-Control")).hasValue("no-store");
  }
}
