package com.nexflux.integrations.core.arduino;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The user's Arduino Cloud connection as {@code GET …/arduino-cloud} shows it. Never a secret.
 *
 * @param connected whether a usable connection is stored
 * @param status {@code connected}, {@code needs_reauth}, {@code error} or {@code not_configured}
 * @param username the Arduino user name, or {@code null} (the API key's token does not name it)
 * @param organization the organization id the key acts in, or {@code null}
 * @param connectedAt when the user connected, or {@code null}
 * @param devices the devices (empty unless connected)
 * @param things the things (empty unless connected)
 * @param fetchedAt when the lists were fetched from Arduino, or {@code null}
 */
public record ArduinoView(boolean connected, String status, String username, String organization,
    Instant connectedAt, List<ArduinoDevice> devices, List<ArduinoThing> things, Instant fetchedAt) {
  public ArduinoView {
    Objects.requireNonNull(status, "status");
    devices = List.copyOf(devices);
    things = List.copyOf(things);
  }

  /**
   * One device with its thing's properties ({@code GET …/arduino-cloud/devices/{id}}).
   *
   * @param thing the thing attached to it, or {@code null}
   */
  public record Device(ArduinoDevice device, ArduinoThing thing, List<ArduinoProperty> properties,
      Instant fetchedAt) {
    public Device {
      Objects.requireNonNull(device, "device");
      properties = List.copyOf(properties);
    }
  }
}
