package com.nexflux.integrations.core.arduino;

import java.time.Instant;
import java.util.Objects;

/**
 * One property (cloud variable) of a thing.
 *
 * @param id its UUID
 * @param name its name
 * @param variableName the sketch's variable name
 * @param type Arduino's property type (e.g. {@code FLOAT}, {@code HOME_SWITCH})
 * @param permission {@code READ_ONLY} or {@code READ_WRITE}
 * @param lastValue the last value (a JSON-compatible value: String, Number, Boolean, List, Map) or {@code null}
 * @param valueUpdatedAt when it was last updated, or {@code null}
 */
public record ArduinoProperty(String id, String name, String variableName, String type, String permission,
    Object lastValue, Instant valueUpdatedAt) {
  /** The permission of a property the cloud may not write. */
  public static final String READ_ONLY = "READ_ONLY";

  public ArduinoProperty {
    Objects.requireNonNull(id, "id");
  }

  /** @return whether a value may be published to it */
  public boolean writable() {
    return !READ_ONLY.equalsIgnoreCase(permission);
  }
}
