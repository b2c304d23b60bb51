package com.nexflux.integrations.http.thingsboard;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nexflux.integrations.core.thingsboard.DeviceTelemetry;
import com.nexflux.integrations.core.thingsboard.RpcReply;
import com.nexflux.integrations.core.thingsboard.TelemetryPoint;
import com.nexflux.integrations.core.thingsboard.ThingsBoardDevice;
import com.nexflux.integrations.core.thingsboard.ThingsBoardView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of ThingsBoard's routes (snake_case, as the OpenAPI fragment describes them). */
final class ThingsBoardResponses {
  private ThingsBoardResponses() {}

  record Integration(
      @JsonProperty("connected") boolean connected,
      @JsonProperty("status") String status,
      @JsonProperty("base_url") String baseUrl,
      @JsonProperty("username") String username,
      @JsonProperty("auth_method") String authMethod,
      @JsonProperty("devices") List<Device> devices,
      @JsonProperty("fetched_at") String fetchedAt,
      @JsonProperty("error") String error) {
    static Integration of(ThingsBoardView v) {
      return new Integration(v.connected(), v.status(), v.baseUrl() == null ? null : v.baseUrl().toString(),
          v.username(), v.authMethod(), v.devices().stream().map(Device::of).toList(), text(v.fetchedAt()),
          v.error());
    }
  }

  record Device(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("type") String type,
      @JsonProperty("active") boolean active) {
    static Device of(ThingsBoardDevice d) {
      return new Device(d.id(), d.name(), d.type(), d.active());
    }
  }

  record Value(@JsonProperty("value") Object value, @JsonProperty("ts") String ts) {}

  record Telemetry(
      @JsonProperty("device_id") String deviceId,
      @JsonProperty("keys") List<String> keys,
      @JsonProperty("values") Map<String, Value> values,
      @JsonProperty("fetched_at") String fetchedAt) {
    static Telemetry of(DeviceTelemetry t) {
      Map<String, Value> values = new LinkedHashMap<>();
      for (TelemetryPoint p : t.values()) {
        values.put(p.key(), new Value(p.value(), text(p.ts())));
      }
      return new Telemetry(t.deviceId(), List.copyOf(values.keySet()), values, text(t.fetchedAt()));
    }
  }

  record Rpc(
      @JsonProperty("device_id") String deviceId,
      @JsonProperty("method") String method,
      @JsonProperty("two_way") boolean twoWay,
      @JsonProperty("response") Object response) {
    static Rpc of(String deviceId, String method, RpcReply reply) {
      return new Rpc(deviceId, method, reply.twoWay(), reply.response());
    }
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
