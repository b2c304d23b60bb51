package com.nexflux.integrations.http.support;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.provider.IntegrationSummary;
import com.nexflux.integrations.core.provider.IntegrationsOverview;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;

/** A fixed overview. */
public final class FakeOverview implements IntegrationsOverview {
  public static final ProviderDescriptor MQTT = new ProviderDescriptor(Provider.MQTT, "MQTT",
      List.of(ConnectionMethod.SETTINGS_FORM), Set.of(Capability.DEVICES));
  public static final ProviderDescriptor ARDUINO = new ProviderDescriptor(Provider.ARDUINO_CLOUD, "Arduino Cloud",
      List.of(ConnectionMethod.CLIENT_CREDENTIALS), Set.of(Capability.DEVICES, Capability.LINK));
  public volatile UserId lastUser;

  @Override
  public List<IntegrationSummary> list(UserId userId) {
    lastUser = userId;
    return List.of(
        new IntegrationSummary(MQTT, true, true, true, "connected", Instant.parse("2026-01-15T10:30:00Z")),
        new IntegrationSummary(ARDUINO, false, false, false, "not_available", null));
  }
}
