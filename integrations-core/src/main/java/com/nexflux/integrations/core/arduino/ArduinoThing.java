package com.nexflux.integrations.core.arduino;

import java.util.Objects;

/**
 * One Arduino Cloud thing.
 *
 * @param id the thing's UUID
 * @param name its name
 * @param deviceId the device it runs on, or {@code null}
 */
public record ArduinoThing(String id, String name, String deviceId) {
  public ArduinoThing {
    Objects.requireNonNull(id, "id");
  }
}
