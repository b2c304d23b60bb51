package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.provider.ProviderStatus;
import com.nexflux.integrations.core.provider.StatusSource;
import java.util.Objects;

/** The overview line of a provider connected through the OAuth engine: the stored connection's status. */
public final class OAuthStatusSource implements StatusSource {
  private final OAuthConnectionRepository connections;
  private final Provider provider;

  public OAuthStatusSource(OAuthConnectionRepository connections, Provider provider) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  @Override
  public ProviderStatus statusOf(UserId userId) {
    return connections.find(userId, provider)
        .map(c -> new ProviderStatus(true, true, c.status().key(), c.connectedAt()))
        .orElse(ProviderStatus.NOT_CONFIGURED);
  }
}
