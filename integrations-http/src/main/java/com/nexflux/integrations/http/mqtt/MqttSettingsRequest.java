package com.nexflux.integrations.http.mqtt;


import com.fasterxml.jackson.annotation.JsonProperty;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.mqtt.MqttSettingsInput;

/**
 * The body of {@code PUT …/mqtt} and of {@code POST …/mqtt/test} with settings. Every field may be missing.
 * {@link #toString()} never shows the password.
 */
public record MqttSettingsRequest(
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("broker_url") String brokerUrl,
    @JsonProperty("username") String username,
    @JsonProperty("password") String password,
    @JsonProperty("use_authentication") Boolean useAuthentication,
    @JsonProperty("device_id") String deviceId,
    @JsonProperty("topic_prefix") String topicPrefix) {

  /** @return the core's input, the password wrapped as a {@link Secret} ({@code null} keeps the stored one) */
  public MqttSettingsInput toInput() {
    return new MqttSettingsInput(enabled, brokerUrl, username, password == null ? null : Secret.of(password),
        useAuthentication, deviceId, topicPrefix);
  }

  @Override
  public String toString() {
    return "MqttSettingsRequest[enabled=" + enabled + ", brokerUrl=" + brokerUrl + ", username=" + username
        + ", password=" + (password == null ? "null" : "[redacted]") + ", useAuthentication=" + useAuthentication
        + ", deviceId=" + deviceId + ", topicPrefix=" + topicPrefix + "]";
  }
}
