package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import java.util.concurrent.CompletableFuture;

/**
 * The MQTT integration's use cases (API: call it, do not implement it). Every method acts on the given
 * user's own integration only.
 */
public interface MqttIntegrations {
  /** @return the user's settings without the password, or a not-configured view with the default broker */
  MqttView get(UserId userId);

  /**
   * Validates and saves the user's settings. A missing password keeps the stored one while the broker's scheme,
   * host and port stay the same ({@link BrokerUrl#sameServer}); with another broker a stored password is not
   * carried over and {@code password} is required. Turning authentication off drops the stored credentials.
   *
   * @throws com.nexflux.integrations.core.error.ValidationException naming every failing field (also
   *     {@code password} when the broker changed and none was sent); nothing stored
   */
  MqttView put(UserId userId, MqttSettingsInput input, RequestContext context);

  /** Removes the user's settings (idempotent); audit-logged. */
  void delete(UserId userId, RequestContext context);

  /**
   * Tests the saved settings and records the outcome.
   *
   * @throws com.nexflux.integrations.core.error.NotFoundException when nothing is saved
   * @throws com.nexflux.integrations.core.error.RateLimitedException over the per-user test rate
   */
  CompletableFuture<ConnectionTestResult> testSaved(UserId userId, RequestContext context);

  /**
   * Tests settings that are not saved (a missing password means the stored one, but only for the saved broker's
   * scheme, host and port); records nothing.
   *
   * @throws com.nexflux.integrations.core.error.ValidationException for invalid settings, also {@code password}
   *     when the broker differs from the saved one and none was sent; nothing is probed
   * @throws com.nexflux.integrations.core.error.RateLimitedException over the per-user test rate
   */
  CompletableFuture<ConnectionTestResult> testUnsaved(UserId userId, MqttSettingsInput input,
      RequestContext context);

  /**
   * @return the broker, credentials and topics another NexFlux service should use for this user: the user's own
   *     when saved and enabled, else the deployment's default broker
   * @throws com.nexflux.integrations.core.error.NotConfiguredException when the user has none and no default is set
   */
  EffectiveMqttSettings effectiveSettings(UserId userId);
}
