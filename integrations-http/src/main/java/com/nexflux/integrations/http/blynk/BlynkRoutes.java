package com.nexflux.integrations.http.blynk;

import com.nexflux.integrations.core.blynk.BlynkIntegrations;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;
import java.util.Objects;

/**
 * Blynk's routes: {@code GET|PUT|DELETE /api/v1/users/me/integrations/blynk}, {@code POST
 * …/blynk/devices/{name}/pins/{pin}} (one virtual pin) and {@code POST …/blynk/devices/{name}/pins} (several at
 * once).
 */
public final class BlynkRoutes implements RouteModule {
  /** {@code /api/v1/users/me/integrations/blynk}. */
  public static final String BLYNK = ApiKit.INTEGRATIONS + "/blynk";
  /** Several pins of one device. */
  public static final String PINS = BLYNK + "/devices/{name}/pins";
  /** One pin of one device. */
  public static final String PIN = PINS + "/{pin}";

  private final BlynkIntegrations blynk;

  public BlynkRoutes(BlynkIntegrations blynk) {
    this.blynk = Objects.requireNonNull(blynk, "blynk");
  }

  @Override
  public void register(RouteRegistry routes, ApiKit kit) {
    BlynkHandlers h = new BlynkHandlers(blynk, kit);
    routes.get(BLYNK, h::get);
    routes.put(BLYNK, h::put);
    routes.delete(BLYNK, h::delete);
    routes.post(PIN, h::writePin);
    routes.post(PINS, h::writePins);
  }

  @Override
  public String openApi() {
    return OpenApiFragments.resource(BlynkRoutes.class, "openapi-blynk.json");
  }
}
