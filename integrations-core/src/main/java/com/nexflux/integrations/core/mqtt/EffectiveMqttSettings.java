package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.Secret;
import java.util.Optional;

/**
 * The broker, credentials and topics another NexFlux service should use for a user.
 *
 * @param brokerUrl the user's broker, or the deployment's default one
 * @param userOwned {@code true} when these are the user's own enabled settings
 * @param username the user name to send, or {@code null}
 * @param password the password to send, or {@code null}
 * @param deviceId the user's device id, or {@code null} on the default broker
 * @param topicPrefix the topic prefix
 */
public record EffectiveMqttSettings(
    BrokerUrl brokerUrl,
    boolean userOwned,
    String username,
    Secret password,
    String deviceId,
    String topicPrefix) {

  /** @return the password, if any */
  public Optional<Secret> passwordValue() {
    return Optional.ofNullable(password);
  }
}
