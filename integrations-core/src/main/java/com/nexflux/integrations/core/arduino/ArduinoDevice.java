package com.nexflux.integrations.core.arduino;

import java.time.Instant;
import java.util.Objects;

/**
 * One Arduino Cloud device.
 *
 * @param id the device's UUID
 * @param name its name
 * @param type its board type (e.g. {@code esp32}), or {@code null}
 * @param status {@code online}, {@code offline} or {@code unknown} (from Arduino's {@code device_status})
 * @param lastActivity {@code last_activity_at}, or {@code null}
 * @param thingId the id of the thing it is attached to, or {@code null}
 */
public record ArduinoDevice(String id, String name, String type, String status, Instant lastActivity,
    String thingId) {
  public ArduinoDevice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
  }
}
