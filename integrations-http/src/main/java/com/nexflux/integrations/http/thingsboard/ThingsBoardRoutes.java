package com.nexflux.integrations.http.thingsboard;

import com.nexflux.integrations.core.thingsboard.ThingsBoardIntegrations;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;

/**
 * ThingsBoard's routes: {@code GET|PUT|DELETE /api/v1/users/me/integrations/thingsboard},
 * {@code GET …/thingsboard/devices/{id}} (latest telemetry) and {@code POST …/thingsboard/devices/{id}/rpc}. Without
 * the use cases (ThingsBoard switched off on this server) they exist and answer 503 {@code PROVIDER_NOT_CONFIGURED}.
 */
public final class ThingsBoardRoutes implements RouteModule {
  public static final String THINGSBOARD = ApiKit.INTEGRATIONS + "/thingsboard";
  public static final String DEVICE = THINGSBOARD + "/devices/{id}";
  public static final String DEVICE_RPC = DEVICE + "/rpc";

  private final ThingsBoardIntegrations thingsboard;

  /** @param thingsboard the use cases, or {@code null} when ThingsBoard is off on this server */
  public ThingsBoardRoutes(ThingsBoardIntegrations thingsboard) {
    this.thingsboard = thingsboard;
  }

  @Override
  public void register(RouteRegistry routes, ApiKit kit) {
    ThingsBoardHandlers h = new ThingsBoardHandlers(thingsboard, kit);
    routes.get(THINGSBOARD, h::get);
    routes.put(THINGSBOARD, h::put);
    routes.delete(THINGSBOARD, h::delete);
    routes.get(DEVICE, h::device);
    routes.post(DEVICE_RPC, h::rpc);
  }

  @Override
  public String openApi() {
    return OpenApiFragments.resource(ThingsBoardRoutes.class, "openapi-thingsboard.json");
  }
}
