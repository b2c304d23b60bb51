package com.nexflux.integrations.core.thingsboard;

import java.net.URI;
import java.util.List;

/**
 * ThingsBoard's REST API (SPI), at the user's server; every call carries {@code X-Authorization}. Failures:
 * {@link com.nexflux.integrations.core.oauth.CredentialsRejectedException} when ThingsBoard answers 401 (errorCode
 * 10 authentication failed, 11 token expired, 15 credentials expired: the credential is not accepted);
 * {@link com.nexflux.integrations.core.error.NotFoundException} for an unknown device or one of another tenant;
 * {@link DeviceTimeoutException} when an RPC's device does not answer (504 or 408);
 * {@link com.nexflux.integrations.core.error.RateLimitedException} (429);
 * {@link com.nexflux.integrations.core.error.UnavailableException} for 5xx, network failures, timeouts and unusable
 * answers; {@code HOST_NOT_ALLOWED} when the outbound guard refuses the host (nothing sent). Messages never carry a
 * credential.
 */
public interface ThingsBoardApi {
  /** The largest page size asked for. */
  int MAX_PAGE_SIZE = 100;

  /** @return who the credential belongs to ({@code GET /api/auth/user}) */
  ThingsBoardUser currentUser(URI server, ThingsBoardCredential credential);

  /** @return one page of the tenant's device infos ({@code GET /api/tenant/deviceInfos?pageSize&page}), page from 0 */
  DevicePage deviceInfos(URI server, ThingsBoardCredential credential, int page, int pageSize);

  /** @return the latest value of every telemetry key of the device */
  List<TelemetryPoint> latestTelemetry(URI server, ThingsBoardCredential credential, String deviceId);

  /** Sends an RPC ({@code POST /api/rpc/oneway|twoway/{deviceId}}). */
  RpcReply rpc(URI server, ThingsBoardCredential credential, String deviceId, RpcRequest request);
}
