package com.nexflux.integrations.http.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.MqttView;
import java.time.Instant;

/** The {@code data} shapes of the MQTT answers; names spelled out with {@link JsonProperty}. */
public final class MqttResponses {
  private MqttResponses() {}

  /** {@code GET/PUT …/mqtt}. Never a password. */
  @JsonPropertyOrder({"enabled", "broker_url", "username", "use_authentication", "device_id", "topic_prefix",
      "last_connected_at", "status", "configured", "has_password", "default_broker_url", "last_tested_at",
      "last_error"})
  public record Mqtt(
      @JsonProperty("enabled") boolean enabled,
      @JsonProperty("broker_url") String brokerUrl,
      @JsonProperty("username") String username,
      @JsonProperty("use_authentication") boolean useAuthentication,
      @JsonProperty("device_id") String deviceId,
      @JsonProperty("topic_prefix") String topicPrefix,
      @JsonProperty("last_connected_at") Instant lastConnectedAt,
      @JsonProperty("status") String status,
      @JsonProperty("configured") boolean configured,
      @JsonProperty("has_password") boolean hasPassword,
      @JsonProperty("default_broker_url") String defaultBrokerUrl,
      @JsonProperty("last_tested_at") Instant lastTestedAt,
      @JsonProperty("last_error") String lastError) {

    public static Mqtt of(MqttView v) {
      return new Mqtt(v.enabled(), v.brokerUrl(), v.username(), v.useAuthentication(), v.deviceId(),
          v.topicPrefix(), v.lastConnectedAt(), v.status() == null ? null : v.status().key(), v.configured(),
          v.hasPassword(), v.defaultBrokerUrl(), v.lastTestedAt(),
          v.lastError() == null ? null : v.lastError().name());
    }
  }

  /** {@code POST …/mqtt/test}. {@code error} is left out when the test succeeded. */
  @JsonPropertyOrder({"connected", "latency_ms", "broker_info", "error"})
  public record TestResult(
      @JsonProperty("connected") boolean connected,
      @JsonProperty("latency_ms") Long latencyMs,
      @JsonProperty("broker_info") Broker brokerInfo,
      @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_NULL) TestError error) {

    public static TestResult of(ConnectionTestResult result) {
      if (result instanceof ConnectionTestResult.Connected c) {
        BrokerInfo info = c.brokerInfo();
        return new TestResult(true, c.latencyMs(), new Broker(info.version(), info.protocol()), null);
      }
      ConnectionTestResult.Failed f = (ConnectionTestResult.Failed) result;
      return new TestResult(false, null, null, new TestError(f.code().name(), f.message()));
    }
  }

  /** What the broker told about itself. */
  @JsonPropertyOrder({"version", "protocol"})
  public record Broker(@JsonProperty("version") String version, @JsonProperty("protocol") String protocol) {}

  /** Why a connection test failed. */
  @JsonPropertyOrder({"code", "message"})
  public record TestError(@JsonProperty("code") String code, @JsonProperty("message") String message) {}
}
