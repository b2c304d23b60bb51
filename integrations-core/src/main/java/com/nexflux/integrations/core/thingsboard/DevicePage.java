package com.nexflux.integrations.core.thingsboard;

import java.util.List;

/**
 * One page of ThingsBoard's {@code PageData}.
 *
 * @param devices the page's devices
 * @param hasNext whether another page follows
 */
public record DevicePage(List<ThingsBoardDevice> devices, boolean hasNext) {
  public DevicePage {
    devices = List.copyOf(devices);
  }
}
