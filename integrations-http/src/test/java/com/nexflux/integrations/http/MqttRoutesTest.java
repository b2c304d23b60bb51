package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.http.support.ApiFixture;
import com.nexflux.integrations.http.support.FakeMqtt;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/users/me/integrations/mqtt[/test]}. */
class MqttRoutesTest {
  private static final String MQTT = "/api/v1/users/me/integrations/mqtt";
  private static final String TEST = MQTT + "/test";
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void get_returnsEveryFieldInOrder_withExplicitNulls_andNoPassword() {
    api.mqtt.view = FakeMqtt.connectedView();
    JsonNode d = data(api.get(MQTT), 200);
    assertThat(d.fieldNames()).toIterable().containsExactly("enabled", "broker_url", "username",
        "use_authentication", "device_id", "topic_prefix", "last_connected_at", "status", "configured",
        "has_password", "default_broker_url", "last_tested_at", "last_error");
    assertThat(d.get("broker_url").asText()).isEqualTo("ws://broker.example.com:9001");
    assertThat(d.get("last_connected_at").asText()).isEqualTo("2026-01-15T10:30:00Z");
    assertThat(d.get("status").asText()).isEqualTo("connected");
    assertThat(d.get("has_password").asBoolean()).isTrue();
    assertThat(d.get("default_broker_url").isNull()).isTrue();
    assertThat(d.get("last_error").isNull()).isTrue();
  }

  @Test
  void get_whenNotConfigured_showsTheDefaultBroker() {
    JsonNode d = data(api.get(MQTT), 200);
    assertThat(d.get("configured").asBoolean()).isFalse();
    assertThat(d.get("status").asText()).isEqualTo("not_configured");
    assertThat(d.get("default_broker_url").asText()).isEqualTo("ws://default.example:9001");
    assertThat(d.get("broker_url").isNull()).isTrue();
  }

  @Test
  void put_passesEveryFieldAndTheContext_andNeverEchoesThePassword() {
    HttpResponse<String> r = api.send(api.authed(MQTT)
        .header("X-Request-Id", "put-1")
        .header("User-Agent", "nexflux-web/" + "x".repeat(600))
        .PUT(HttpRequest.BodyPublishers.ofString("""
            {"enabled":true,"broker_url":"ws://broker.example.com:9001","username":"user123",
             "password":"secret123","use_authentication":true,"device_id":"device-01",
             "topic_prefix":"nexflux/device"}""")));
    JsonNode d = data(r, 200);
    assertThat(r.body()).doesNotContain("secret123").doesNotContain("\"password\"");
    assertThat(d.get("has_password").asBoolean()).isTrue();
    assertThat(d.get("status").asText()).isEqualTo("untested");

    var in = api.mqtt.lastInput;
    assertThat(in.enabled()).isTrue();
    assertThat(in.brokerUrl()).isEqualTo("ws://broker.example.com:9001");
    assertThat(in.username()).isEqualTo("user123");
    assertThat(in.password().reveal()).isEqualTo("secret123");
    assertThat(in.useAuthentication()).isTrue();
    assertThat(in.deviceId()).isEqualTo("device-01");
    assertThat(in.topicPrefix()).isEqualTo("nexflux/device");
    assertThat(api.mqtt.lastContext.requestId()).isEqualTo("put-1");
    assertThat(api.mqtt.lastContext.ip()).isEqualTo("127.0.0.1");
    assertThat(api.mqtt.lastContext.userAgent()).hasSize(512).startsWith("nexflux-web/");
  }

  @Test
  void put_absentFieldsAreNull_soTheStoredPasswordIsKept() {
    data(api.put(MQTT, "{\"broker_url\":\"ws://b:1\",\"password\":null}"), 200);
    assertThat(api.mqtt.lastInput.password()).isNull();
    assertThat(api.mqtt.lastInput.enabled()).isNull();
    assertThat(api.mqtt.lastInput.deviceId()).isNull();
  }

  @Test
  void delete_isIdempotent() {
    JsonNode first = data(api.send(api.authed(MQTT).DELETE()), 200);
    JsonNode second = data(api.send(api.authed(MQTT).DELETE()), 200);
    assertThat(first.toString()).isEqualTo("{\"deleted\":true}");
    assertThat(second).isEqualTo(first);
    assertThat(api.mqtt.deletes).isEqualTo(2);
  }

  @Test
  void test_withoutBody_testsTheSavedSettings() {
    JsonNode d = data(api.send(api.authed(TEST).POST(HttpRequest.BodyPublishers.noBody())), 200);
    assertThat(api.mqtt.lastCall).isEqualTo("testSaved");
    assertThat(d.toString()).isEqualTo(
        "{\"connected\":true,\"latency_ms\":45,\"broker_info\":{\"version\":\"mosquitto/2.0.15\",\"protocol\":\"mqtt/5.0\"}}");
  }

  @Test
  void test_withEmptyObject_testsTheSavedSettings() {
    data(api.post(TEST, " {} "), 200);
    assertThat(api.mqtt.lastCall).isEqualTo("testSaved");
  }

  @Test
  void test_withFields_testsThoseUnsavedSettings() {
    data(api.post(TEST, "{\"broker_url\":\"ws://other:9001\",\"device_id\":\"d\",\"password\":\"pw\"}"), 200);
    assertThat(api.mqtt.lastCall).isEqualTo("testUnsaved");
    assertThat(api.mqtt.lastInput.brokerUrl()).isEqualTo("ws://other:9001");
    assertThat(api.mqtt.lastInput.password().reveal()).isEqualTo("pw");
  }

  @Test
  void test_withUnknownField_is400() {
    JsonNode e = error(api.post(TEST, "{\"broker\":\"ws://other:9001\"}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("broker");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void test_thatCompletesLater_answersWhenTheFutureCompletes() throws Exception {
    CompletableFuture<ConnectionTestResult> pending = new CompletableFuture<>();
    api.mqtt.testResult = () -> pending;
    CompletableFuture<HttpResponse<String>> response =
        api.sendAsync(api.authed(TEST).POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(api.mqtt.testStarted.await(30, TimeUnit.SECONDS)).as("the test reached the use case").isTrue();
    assertThat(response).isNotDone();
    pending.complete(new ConnectionTestResult.Connected(12, new BrokerInfo(null, BrokerInfo.MQTT_3_1_1)));

    JsonNode d = data(response.get(), 200);
    assertThat(d.toString()).isEqualTo(
        "{\"connected\":true,\"latency_ms\":12,\"broker_info\":{\"version\":null,\"protocol\":\"mqtt/3.1.1\"}}");
  }

  @Test
  void test_failedConnection_isA200WithTheError() throws Exception {
    CompletableFuture<ConnectionTestResult> pending = new CompletableFuture<>();
    api.mqtt.testResult = () -> pending;
    CompletableFuture<HttpResponse<String>> response =
        api.sendAsync(api.authed(TEST).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(api.mqtt.testStarted.await(30, TimeUnit.SECONDS)).isTrue();
    pending.complete(new ConnectionTestResult.Failed(ProbeErrorCode.AUTH_FAILED, "Wrong user name or password"));

    JsonNode d = data(response.get(), 200);
    assertThat(d.toString()).isEqualTo("{\"connected\":false,\"latency_ms\":null,\"broker_info\":null,"
        + "\"error\":{\"code\":\"AUTH_FAILED\",\"message\":\"Wrong user name or password\"}}");
  }

  @Test
  void test_futureFailingWithOurException_isMapped() throws Exception {
    CompletableFuture<ConnectionTestResult> pending = new CompletableFuture<>();
    api.mqtt.testResult = () -> pending;
    CompletableFuture<HttpResponse<String>> response =
        api.sendAsync(api.authed(TEST).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(api.mqtt.testStarted.await(30, TimeUnit.SECONDS)).isTrue();
    pending.completeExceptionally(new RateLimitedException("Too many tests", Duration.ofSeconds(30)));

    HttpResponse<String> r = response.get();
    error(r, 429, "RATE_LIMITED");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
  }

  @Test
  void test_futureFailingUnexpectedly_is500WithoutDetails() throws Exception {
    CompletableFuture<ConnectionTestResult> pending = new CompletableFuture<>();
    api.mqtt.testResult = () -> pending;
    CompletableFuture<HttpResponse<String>> response =
        api.sendAsync(api.authed(TEST).header("X-Request-Id", "async-500").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(api.mqtt.testStarted.await(30, TimeUnit.SECONDS)).isTrue();
    pending.completeExceptionally(new IllegalStateException("probe exploded at broker.internal"));

    HttpResponse<String> r = response.get();
    JsonNode e = error(r, 500, "INTERNAL");
    assertThat(e.get("message").asText()).isEqualTo("Internal error; quote request id async-500");
    assertThat(r.body()).doesNotContain("exploded");
  }
}
