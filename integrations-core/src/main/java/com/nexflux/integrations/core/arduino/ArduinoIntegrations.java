package com.nexflux.integrations.core.arduino;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;

/** The Arduino Cloud use cases of one user (in-port). */
public interface ArduinoIntegrations {
  /**
   * @param refresh bypass the per-connection cache of devices and things
   * @return the connection, its devices and things (not connected: {@code not_configured}, empty lists)
   */
  ArduinoView view(UserId user, boolean refresh);

  /**
   * Tries the key at Arduino, then stores it (encrypted) with its first token and an audit row, in one transaction.
   * Nothing is stored when Arduino refuses the key (400 naming {@code client_id} and {@code client_secret}) or
   * cannot be reached.
   */
  ArduinoView connect(UserId user, ArduinoSettings.Input input, RequestContext context);

  /** @return one device with its thing's properties; {@code NOT_FOUND} for a device the user does not have */
  ArduinoView.Device device(UserId user, String deviceId, boolean refresh);

  /**
   * Publishes a value to a property of one of the user's things; a read-only property is {@code VALIDATION_FAILED}
   * (field {@code value}), an unknown thing or property {@code NOT_FOUND}.
   */
  void publish(UserId user, String thingId, String propertyId, Object value, RequestContext context);

  /**
   * Sends a compiled binary to one of the user's devices (Arduino's OTA upload), audited as
   * {@code integration.device_ota} (device, size; never the binary). {@code NOT_FOUND} for a device Arduino does
   * not show this user; {@link OtaRefusedException} when Arduino refuses (in progress, offline, not supported).
   */
  ArduinoOta.Result uploadOta(UserId user, String deviceId, ArduinoOta.Binary binary, RequestContext context);

  /** Forgets the connection (idempotent, audited). */
  void disconnect(UserId user, RequestContext context);
}
