package com.nexflux.integrations.core.arduino;

import java.util.List;

/**
 * The deployment's own Arduino Cloud devices (NexFlux lab devices), listed with the deployment's API key
 * ({@code ARDUINO_CLIENT_ID}/{@code ARDUINO_CLIENT_SECRET}). A facade-level use case for the host service; never
 * exposed through the user API.
 */
public interface ArduinoLabDevices {
  /** @return the deployment's devices */
  List<ArduinoDevice> devices();
}
