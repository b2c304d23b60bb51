package com.nexflux.integrations.core.mqtt;

import java.util.Objects;

/**
 * What a successful test learned about the broker.
 *
 * @param version e.g. {@code mosquitto/2.0.11}, or {@code null} when the broker does not say
 * @param protocol {@code mqtt/5.0} or {@code mqtt/3.1.1}
 */
public record BrokerInfo(String version, String protocol) {
  public static final String MQTT_5 = "mqtt/5.0";
  public static final String MQTT_3_1_1 = "mqtt/3.1.1";

  public BrokerInfo {
    Objects.requireNonNull(protocol, "protocol");
  }
}
