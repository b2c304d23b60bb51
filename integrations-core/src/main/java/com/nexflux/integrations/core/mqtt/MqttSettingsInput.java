package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.Secret;

/**
 * The MQTT form as submitted: every field may be missing ({@code null}). {@link MqttSettings#validate}
 * turns it into settings or a list of field errors.
 *
 * @param enabled default {@code true}
 * @param brokerUrl required
 * @param username required when {@code useAuthentication} is true
 * @param password {@code null} keeps the stored password, for the same broker scheme, host and port only
 * @param useAuthentication default {@code false}
 * @param deviceId required
 * @param topicPrefix default {@value MqttSettings#DEFAULT_TOPIC_PREFIX}
 */
public record MqttSettingsInput(
    Boolean enabled,
    String brokerUrl,
    String username,
    Secret password,
    Boolean useAuthentication,
    String deviceId,
    String topicPrefix) {}
