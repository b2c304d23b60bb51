package com.nexflux.integrations.http.arduino;

import com.nexflux.integrations.core.arduino.ArduinoIntegrations;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.internal.RequestScope;
import com.nexflux.integrations.http.kit.RouteRegistry;

/**
 * Arduino Cloud's routes: {@code GET|PUT|DELETE /api/v1/users/me/integrations/arduino-cloud},
 * {@code GET …/arduino-cloud/devices/{id}}, {@code POST …/arduino-cloud/devices/{id}/ota} (an upload route: its
 * own body limit) and {@code PUT …/arduino-cloud/things/{thing_id}/properties/{property_id}}.
 * Without the use cases they exist and answer 503 {@code PROVIDER_NOT_CONFIGURED}.
 */
public final class ArduinoRoutes implements RouteModule {
  public static final String ARDUINO = ApiKit.INTEGRATIONS + "/arduino-cloud";
  public static final String DEVICE = ARDUINO + "/devices/{id}";
  public static final String PROPERTY = ARDUINO + "/things/{thing_id}/properties/{property_id}";
  public static final String OTA = DEVICE + "/ota";
  /** The default largest OTA binary ({@code ARDUINO_OTA_MAX_BYTES}): 4 MiB. */
  public static final long DEFAULT_OTA_MAX_BYTES = 4L * 1024 * 1024;

  private final ArduinoIntegrations arduino;
  private final long otaMaxBytes;

  /** @param arduino the use cases, or {@code null} when Arduino Cloud is not available here */
  public ArduinoRoutes(ArduinoIntegrations arduino) {
    this(arduino, DEFAULT_OTA_MAX_BYTES);
  }

  /** @param otaMaxBytes the largest OTA binary accepted (above 64 KiB) */
  public ArduinoRoutes(ArduinoIntegrations arduino, long otaMaxBytes) {
    this.arduino = arduino;
    this.otaMaxBytes = otaMaxBytes;
  }

  @Override
  public void register(RouteRegistry routes, ApiKit kit) {
    ArduinoHandlers h = new ArduinoHandlers(arduino, kit.authentication(), kit.bodies(), kit.json(), otaMaxBytes);
    routes.get(ARDUINO, h::get);
    routes.put(ARDUINO, h::put);
    routes.delete(ARDUINO, h::delete);
    routes.get(DEVICE, h::device);
    routes.put(PROPERTY, h::publish);
    // the multipart body may be larger than the shared 64 KiB: its declared length is checked against its own limit
    // (the binary's own limit plus 64 KiB for the multipart framing; the part itself is bounded by the handler)
    routes.upload(OTA, otaMaxBytes + RequestScope.MAX_BODY_BYTES, h::ota);
  }

  @Override
  public String openApi() {
    return OpenApiFragments.resource(ArduinoRoutes.class, "openapi-arduino.json");
  }
}
