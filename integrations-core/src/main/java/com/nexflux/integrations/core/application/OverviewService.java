package com.nexflux.integrations.core.application;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.MqttStatus;
import com.nexflux.integrations.core.port.in.IntegrationSummary;
import com.nexflux.integrations.core.port.in.IntegrationsOverview;
import com.nexflux.integrations.core.port.out.MqttIntegrationRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Lists every provider with the user's status; providers not built yet say {@code not_available}. */
public final class OverviewService implements IntegrationsOverview {
  private final MqttIntegrationRepository mqtt;

  public OverviewService(MqttIntegrationRepository mqtt) {
    this.mqtt = mqtt;
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
      } else {
        out.add(new IntegrationSummary(p, p.available(), false, false, "not_available", null));
      }
    }
    return out;
  }
}
