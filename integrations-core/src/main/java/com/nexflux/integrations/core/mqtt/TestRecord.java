package com.nexflux.integrations.core.mqtt;

import java.time.Instant;
import java.util.Objects;

/**
 * The last test of a user's saved settings.
 *
 * @param at when it finished
 * @param success whether it connected
 * @param errorCode the failure's code, {@code null} on success
 */
public record TestRecord(Instant at, boolean success, ProbeErrorCode errorCode) {
  public TestRecord {
    Objects.requireNonNull(at, "at");
  }
}
