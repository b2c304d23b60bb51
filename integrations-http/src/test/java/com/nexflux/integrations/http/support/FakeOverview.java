package com.nexflux.integrations.http.support;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.provider.IntegrationSummary;
import com.nexflux.integrations.core.provider.IntegrationsOverview;
import java.time.Instant;
import java.util.List;

/** A fixed overview. */
public final class FakeOverview implements IntegrationsOverview {
  public volatile UserId lastUser;

  @Override
  public List<IntegrationSummary> list(UserId userId) {
    lastUser = userId;
    return List.of(
        new IntegrationSummary(Provider.MQTT, true, true, true, "connected", Instant.parse("2026-01-15T10:30:00Z")),
        new IntegrationSummary(Provider.ARDUINO_CLOUD, false, false, false, "not_available", null));
  }
}
