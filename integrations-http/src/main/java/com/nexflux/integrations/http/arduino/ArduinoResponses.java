package com.nexflux.integrations.http.arduino;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.nexflux.integrations.core.arduino.ArduinoDevice;
import com.nexflux.integrations.core.arduino.ArduinoProperty;
import com.nexflux.integrations.core.arduino.ArduinoThing;
import com.nexflux.integrations.core.arduino.ArduinoView;
import java.time.Instant;
import java.util.List;

/** The {@code data} shapes of the Arduino Cloud answers. Never a secret or token. */
public final class ArduinoResponses {
  private ArduinoResponses() {}

  /** {@code GET/PUT …/arduino-cloud}. */
  @JsonPropertyOrder({"connected", "status", "username", "organization", "connected_at", "devices", "things",
      "fetched_at"})
  public record Arduino(
      @JsonProperty("connected") boolean connected,
      @JsonProperty("status") String status,
      @JsonProperty("username") String username,
      @JsonProperty("organization") String organization,
      @JsonProperty("connected_at") Instant connectedAt,
      @JsonProperty("devices") List<Device> devices,
      @JsonProperty("things") List<Thing> things,
      @JsonProperty("fetched_at") Instant fetchedAt) {

    public static Arduino of(ArduinoView v) {
      return new Arduino(v.connected(), v.status(), v.username(), v.organization(), v.connectedAt(),
          v.devices().stream().map(Device::of).toList(), v.things().stream().map(Thing::of).toList(), v.fetchedAt());
    }
  }

  /** One device. */
  @JsonPropertyOrder({"id", "name", "type", "status", "last_activity"})
  public record Device(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("type") String type,
      @JsonProperty("status") String status,
      @JsonProperty("last_activity") Instant lastActivity) {

    static Device of(ArduinoDevice d) {
      return new Device(d.id(), d.name(), d.type(), d.status(), d.lastActivity());
    }
  }

  /** One thing. */
  @JsonPropertyOrder({"id", "name", "device_id"})
  public record Thing(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("device_id") String deviceId) {

    static Thing of(ArduinoThing t) {
      return new Thing(t.id(), t.name(), t.deviceId());
    }
  }

  /** One property of a thing. */
  @JsonPropertyOrder({"id", "name", "variable_name", "type", "permission", "last_value", "value_updated_at"})
  public record Property(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("variable_name") String variableName,
      @JsonProperty("type") String type,
      @JsonProperty("permission") String permission,
      @JsonProperty("last_value") Object lastValue,
      @JsonProperty("value_updated_at") Instant valueUpdatedAt) {

    static Property of(ArduinoProperty p) {
      return new Property(p.id(), p.name(), p.variableName(), p.type(), p.permission(), p.lastValue(),
          p.valueUpdatedAt());
    }
  }

  /** {@code GET …/arduino-cloud/devices/{id}}: the device, its thing and the thing's properties. */
  @JsonPropertyOrder({"id", "name", "type", "status", "last_activity", "thing", "properties", "fetched_at"})
  public record DeviceDetail(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("type") String type,
      @JsonProperty("status") String status,
      @JsonProperty("last_activity") Instant lastActivity,
      @JsonProperty("thing") Thing thing,
      @JsonProperty("properties") List<Property> properties,
      @JsonProperty("fetched_at") Instant fetchedAt) {

    public static DeviceDetail of(ArduinoView.Device v) {
      ArduinoDevice d = v.device();
      return new DeviceDetail(d.id(), d.name(), d.type(), d.status(), d.lastActivity(),
          v.thing() == null ? null : Thing.of(v.thing()), v.properties().stream().map(Property::of).toList(),
          v.fetchedAt());
    }
  }

  /** {@code PUT …/properties/{property_id}}. */
  @JsonPropertyOrder({"published"})
  public record Published(@JsonProperty("published") boolean published) {}

  /** {@code POST …/devices/{id}/ota}: Arduino's answer, and what was sent. */
  @JsonPropertyOrder({"device_id", "bytes", "ota_id", "status", "ota_version", "file_sha"})
  public record Ota(
      @JsonProperty("device_id") String deviceId,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("ota_id") String otaId,
      @JsonProperty("status") String status,
      @JsonProperty("ota_version") long otaVersion,
      @JsonProperty("file_sha") String fileSha) {

    public static Ota of(String deviceId, long bytes, com.nexflux.integrations.core.arduino.ArduinoOta.Result r) {
      return new Ota(deviceId, bytes, r.otaId(), r.status(), r.otaVersion(), r.fileSha());
    }
  }
}
