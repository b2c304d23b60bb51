package com.nexflux.integrations.http.arduino;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.arduino.ArduinoIntegrations;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.http.internal.BearerAuthentication;
import com.nexflux.integrations.http.internal.JsonResponses;
import com.nexflux.integrations.http.internal.RequestBodies;
import com.nexflux.integrations.http.internal.RequestScope;
import com.nexflux.integrations.http.internal.Responses;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Objects;

/**
 * {@code /api/v1/users/me/integrations/arduino-cloud[/devices/{id}|/things/{thing_id}/properties/{property_id}]}.
 * Without {@link ArduinoIntegrations} every route answers 503 {@code PROVIDER_NOT_CONFIGURED} (after
 * authentication).
 */
public final class ArduinoHandlers {
  private final ArduinoIntegrations arduino;
  private final BearerAuthentication auth;
  private final RequestBodies bodies;
  private final JsonResponses json;
  private final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();

  public ArduinoHandlers(ArduinoIntegrations arduino, BearerAuthentication auth, RequestBodies bodies,
      JsonResponses json) {
    this.arduino = arduino;
    this.auth = Objects.requireNonNull(auth, "auth");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** {@code GET …/arduino-cloud[?refresh=true]}. */
  public void get(Context ctx) {
    UserId user = auth.user(ctx);
    json.ok(ctx, ArduinoResponses.Arduino.of(arduino().view(user, refresh(ctx))));
  }

  /** {@code PUT …/arduino-cloud}: {@code {"client_id", "client_secret", "organization_id"?}}. */
  public void put(Context ctx) {
    UserId user = auth.user(ctx);
    ArduinoIntegrations arduino = arduino();
    ArduinoSettingsRequest request = bodies.bind(bodies.object(bodies.read(ctx)), ArduinoSettingsRequest.class);
    json.ok(ctx, ArduinoResponses.Arduino.of(arduino.connect(user, request.toInput(), RequestScope.context(ctx))));
  }

  /** {@code DELETE …/arduino-cloud}: idempotent. */
  public void delete(Context ctx) {
    UserId user = auth.user(ctx);
    arduino().disconnect(user, RequestScope.context(ctx));
    json.ok(ctx, new Responses.Deleted(true));
  }

  /** {@code GET …/arduino-cloud/devices/{id}}. */
  public void device(Context ctx) {
    UserId user = auth.user(ctx);
    json.ok(ctx, ArduinoResponses.DeviceDetail.of(arduino().device(user, ctx.pathParam("id"), refresh(ctx))));
  }

  /** {@code PUT …/arduino-cloud/things/{thing_id}/properties/{property_id}}: {@code {"value": …}}. */
  public void publish(Context ctx) {
    UserId user = auth.user(ctx);
    ArduinoIntegrations arduino = arduino();
    JsonNode body = bodies.object(bodies.read(ctx)).node();
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("value")) {
        throw ValidationException.of(name, "is not a field of this request");
      }
    }
    if (!body.has("value") || body.get("value").isNull()) {
      throw ValidationException.of("value", "is required");
    }
    Object value = mapper.convertValue(body.get("value"), Object.class);
    arduino.publish(user, ctx.pathParam("thing_id"), ctx.pathParam("property_id"), value, RequestScope.context(ctx));
    json.ok(ctx, new ArduinoResponses.Published(true));
  }

  private static boolean refresh(Context ctx) {
    String text = ctx.queryParam("refresh");
    if (text == null || text.isEmpty() || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw ValidationException.of("refresh", "must be true or false");
  }

  private ArduinoIntegrations arduino() {
    if (arduino == null) {
      throw new NotConfiguredException("Arduino Cloud is not configured on this server");
    }
    return arduino;
  }
}
