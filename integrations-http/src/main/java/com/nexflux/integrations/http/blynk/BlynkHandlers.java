package com.nexflux.integrations.http.blynk;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.blynk.BlynkIntegrations;
import com.nexflux.integrations.core.blynk.BlynkSettingsInput;
import com.nexflux.integrations.core.blynk.BlynkView;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.http.internal.Responses;
import com.nexflux.integrations.http.kit.ApiKit;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code /api/v1/users/me/integrations/blynk[/devices/{name}/pins[/{pin}]]}. Bodies are read by hand: an unknown
 * field or a wrong type is a 400 naming it (never quoting a value), all of them at once.
 */
final class BlynkHandlers {
  private final BlynkIntegrations blynk;
  private final ApiKit kit;

  BlynkHandlers(BlynkIntegrations blynk, ApiKit kit) {
    this.blynk = Objects.requireNonNull(blynk, "blynk");
    this.kit = Objects.requireNonNull(kit, "kit");
  }

  void get(Context ctx) {
    UserId user = kit.user(ctx);
    kit.ok(ctx, View.of(blynk.get(user)));
  }

  void put(Context ctx) {
    UserId user = kit.user(ctx);
    JsonNode body = kit.bodies().object(kit.bodies().read(ctx)).node();
    List<FieldError> errors = new ArrayList<>();
    unknown(body, Set.of("server", "devices", "client_id", "client_secret"), "", errors);
    String server = text(body, "server", "server", errors);
    boolean clientIdGiven = body.has("client_id");
    String clientId = text(body, "client_id", "client_id", errors);
    String clientSecret = text(body, "client_secret", "client_secret", errors);
    List<BlynkSettingsInput.DeviceInput> devices = null;
    JsonNode list = body.get("devices");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        errors.add(new FieldError("devices", "must be an array of devices"));
      } else {
        devices = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          JsonNode d = list.get(i);
          String prefix = "devices[" + i + "]";
          if (!d.isObject()) {
            errors.add(new FieldError(prefix, "must be an object"));
            devices.add(null);
            continue;
          }
          unknown(d, Set.of("name", "auth_token"), prefix + ".", errors);
          String name = text(d, "name", prefix + ".name", errors);
          String token = text(d, "auth_token", prefix + ".auth_token", errors);
          devices.add(new BlynkSettingsInput.DeviceInput(name, token == null ? null : Secret.of(token)));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    kit.ok(ctx, View.of(blynk.put(user, new BlynkSettingsInput(server, devices, clientIdGiven, clientId,
        clientSecret == null ? null : Secret.of(clientSecret)), kit.request(ctx))));
  }

  void delete(Context ctx) {
    UserId user = kit.user(ctx);
    blynk.delete(user, kit.request(ctx));
    kit.ok(ctx, new Responses.Deleted(true));
  }

  void writePin(Context ctx) {
    UserId user = kit.user(ctx);
    JsonNode body = kit.bodies().object(kit.bodies().read(ctx)).node();
    List<FieldError> errors = new ArrayList<>();
    unknown(body, Set.of("value"), "", errors);
    String value = value(body.get("value"), "value", errors);
    if (body.get("value") == null || body.get("value").isNull()) {
      errors.add(new FieldError("value", "is required"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    String pin = ctx.pathParam("pin");
    blynk.writePin(user, ctx.pathParam("name"), pin, value, kit.request(ctx));
    kit.ok(ctx, new Written(List.of(pin)));
  }

  void writePins(Context ctx) {
    UserId user = kit.user(ctx);
    JsonNode body = kit.bodies().object(kit.bodies().read(ctx)).node();
    List<FieldError> errors = new ArrayList<>();
    unknown(body, Set.of("values"), "", errors);
    JsonNode values = body.get("values");
    Map<String, String> pins = new LinkedHashMap<>();
    if (values == null || values.isNull()) {
      errors.add(new FieldError("values", "is required"));
    } else if (!values.isObject()) {
      errors.add(new FieldError("values", "must be an object of values by pin"));
    } else {
      Iterator<Map.Entry<String, JsonNode>> it = values.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String pin = e.getKey().length() > 16 ? e.getKey().substring(0, 16) : e.getKey();
        String v = value(e.getValue(), "values." + pin, errors);
        if (e.getValue().isNull()) {
          errors.add(new FieldError("values." + pin, "is required"));
        }
        pins.put(e.getKey(), v);
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    blynk.writePins(user, ctx.pathParam("name"), pins, kit.request(ctx));
    kit.ok(ctx, new Written(List.copyOf(pins.keySet())));
  }

  private static void unknown(JsonNode node, Set<String> allowed, String prefix, List<FieldError> errors) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        errors.add(new FieldError(prefix + (name.length() > 64 ? name.substring(0, 64) : name),
            "is not a known field"));
      }
    }
  }

  private static String text(JsonNode node, String name, String field, List<FieldError> errors) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      errors.add(new FieldError(field, "must be a string"));
      return null;
    }
    return v.textValue();
  }

  /** @return a pin value as Blynk's text: a string, a number or a boolean (as 1/0) */
  private static String value(JsonNode v, String field, List<FieldError> errors) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      if (v.textValue().length() > 1024) {
        errors.add(new FieldError(field, "must be at most 1024 characters"));
        return null;
      }
      return v.textValue();
    }
    if (v.isNumber()) {
      return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toPlainString();
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "1" : "0";
    }
    errors.add(new FieldError(field, "must be a string, a number or a boolean"));
    return null;
  }

  /** {@code data} of {@code GET|PUT …/blynk}. Never a token or a client secret. */
  @JsonPropertyOrder({"connected", "status", "server", "devices", "platform", "fetched_at"})
  record View(
      @JsonProperty("connected") boolean connected,
      @JsonProperty("status") String status,
      @JsonProperty("server") String server,
      @JsonProperty("devices") List<Device> devices,
      @JsonProperty("platform") Platform platform,
      @JsonProperty("fetched_at") Instant fetchedAt) {
    static View of(BlynkView v) {
      BlynkView.Platform p = v.platform();
      return new View(v.connected(), v.status(), v.server(),
          v.devices().stream().map(d -> new Device(d.name(), d.online(), d.values(), d.error())).toList(),
          p == null ? null : new Platform(p.server(), p.status(), p.error(), p.devices() == null ? null
              : p.devices().stream().map(d -> new OrgDevice(d.id(), d.name(), d.templateId(), d.online(),
                  d.error())).toList(), p.total(), p.truncated()),
          v.fetchedAt());
    }
  }

  /** The organization's platform client: its devices, never its secret nor a device token. */
  @JsonPropertyOrder({"server", "status", "error", "devices", "total", "truncated"})
  record Platform(
      @JsonProperty("server") String server,
      @JsonProperty("status") String status,
      @JsonProperty("error") String error,
      @JsonProperty("devices") List<OrgDevice> devices,
      @JsonProperty("total") Long total,
      @JsonProperty("truncated") boolean truncated) {}

  /** One of the organization's devices. */
  @JsonPropertyOrder({"id", "name", "template_id", "online", "error"})
  record OrgDevice(
      @JsonProperty("id") long id,
      @JsonProperty("name") String name,
      @JsonProperty("template_id") Long templateId,
      @JsonProperty("online") Boolean online,
      @JsonProperty("error") String error) {}

  /** One device. */
  @JsonPropertyOrder({"name", "online", "values", "error"})
  record Device(
      @JsonProperty("name") String name,
      @JsonProperty("online") Boolean online,
      @JsonProperty("values") Map<String, Object> values,
      @JsonProperty("error") String error) {}

  /** {@code data} of a pin write. */
  record Written(@JsonProperty("written") List<String> written) {}
}
