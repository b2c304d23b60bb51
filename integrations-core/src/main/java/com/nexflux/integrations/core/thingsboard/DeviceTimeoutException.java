package com.nexflux.integrations.core.thingsboard;

import com.nexflux.integrations.core.error.IntegrationsException;

/**
 * The device did not answer an RPC in time (ThingsBoard's 504, or 408): it is offline or ignored the command
 * (HTTP 504 {@code DEVICE_TIMEOUT}).
 */
public final class DeviceTimeoutException extends IntegrationsException {
  private static final long serialVersionUID = 1L;
  /** The error code. */
  public static final String CODE = "DEVICE_TIMEOUT";

  public DeviceTimeoutException() {
    super(CODE, "The device is offline or did not answer in time");
  }
}
