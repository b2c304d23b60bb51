package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.provider.ProviderStatus;
import com.nexflux.integrations.core.provider.StatusSource;
import java.util.Objects;

/** MQTT's line in the overview: the saved settings' status ({@code untested}, {@code connected}, ...). */
public final class MqttStatusSource implements StatusSource {
  private final MqttIntegrationRepository repository;

  public MqttStatusSource(MqttIntegrationRepository repository) {
    this.repository = Objects.requireNonNull(repository, "repository");
  }

  @Override
  public ProviderStatus statusOf(UserId userId) {
    return repository.find(userId)
        .map(i -> new ProviderStatus(true, i.settings().enabled(), i.status().key(), i.connectedAt()))
        .orElse(new ProviderStatus(false, false, MqttStatus.NOT_CONFIGURED.key(), null));
  }
}
