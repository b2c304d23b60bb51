package com.nexflux.integrations.core.thingsboard;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;

/**
 * The ThingsBoard use cases (in-port; obtain it from the facade, do not implement it). Failures are this project's
 * exceptions: {@code VALIDATION_FAILED} naming fields, {@code HOST_NOT_ALLOWED}, {@code NOT_FOUND},
 * {@code NEEDS_REAUTH}, {@code DEVICE_TIMEOUT}, {@code RATE_LIMITED}, {@code UNAVAILABLE}.
 */
public interface ThingsBoardIntegrations {
  /** The most devices listed. */
  int MAX_DEVICES = 1_000;

  /** @return the user's connection and devices */
  ThingsBoardView view(UserId user);

  /**
   * Logs in (or makes a first API-key call) and, only when that succeeds, stores the connection (encrypted
   * password and tokens) with its {@code integration.connect} or {@code integration.update} audit row.
   *
   * @return the view after connecting
   * @throws com.nexflux.integrations.core.error.ValidationException naming every failing field, or
   *     {@code username}/{@code password} ({@code api_key}) when ThingsBoard refused them; nothing stored
   */
  ThingsBoardView connect(UserId user, ThingsBoardSettingsInput input, RequestContext context);

  /** Forgets the connection (idempotent, audited). */
  void disconnect(UserId user, RequestContext context);

  /** @return the latest telemetry of one of the user's devices */
  DeviceTelemetry device(UserId user, String deviceId);

  /** Sends an RPC to one of the user's devices. */
  RpcReply rpc(UserId user, String deviceId, RpcRequest request);
}
