package com.nexflux.integrations.core.provider;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.MqttStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.mqtt.MqttIntegrationRepository;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Lists every provider with the user's status. A provider is {@code available} when this release implements it
 * and this deployment has its credentials; the others say {@code not_available}.
 */
public final class OverviewService implements IntegrationsOverview {
  private final MqttIntegrationRepository mqtt;
  private final OAuthConnectionRepository oauth;
  private final Set<Provider> oauthProviders;

  /** An overview with MQTT only (no OAuth provider configured). */
  public OverviewService(MqttIntegrationRepository mqtt) {
    this(mqtt, null, Set.of());
  }

  /**
   * @param oauth the OAuth connections, or {@code null} when no OAuth provider is configured
   * @param oauthProviders the OAuth providers this deployment has credentials for
   */
  public OverviewService(MqttIntegrationRepository mqtt, OAuthConnectionRepository oauth,
      Set<Provider> oauthProviders) {
    this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
    this.oauth = oauth;
    this.oauthProviders = oauthProviders.isEmpty() ? Set.of() : EnumSet.copyOf(oauthProviders);
    if (oauth == null && !this.oauthProviders.isEmpty()) {
      throw new IllegalArgumentException("OAuth providers need an OAuth connection repository");
    }
  }

  @Override
  public List<IntegrationSummary> list(UserId userId) {
    List<IntegrationSummary> out = new ArrayList<>();
    for (Provider p : Provider.values()) {
      if (p == Provider.MQTT) {
        Optional<MqttIntegration> m = mqtt.find(userId);
        out.add(m.map(i -> new IntegrationSummary(p, true, true, i.settings().enabled(), i.status().key(),
                i.connectedAt()))
            .orElseGet(() -> new IntegrationSummary(p, true, false, false, MqttStatus.NOT_CONFIGURED.key(), null)));
      } else if (p.available() && oauthProviders.contains(p)) {
        Optional<OAuthConnection> c = oauth.find(userId, p);
        out.add(c.map(conn -> new IntegrationSummary(p, true, true, true, conn.status().key(), conn.connectedAt()))
            .orElseGet(() -> new IntegrationSummary(p, true, false, false, "not_configured", null)));
      } else {
        out.add(new IntegrationSummary(p, false, false, false, "not_available", null));
      }
    }
    return out;
  }
}
