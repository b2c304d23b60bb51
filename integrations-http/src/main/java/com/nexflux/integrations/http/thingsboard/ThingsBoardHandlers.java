package com.nexflux.integrations.http.thingsboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.thingsboard.RpcRequest;
import com.nexflux.integrations.core.thingsboard.ThingsBoardIntegrations;
import com.nexflux.integrations.core.thingsboard.ThingsBoardSettingsInput;
import com.nexflux.integrations.http.internal.Responses;
import com.nexflux.integrations.http.kit.ApiKit;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code /api/v1/users/me/integrations/thingsboard[/devices/{id}[/rpc]]}. Bodies are read strictly: an unknown field
 * or a wrong type is a 400 naming it, and every problem of a body is reported at once.
 */
final class ThingsBoardHandlers {
  /** The longest RPC method name accepted. */
  static final int MAX_METHOD_CHARS = 255;
  private static final Set<String> SETTINGS_FIELDS = Set.of("base_url", "username", "password", "api_key");
  private static final Set<String> RPC_FIELDS = Set.of("method", "params", "two_way", "timeout_ms");

  private final ThingsBoardIntegrations thingsboard;
  private final ApiKit kit;

  ThingsBoardHandlers(ThingsBoardIntegrations thingsboard, ApiKit kit) {
    this.thingsboard = thingsboard;
    this.kit = Objects.requireNonNull(kit, "kit");
  }

  void get(Context ctx) {
    UserId user = kit.user(ctx);
    kit.ok(ctx, ThingsBoardResponses.Integration.of(service().view(user)));
  }

  void put(Context ctx) {
    UserId user = kit.user(ctx);
    ThingsBoardIntegrations tb = service();
    JsonNode body = kit.bodies().object(kit.bodies().read(ctx)).node();
    List<FieldError> errors = unknown(body, SETTINGS_FIELDS);
    String baseUrl = optionalString(body, "base_url", errors);
    String username = optionalString(body, "username", errors);
    String password = optionalString(body, "password", errors);
    String apiKey = optionalString(body, "api_key", errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    ThingsBoardSettingsInput input = new ThingsBoardSettingsInput(baseUrl, username,
        password == null ? null : Secret.of(password), apiKey == null ? null : Secret.of(apiKey));
    kit.ok(ctx, ThingsBoardResponses.Integration.of(tb.connect(user, input, kit.request(ctx))));
  }

  void delete(Context ctx) {
    UserId user = kit.user(ctx);
    service().disconnect(user, kit.request(ctx));
    kit.ok(ctx, new Responses.Deleted(true));
  }

  void device(Context ctx) {
    UserId user = kit.user(ctx);
    kit.ok(ctx, ThingsBoardResponses.Telemetry.of(service().device(user, ctx.pathParam("id"))));
  }

  void rpc(Context ctx) {
    UserId user = kit.user(ctx);
    ThingsBoardIntegrations tb = service();
    JsonNode body = kit.bodies().object(kit.bodies().read(ctx)).node();
    List<FieldError> errors = unknown(body, RPC_FIELDS);
    String method = optionalString(body, "method", errors);
    if (method == null && errors.stream().noneMatch(e -> e.field().equals("method"))) {
      errors.add(new FieldError("method", "is required"));
    } else if (method != null && (method.isBlank() || method.length() > MAX_METHOD_CHARS)) {
      errors.add(new FieldError("method", "must be 1 to " + MAX_METHOD_CHARS + " characters"));
    }
    JsonNode params = body.get("params");
    Boolean twoWay = null;
    JsonNode tw = body.get("two_way");
    if (tw != null && !tw.isNull()) {
      if (tw.isBoolean()) {
        twoWay = tw.booleanValue();
      } else {
        errors.add(new FieldError("two_way", "must be a boolean"));
      }
    }
    int timeout = RpcRequest.DEFAULT_TIMEOUT_MS;
    JsonNode t = body.get("timeout_ms");
    if (t != null && !t.isNull()) {
      if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < RpcRequest.MIN_TIMEOUT_MS
          || t.intValue() > RpcRequest.MAX_TIMEOUT_MS) {
        errors.add(new FieldError("timeout_ms", "must be a whole number from " + RpcRequest.MIN_TIMEOUT_MS + " to "
            + RpcRequest.MAX_TIMEOUT_MS));
      } else {
        timeout = t.intValue();
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    Object plainParams = params == null || params.isNull() ? null
        : kit.json().mapper().convertValue(params, Object.class);
    RpcRequest request = new RpcRequest(method, plainParams, Boolean.TRUE.equals(twoWay), timeout);
    String id = ctx.pathParam("id");
    kit.ok(ctx, ThingsBoardResponses.Rpc.of(id.toLowerCase(java.util.Locale.ROOT), method,
        tb.rpc(user, id, request)));
  }

  private ThingsBoardIntegrations service() {
    if (thingsboard == null) {
      throw new NotConfiguredException("ThingsBoard is not enabled on this server");
    }
    return thingsboard;
  }

  private static List<FieldError> unknown(JsonNode body, Set<String> allowed) {
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        errors.add(new FieldError(name.length() > 64 ? name.substring(0, 64) : name, "is not a known field"));
      }
    }
    return errors;
  }

  private static String optionalString(JsonNode body, String name, List<FieldError> errors) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      errors.add(new FieldError(name, "must be a string"));
      return null;
    }
    return v.textValue();
  }
}
