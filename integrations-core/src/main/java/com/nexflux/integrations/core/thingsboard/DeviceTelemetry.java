package com.nexflux.integrations.core.thingsboard;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A device's latest telemetry.
 *
 * @param deviceId the device
 * @param values the latest value of each key, in ThingsBoard's order
 * @param fetchedAt when it was read
 */
public record DeviceTelemetry(String deviceId, List<TelemetryPoint> values, Instant fetchedAt) {
  public DeviceTelemetry {
    Objects.requireNonNull(deviceId, "deviceId");
    values = List.copyOf(values);
    Objects.requireNonNull(fetchedAt, "fetchedAt");
  }
}
