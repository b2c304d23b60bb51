package com.nexflux.integrations.core.mqtt;

import java.util.Objects;

/** The outcome of a broker connection test: {@link Connected} or {@link Failed}. */
public sealed interface ConnectionTestResult {

  /** @return whether CONNACK accepted the connection */
  boolean connected();

  /**
   * The broker accepted the connection.
   *
   * @param latencyMs from sending CONNECT (after DNS) to CONNACK
   * @param brokerInfo version (best effort) and protocol
   */
  record Connected(long latencyMs, BrokerInfo brokerInfo) implements ConnectionTestResult {
    public Connected {
      Objects.requireNonNull(brokerInfo, "brokerInfo");
    }

    @Override
    public boolean connected() {
      return true;
    }
  }

  /**
   * The test failed.
   *
   * @param code the stable reason
   * @param message what a student can do about it; never contains a secret
   */
  record Failed(ProbeErrorCode code, String message) implements ConnectionTestResult {
    public Failed {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public boolean connected() {
      return false;
    }
  }
}
