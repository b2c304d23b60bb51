package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.device.DeviceSource;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Blynk's part of the device inventory: the user's devices (id = the device's name), {@code online} or
 * {@code offline} as {@code isHardwareConnected} says, {@code unknown} when Blynk could not tell for that device.
 */
public final class BlynkDeviceSource implements DeviceSource {
  private final BlynkIntegrationService service;

  public BlynkDeviceSource(BlynkIntegrationService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  @Override
  public Provider provider() {
    return Provider.BLYNK;
  }

  @Override
  public List<DeviceSummary> devices(UserId user, boolean refresh) {
    String server = service.serverOf(user);
    List<DeviceSummary> out = new ArrayList<>();
    for (Map.Entry<String, Secret> d : service.tokens(user)) {
      String status = DeviceSummary.UNKNOWN;
      if (d.getValue() != null) {
        try {
          status = service.api().isHardwareConnected(server, d.getValue()).value()
              ? DeviceSummary.ONLINE : DeviceSummary.OFFLINE;
        } catch (IntegrationsException e) {
          status = DeviceSummary.UNKNOWN;
        }
      }
      out.add(new DeviceSummary(Provider.BLYNK, d.getKey(), d.getKey(), null, status, null));
    }
    return out;
  }
}
