package com.nexflux.integrations.http.arduino;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nexflux.integrations.core.arduino.ArduinoSettings;
import com.nexflux.integrations.core.domain.Secret;

/**
 * The body of {@code PUT …/arduino-cloud}. Every field may be missing; {@link #toString()} never shows the secret.
 */
public record ArduinoSettingsRequest(
    @JsonProperty("client_id") String clientId,
    @JsonProperty("client_secret") String clientSecret,
    @JsonProperty("organization_id") String organizationId) {

  /** @return the core's input ({@code null} secret keeps the stored one while the client id is unchanged) */
  public ArduinoSettings.Input toInput() {
    return new ArduinoSettings.Input(clientId, clientSecret == null ? null : Secret.of(clientSecret), organizationId);
  }

  @Override
  public String toString() {
    return "ArduinoSettingsRequest[clientId=" + clientId + ", clientSecret="
        + (clientSecret == null ? "null" : "[redacted]") + ", organizationId=" + organizationId + "]";
  }
}
