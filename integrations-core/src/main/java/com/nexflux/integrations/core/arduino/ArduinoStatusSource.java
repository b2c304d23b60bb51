package com.nexflux.integrations.core.arduino;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.provider.ProviderStatus;
import com.nexflux.integrations.core.provider.StatusSource;
import java.util.Objects;

/**
 * The overview line of Arduino Cloud, read from the user's row: {@code needs_reauth} when the key was refused,
 * {@code error} when the last call to Arduino failed ({@value ArduinoIntegrationService#LAST_ERROR_KEY} in the
 * row's config), {@code connected} otherwise, {@code not_configured} without a row.
 */
public final class ArduinoStatusSource implements StatusSource {
  private final OAuthConnectionRepository connections;

  public ArduinoStatusSource(OAuthConnectionRepository connections) {
    this.connections = Objects.requireNonNull(connections, "connections");
  }

  @Override
  public ProviderStatus statusOf(UserId userId) {
    return connections.find(userId, Provider.ARDUINO_CLOUD)
        .map(c -> new ProviderStatus(true, true, ArduinoIntegrationService.statusOf(c), c.connectedAt()))
        .orElse(ProviderStatus.NOT_CONFIGURED);
  }

  static boolean needsReauth(com.nexflux.integrations.core.oauth.OAuthConnection c) {
    return c.status() == ConnectionStatus.NEEDS_REAUTH;
  }
}
