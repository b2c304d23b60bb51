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

  /** The multipart part holding the binary. */
  public static final String OTA_FILE = "ota_file";
  /** Parts up to this size stay in memory; larger ones are spooled to a temporary file while they arrive. */
  static final int OTA_IN_MEMORY_BYTES = 64 * 1024;

  private final long otaMaxBytes;

  public ArduinoHandlers(ArduinoIntegrations arduino, BearerAuthentication auth, RequestBodies bodies,
      JsonResponses json, long otaMaxBytes) {
    this.arduino = arduino;
    this.otaMaxBytes = otaMaxBytes;
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

  /**
   * {@code POST …/arduino-cloud/devices/{id}/ota}: multipart {@code ota_file}, at most {@code otaMaxBytes}. The
   * declared length is checked before anything is read (see {@link ArduinoRoutes}); an undeclared (chunked) body is
   * cut off by Jetty's multipart parser at the limit. The part is spooled to a temporary file (deleted afterwards)
   * and streamed from there to Arduino.
   */
  public void ota(Context ctx) {
    UserId user = auth.user(ctx);
    ArduinoIntegrations arduino = arduino();
    String deviceId = ctx.pathParam("id");
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      throw ValidationException.of(OTA_FILE, "send the binary as multipart/form-data in a part named ota_file");
    }
    ctx.req().setAttribute(io.javalin.http.util.MultipartUtil.MULTIPART_CONFIG_ATTRIBUTE,
        new jakarta.servlet.MultipartConfigElement(System.getProperty("java.io.tmpdir"), otaMaxBytes,
            otaMaxBytes + RequestScope.MAX_BODY_BYTES, OTA_IN_MEMORY_BYTES));
    java.util.Collection<jakarta.servlet.http.Part> parts = parts(ctx);
    try {
      jakarta.servlet.http.Part file = null;
      for (jakarta.servlet.http.Part p : parts) {
        if (!OTA_FILE.equals(p.getName())) {
          throw ValidationException.of(p.getName() == null ? OTA_FILE : safeField(p.getName()),
              "is not a part of this request (only ota_file)");
        }
        if (file != null) {
          throw ValidationException.of(OTA_FILE, "must be sent once");
        }
        file = p;
      }
      if (file == null || file.getSubmittedFileName() == null) {
        throw ValidationException.of(OTA_FILE, "is required: the compiled binary as a file part");
      }
      if (file.getSize() == 0) {
        throw ValidationException.of(OTA_FILE, "is empty");
      }
      if (file.getSize() > otaMaxBytes) {
        throw new com.nexflux.integrations.http.internal.PayloadTooLargeException(otaMaxBytes);
      }
      String name = file.getSubmittedFileName().isBlank() ? "firmware.bin" : file.getSubmittedFileName();
      jakarta.servlet.http.Part chosen = file;
      var binary = new com.nexflux.integrations.core.arduino.ArduinoOta.Binary(name, file.getSize(),
          chosen::getInputStream);
      var result = arduino.uploadOta(user, deviceId, binary, RequestScope.context(ctx));
      json.ok(ctx, ArduinoResponses.Ota.of(deviceId, file.getSize(), result));
    } finally {
      for (jakarta.servlet.http.Part p : parts) {
        try {
          p.delete();
        } catch (java.io.IOException e) {
          // a temporary file Jetty could not delete: Jetty's own cleanup at the end of the request retries
        }
      }
    }
  }

  private java.util.Collection<jakarta.servlet.http.Part> parts(Context ctx) {
    try {
      return ctx.req().getParts();
    } catch (RuntimeException | java.io.IOException | jakarta.servlet.ServletException e) {
      if (tooLarge(e)) {
        throw new com.nexflux.integrations.http.internal.PayloadTooLargeException(otaMaxBytes);
      }
      throw ValidationException.of(OTA_FILE, "the request is not well-formed multipart/form-data");
    }
  }

  /** @return whether Jetty's multipart parser stopped at a size limit (its exceptions say so in their text) */
  private static boolean tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("exceeds") || m.contains("max") || m.contains("too large"))) {
        return true;
      }
      if (t instanceof org.eclipse.jetty.http.BadMessageException bad && bad.getCode() == 413) {
        return true;
      }
    }
    return false;
  }

  private static String safeField(String name) {
    return name.matches("[A-Za-z0-9_.-]{1,64}") ? name : OTA_FILE;
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
