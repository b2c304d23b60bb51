package com.nexflux.integrations.http.arduino;

import com.nexflux.integrations.core.arduino.ArduinoIntegrations;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;

/**
 * Arduino Cloud's routes: {@code GET|PUT|DELETE /api/v1/users/me/integrations/arduino-cloud},
 * {@code GET …/arduino-cloud/devices/{id}} and {@code PUT …/arduino-cloud/things/{thing_id}/properties/{property_id}}.
 * Without the use cases they exist and answer 503 {@code PROVIDER_NOT_CONFIGURED}.
 */
public final class ArduinoRoutes implements RouteModule {
  public static final String ARDUINO = ApiKit.INTEGRATIONS + "/arduino-cloud";
  public static final String DEVICE = ARDUINO + "/devices/{id}";
  public static final String PROPERTY = ARDUINO + "/things/{thing_id}/properties/{property_id}";

  private final ArduinoIntegrations arduino;

  /** @param arduino the use cases, or {@code null} when Arduino Cloud is not available here */
  public ArduinoRoutes(ArduinoIntegrations arduino) {
    this.arduino = arduino;
  }

  @Override
  public void register(RouteRegistry routes, ApiKit kit) {
    ArduinoHandlers h = new ArduinoHandlers(arduino, kit.authentication(), kit.bodies(), kit.json());
    routes.get(ARDUINO, h::get);
    routes.put(ARDUINO, h::put);
    routes.delete(ARDUINO, h::delete);
    routes.get(DEVICE, h::device);
    routes.put(PROPERTY, h::publish);
  }

  @Override
  public String openApi() {
    return OpenApiFragments.resource(ArduinoRoutes.class, "openapi-arduino.json");
  }
}
