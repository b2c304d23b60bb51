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
 * {@code offline} as {@code isHardwareConnected} says, {@code unknown} when Blynk could not tell for that device;
 * then, with a platform client, the organization's devices (id {@code org:<Blynk id>}, status from the platform
 * API's {@code online}; none listed when Blynk could not be asked). A device known both ways appears twice (the
 * platform API's device token, the only common key, is never read).
 */
public final class BlynkDeviceSource implements DeviceSource {
  /** The id prefix of an organization device (platform API): {@code org:<Blynk device id>}. */
  public static final String ORG_PREFIX = "org:";
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
    service.platformDevices(user).ifPresent(platform -> {
      if (platform.devices() == null) {
        return;
      }
      for (BlynkView.OrgDevice d : platform.devices()) {
        String status = d.online() == null ? DeviceSummary.UNKNOWN
            : d.online() ? DeviceSummary.ONLINE : DeviceSummary.OFFLINE;
        out.add(new DeviceSummary(Provider.BLYNK, ORG_PREFIX + d.id(), d.name(), null, status, null));
      }
    });
    return out;
  }
}
