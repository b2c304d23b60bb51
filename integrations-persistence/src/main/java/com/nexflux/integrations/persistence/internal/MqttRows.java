package com.nexflux.integrations.persistence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.MqttSettings;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.core.mqtt.TestRecord;
import java.time.Instant;
import java.util.Arrays;

/**
 * The JSON layouts of an MQTT row of {@code user_integrations}.
 *
 * <ul>
 *   <li>{@code config}: exactly {@code broker_url, username, password_encrypted, use_authentication, device_id,
 *       topic_prefix} (the spec's example); {@code username} and {@code password_encrypted} are JSON null when
 *       absent. {@code enabled} lives in its own column.</li>
 *   <li>{@code metadata}: {@code version} (the aggregate's save counter), {@code last_test}
 *       ({@code at, success, error_code}, absent when untested) and {@code last_connected_at} (ISO-8601 instant of
 *       the last successful test, absent when none): the spec table has no column for it.</li>
 * </ul>
 */
public final class MqttRows {
  /** The {@code provider} column value of MQTT rows. */
  public static final String PROVIDER = "mqtt";

  private MqttRows() {}

  /** @return the {@code config} object of {@code integration} */
  public static ObjectNode config(MqttIntegration integration) {
    MqttSettings s = integration.settings();
    ObjectNode config = Jsonb.object();
    config.put("broker_url", s.brokerUrl().text());
    config.put("username", s.username());
    config.put("password_encrypted", integration.password().map(EncryptedSecret::ciphertext).orElse(null));
    config.put("use_authentication", s.useAuthentication());
    config.put("device_id", s.deviceId());
    config.put("topic_prefix", s.topicPrefix());
    return config;
  }

  /** @return the {@code metadata} object of {@code integration} */
  public static ObjectNode metadata(MqttIntegration integration) {
    ObjectNode metadata = Jsonb.object();
    metadata.put("version", integration.version());
    integration.lastTest().ifPresent(t -> metadata.set("last_test", test(t)));
    integration.lastConnectedAt().ifPresent(at -> metadata.put("last_connected_at", instant(at)));
    return metadata;
  }

  /** @return the keys a test sets in {@code metadata} (merged with {@code ||}) */
  public static ObjectNode testPatch(TestRecord test) {
    ObjectNode patch = Jsonb.object();
    patch.set("last_test", test(test));
    if (test.success()) {
      patch.put("last_connected_at", instant(test.at()));
    }
    return patch;
  }

  private static ObjectNode test(TestRecord test) {
    ObjectNode node = Jsonb.object();
    node.put("at", instant(test.at()));
    node.put("success", test.success());
    node.put("error_code", test.errorCode() == null ? null : test.errorCode().name());
    return node;
  }

  private static String instant(Instant at) {
    return Timestamps.micros(at).toString();
  }

  /**
   * Rebuilds an integration from its row.
   *
   * @param enabled the {@code enabled} column ({@code null} reads as the column default, {@code true})
   */
  public static MqttIntegration restore(UserId userId, Boolean enabled, String configText, String metadataText,
      Instant connectedAt, Instant updatedAt) {
    try {
      JsonNode config = Jsonb.parse(configText);
      JsonNode metadata = Jsonb.parse(metadataText);
      BrokerUrl url = BrokerUrl.parse("broker_url", Jsonb.text(config, "broker_url")).url();
      if (url == null) {
        throw new IllegalStateException("stored broker_url does not parse");
      }
      boolean useAuthentication = config.path("use_authentication").asBoolean(false);
      MqttSettings settings = new MqttSettings(enabled == null || enabled, url, useAuthentication,
          Jsonb.text(config, "username"), Jsonb.text(config, "device_id"), Jsonb.text(config, "topic_prefix"));
      String ciphertext = Jsonb.text(config, "password_encrypted");
      EncryptedSecret password = ciphertext == null ? null : new EncryptedSecret(ciphertext);
      JsonNode versionNode = metadata.get("version");
      if (versionNode == null || !versionNode.canConvertToLong()) {
        throw new IllegalStateException("metadata has no version");
      }
      TestRecord lastTest = null;
      JsonNode test = metadata.get("last_test");
      if (test != null && test.isObject()) {
        lastTest = new TestRecord(Instant.parse(Jsonb.text(test, "at")), test.path("success").asBoolean(false),
            errorCode(Jsonb.text(test, "error_code")));
      }
      String lastConnected = Jsonb.text(metadata, "last_connected_at");
      return MqttIntegration.restore(userId, settings, password, connectedAt, updatedAt, versionNode.asLong(),
          lastTest, lastConnected == null ? null : Instant.parse(lastConnected));
    } catch (RuntimeException e) {
      throw Db.unreadable("MQTT integration", e);
    }
  }

  private static ProbeErrorCode errorCode(String name) {
    if (name == null) {
      return null;
    }
    return Arrays.stream(ProbeErrorCode.values()).filter(c -> c.name().equals(name)).findFirst()
        .orElse(ProbeErrorCode.UNKNOWN);
  }
}
