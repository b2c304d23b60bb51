package com.nexflux.integrations.core.thingsboard;

import java.util.Objects;

/**
 * One device of the user's ThingsBoard tenant, from {@code GET /api/tenant/deviceInfos}.
 *
 * @param id the device id (a UUID)
 * @param name its name
 * @param type its type (device profile name), or {@code null}
 * @param active whether ThingsBoard considers it connected
 */
public record ThingsBoardDevice(String id, String name, String type, boolean active) {
  public ThingsBoardDevice {
    Objects.requireNonNull(id, "id");
  }
}
