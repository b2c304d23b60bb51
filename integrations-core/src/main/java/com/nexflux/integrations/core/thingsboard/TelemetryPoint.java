package com.nexflux.integrations.core.thingsboard;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest value of one telemetry key.
 *
 * @param key the key, e.g. {@code temperature}
 * @param ts when the device reported it
 * @param value the value as ThingsBoard sent it (a string, number or boolean; strings unless the server was asked
 *     for strict data types)
 */
public record TelemetryPoint(String key, Instant ts, Object value) {
  public TelemetryPoint {
    Objects.requireNonNull(key, "key");
  }
}
