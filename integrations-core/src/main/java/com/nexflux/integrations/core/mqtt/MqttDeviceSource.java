package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.device.DeviceSource;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.util.List;
import java.util.Objects;

/**
 * MQTT's part of the device inventory: the device id of the user's saved broker settings (one device, type
 * {@code mqtt}). A broker cannot say whether that client is online now, so the status is {@code unknown}; the last
 * activity is the last successful connection test. No broker is contacted; {@code refresh} changes nothing.
 */
public final class MqttDeviceSource implements DeviceSource {
  private final MqttIntegrationRepository repository;

  public MqttDeviceSource(MqttIntegrationRepository repository) {
    this.repository = Objects.requireNonNull(repository, "repository");
  }

  @Override
  public Provider provider() {
    return Provider.MQTT;
  }

  @Override
  public List<DeviceSummary> devices(UserId user, boolean refresh) {
    return repository.find(user)
        .filter(i -> i.settings().enabled())
        .map(i -> List.of(new DeviceSummary(Provider.MQTT, i.settings().deviceId(), i.settings().deviceId(), "mqtt",
            DeviceSummary.UNKNOWN, i.lastConnectedAt().orElse(null))))
        .orElse(List.of());
  }
}
