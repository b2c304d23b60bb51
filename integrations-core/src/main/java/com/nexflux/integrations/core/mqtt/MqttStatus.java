package com.nexflux.integrations.core.mqtt;

import java.util.Locale;

/** The state a user's MQTT integration is in, as the API shows it. */
public enum MqttStatus {
  /** The last test of the saved settings succeeded. */
  CONNECTED,
  /** The last test of the saved settings failed. */
  ERROR,
  /** The saved settings have not been tested since they last changed. */
  UNTESTED,
  /** Saved but switched off: the default broker is used. */
  DISABLED,
  /** Nothing saved. */
  NOT_CONFIGURED;

  /** @return the API spelling, e.g. {@code not_configured} */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
