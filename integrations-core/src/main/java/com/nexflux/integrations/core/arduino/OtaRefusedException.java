package com.nexflux.integrations.core.arduino;

import com.nexflux.integrations.core.error.IntegrationsException;

/**
 * Arduino refused an OTA update for a reason the user can act on (HTTP 409 with one of three codes):
 * {@value #IN_PROGRESS} (Arduino's 409: another update of this device is still running, as arduino-cloud-cli reads
 * it), {@value #DEVICE_OFFLINE} (Arduino's 410 Gone: the device is not connected to take the update),
 * {@value #NOT_SUPPORTED} (Arduino's 412 Precondition Failed: the board or its firmware cannot take OTA updates).
 */
public final class OtaRefusedException extends IntegrationsException {
  private static final long serialVersionUID = 1L;
  /** Another OTA update of the device is in progress. */
  public static final String IN_PROGRESS = "OTA_IN_PROGRESS";
  /** The device is offline. */
  public static final String DEVICE_OFFLINE = "DEVICE_OFFLINE";
  /** The board does not support OTA updates. */
  public static final String NOT_SUPPORTED = "OTA_NOT_SUPPORTED";

  private OtaRefusedException(String code, String message) {
    super(code, message);
  }

  /** @return the refusal for Arduino's 409 */
  public static OtaRefusedException inProgress() {
    return new OtaRefusedException(IN_PROGRESS,
        "Another OTA update of this device is still in progress; wait for it to finish");
  }

  /** @return the refusal for Arduino's 410 */
  public static OtaRefusedException deviceOffline() {
    return new OtaRefusedException(DEVICE_OFFLINE,
        "The device is offline; switch it on and connect it to Arduino Cloud, then upload again");
  }

  /** @return the refusal for Arduino's 412 */
  public static OtaRefusedException notSupported() {
    return new OtaRefusedException(NOT_SUPPORTED, "OTA updates are not supported by this board or its firmware");
  }
}
