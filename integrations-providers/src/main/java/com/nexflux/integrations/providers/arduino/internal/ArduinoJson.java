package com.nexflux.integrations.providers.arduino.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.core.arduino.ArduinoDevice;
import com.nexflux.integrations.core.arduino.ArduinoProperty;
import com.nexflux.integrations.core.arduino.ArduinoThing;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.providers.internal.SafeText;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads Arduino's JSON answers into the core's records; a field of the wrong shape is left out, never guessed. */
public final class ArduinoJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArduinoJson() {}

  /** @return the parsed document, or {@code null} when it is not JSON */
  public static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** {@code ArduinoDevicev2Collection}: a plain array. */
  public static List<ArduinoDevice> devices(JsonNode array) {
    List<ArduinoDevice> out = new ArrayList<>();
    for (JsonNode d : array) {
      String id = text(d, "id");
      if (id == null) {
        continue;
      }
      JsonNode thing = d.get("thing");
      out.add(new ArduinoDevice(id, text(d, "name"), text(d, "type"), status(text(d, "device_status")),
          instant(text(d, "last_activity_at")), thing != null && thing.isObject() ? text(thing, "id") : null));
    }
    return out;
  }

  /** {@code ArduinoThingCollection}. */
  public static List<ArduinoThing> things(JsonNode array) {
    List<ArduinoThing> out = new ArrayList<>();
    for (JsonNode t : array) {
      String id = text(t, "id");
      if (id != null) {
        out.add(new ArduinoThing(id, text(t, "name"), text(t, "device_id")));
      }
    }
    return out;
  }

  /** {@code ArduinoPropertyCollection}. */
  public static List<ArduinoProperty> properties(JsonNode array) {
    List<ArduinoProperty> out = new ArrayList<>();
    for (JsonNode p : array) {
      String id = text(p, "id");
      if (id == null) {
        continue;
      }
      JsonNode last = p.get("last_value");
      Object value = last == null || last.isNull() ? null : JSON.convertValue(last, Object.class);
      out.add(new ArduinoProperty(id, text(p, "name"), text(p, "variable_name"), text(p, "type"),
          text(p, "permission"), value, instant(text(p, "value_updated_at"))));
    }
    return out;
  }

  /** @return {@code {"value": value}} as JSON */
  public static String publishBody(Object value) {
    try {
      return JSON.writeValueAsString(JSON.createObjectNode().set("value", JSON.valueToTree(value)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the value is not JSON", e);
    }
  }

  /** @return the goa error's {@code code} (safe: an identifier or {@code unknown}) */
  public static String errorCode(String body) {
    JsonNode n = parse(body);
    return SafeText.code(n == null ? null : text(n, "code"));
  }

  /** @return the {@code error} of an OAuth token error answer, or {@code null} */
  public static String oauthError(String body) {
    JsonNode n = parse(body);
    return n == null ? null : text(n, "error");
  }

  /** {@code ONLINE}/{@code OFFLINE}/anything else. */
  static String status(String deviceStatus) {
    if (deviceStatus == null) {
      return DeviceSummary.UNKNOWN;
    }
    return switch (deviceStatus.toUpperCase(Locale.ROOT)) {
      case "ONLINE" -> DeviceSummary.ONLINE;
      case "OFFLINE" -> DeviceSummary.OFFLINE;
      default -> DeviceSummary.UNKNOWN;
    };
  }

  public static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** @return Arduino's OTA answer; {@code ota_version} is required */
  public static com.nexflux.integrations.core.arduino.ArduinoOta.Result otaResult(JsonNode n) {
    JsonNode version = n.get("ota_version");
    if (version == null || !version.canConvertToLong()) {
      throw new com.nexflux.integrations.core.error.UnavailableException(
          "Arduino Cloud's OTA answer has no ota_version", null);
    }
    return new com.nexflux.integrations.core.arduino.ArduinoOta.Result(text(n, "ota_id"), text(n, "status"),
        version.asLong(), text(n, "file_sha"));
  }

  /**
   * @return a file name safe inside a multipart header: the last path segment, printable ASCII without quotes
   *     or backslashes, at most 128 characters ({@code firmware.bin} when nothing is left)
   */
  public static String safeFileName(String name) {
    String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    StringBuilder out = new StringBuilder();
    for (char c : last.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && out.length() < 128) {
        out.append(c);
      }
    }
    String safe = out.toString().trim();
    return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "firmware.bin" : safe;
  }
}
