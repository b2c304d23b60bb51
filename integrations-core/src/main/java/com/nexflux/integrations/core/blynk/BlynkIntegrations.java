package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import java.util.Map;

/**
 * Blynk's use cases (API): connect devices by their auth tokens, read them, write their virtual pins, forget them.
 * Failures are this project's exceptions: {@code VALIDATION_FAILED} naming every failing field (a device token
 * Blynk refused is {@code devices[i].auth_token}, a pin Blynk refused is named), {@code NOT_FOUND},
 * {@code NEEDS_REAUTH} (a stored token Blynk no longer accepts), {@code UNAVAILABLE}.
 */
public interface BlynkIntegrations {
  /** @return the user's devices with their online state and datastream values, asked from Blynk now */
  BlynkView get(UserId user);

  /**
   * Checks every token with Blynk ({@code isHardwareConnected}) and, only when all are accepted, stores the devices
   * (each token encrypted on its own) with the connect or update audit row in one transaction.
   *
   * @return the stored devices with their online state (values are not fetched)
   */
  BlynkView put(UserId user, BlynkSettingsInput input, RequestContext context);

  /** Forgets the user's Blynk devices; idempotent, audited whether or not anything was stored. */
  void delete(UserId user, RequestContext context);

  /**
   * Writes one virtual pin of one device.
   *
   * @param pin {@code V0}-{@code V255} (a failing one is the field {@code pin})
   * @param value the value as text
   */
  void writePin(UserId user, String device, String pin, String value, RequestContext context);

  /**
   * Writes several virtual pins of one device at once (Blynk's batch update: one timestamp).
   *
   * @param values the values by pin (a failing pin is the field {@code values.<pin>})
   */
  void writePins(UserId user, String device, Map<String, String> values, RequestContext context);
}
