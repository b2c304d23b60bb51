package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.provider.ProviderStatus;
import com.nexflux.integrations.core.provider.StatusSource;
import java.util.Map;
import java.util.Objects;

/**
 * Blynk's overview line: the stored row's status ({@code connected}, {@code needs_reauth} after Blynk refused a
 * stored token or the token lifecycle found the platform client refused, {@code error} after Blynk could not be asked), or {@code not_configured}. Never calls Blynk.
 */
public final class BlynkStatusSource implements StatusSource {
  private final OAuthConnectionRepository connections;

  public BlynkStatusSource(OAuthConnectionRepository connections) {
    this.connections = Objects.requireNonNull(connections, "connections");
  }

  @Override
  public ProviderStatus statusOf(UserId userId) {
    return connections.find(userId, Provider.BLYNK)
        .map(c -> new ProviderStatus(true, true, c.status() == ConnectionStatus.NEEDS_REAUTH
            ? BlynkConfig.NEEDS_REAUTH : status(c.config()), c.connectedAt()))
        .orElse(ProviderStatus.NOT_CONFIGURED);
  }

  private static String status(Map<String, Object> config) {
    return BlynkConfig.decode(config, BlynkServers.GLOBAL).status();
  }
}
