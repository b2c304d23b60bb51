package com.nexflux.integrations.core.mqtt;

import java.time.Instant;

/**
 * What {@code GET /api/v1/users/me/integrations/mqtt} shows: the spec's fields plus {@code configured},
 * {@code has_password} and, when nothing is saved, the default broker. Never a password.
 *
 * @param configured whether the user saved settings
 * @param enabled whether the user's broker is in use
 * @param brokerUrl the saved broker URL, {@code null} when not configured
 * @param username the saved user name, or {@code null}
 * @param useAuthentication whether credentials are sent
 * @param deviceId the saved device id, or {@code null}
 * @param topicPrefix the saved topic prefix, or {@code null}
 * @param lastConnectedAt when a test of the saved settings last succeeded, or {@code null}
 * @param status one of {@link MqttStatus}
 * @param hasPassword whether a password is stored
 * @param defaultBrokerUrl the deployment's default broker, shown when not configured
 * @param lastTestedAt when the saved settings were last tested, or {@code null}
 * @param lastError the code of the last failed test, or {@code null}
 */
public record MqttView(
    boolean configured,
    boolean enabled,
    String brokerUrl,
    String username,
    boolean useAuthentication,
    String deviceId,
    String topicPrefix,
    Instant lastConnectedAt,
    MqttStatus status,
    boolean hasPassword,
    String defaultBrokerUrl,
    Instant lastTestedAt,
    ProbeErrorCode lastError) {}
