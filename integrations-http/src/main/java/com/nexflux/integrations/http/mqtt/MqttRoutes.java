package com.nexflux.integrations.http.mqtt;

import com.nexflux.integrations.core.mqtt.MqttIntegrations;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;
import java.util.Objects;

/**
 * MQTT's routes: {@code GET|PUT|DELETE /api/v1/users/me/integrations/mqtt} and {@code POST …/mqtt/test} (the saved
 * settings, or the settings in the body, tested without holding a Jetty thread).
 */
public final class MqttRoutes implements RouteModule {
  /** {@code /api/v1/users/me/integrations/mqtt}. */
  public static final String MQTT = ApiKit.INTEGRATIONS + "/mqtt";
  /** {@code /api/v1/users/me/integrations/mqtt/test}. */
  public static final String MQTT_TEST = MQTT + "/test";

  private final MqttIntegrations mqtt;

  public MqttRoutes(MqttIntegrations mqtt) {
    this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
  }

  @Override
  public void register(RouteRegistry routes, ApiKit kit) {
    MqttHandlers h = new MqttHandlers(mqtt, kit.authentication(), kit.bodies(), kit.json());
    routes.get(MQTT, h::get);
    routes.put(MQTT, h::put);
    routes.delete(MQTT, h::delete);
    routes.post(MQTT_TEST, h::test);
  }

  @Override
  public String openApi() {
    return OpenApiFragments.resource(MqttRoutes.class, "openapi-mqtt.json");
  }
}
