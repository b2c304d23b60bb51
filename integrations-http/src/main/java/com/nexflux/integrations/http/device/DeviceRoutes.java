package com.nexflux.integrations.http.device;

import com.nexflux.integrations.core.device.DeviceInventory;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/v1/users/me/devices}: the user's devices across every device platform, asked in parallel; a
 * provider that fails or is slow is an {@code errors} entry, never a failed page. {@code ?refresh=true} asks the
 * providers to bypass their caches.
 */
public final class DeviceRoutes implements RouteModule {
  /** The inventory's path. */
  public static final String DEVICES = ApiKit.USER_ROOT + "/devices";

  private final DeviceInventory inventory;

  public DeviceRoutes(DeviceInventory inventory) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
  }

  @Override
  public void register(RouteRegistry routes, ApiKit kit) {
    routes.get(DEVICES, ctx -> kit.ok(ctx, body(inventory.list(kit.user(ctx), refresh(ctx)))));
  }

  static boolean refresh(Context ctx) {
    String value = ctx.queryParam("refresh");
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new ValidationException(List.of(new FieldError("refresh", "must be true or false")));
  }

  static Map<String, Object> body(DeviceInventory.Listing listing) {
    List<Map<String, Object>> devices = new ArrayList<>();
    for (DeviceSummary d : listing.devices()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("provider", d.provider().key());
      m.put("id", d.id());
      m.put("name", d.name());
      m.put("type", d.type());
      m.put("status", d.status());
      m.put("last_activity", d.lastActivity() == null ? null : d.lastActivity().toString());
      devices.add(m);
    }
    List<Map<String, Object>> errors = new ArrayList<>();
    for (DeviceInventory.ProviderError e : listing.errors()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("provider", e.provider().key());
      m.put("code", e.code());
      m.put("message", e.message());
      errors.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("devices", devices);
    body.put("errors", errors);
    body.put("fetched_at", listing.fetchedAt().toString());
    return body;
  }

  @Override
  public String openApi() {
    return OpenApiFragments.resource(DeviceRoutes.class, "openapi-device.json");
  }
}
