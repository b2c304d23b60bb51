package com.nexflux.integrations.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * Writes JSON answers with our own {@link ObjectMapper}, never the Javalin app's JSON mapper: when mounted on a
 * host, the host's mapper (Gson, a differently configured Jackson…) must not change our wire format.
 */
public final class JsonResponses {
  /** The {@code Content-Type} of every answer. */
  public static final String JSON = "application/json";

  private final ObjectMapper mapper;

  public JsonResponses(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** Answers {@code {"success":true,"data":data}} with the given status. */
  public void success(Context ctx, int status, Object data) {
    write(ctx, status, new Envelopes.Success(data));
  }

  /** Answers 200 {@code {"success":true,"data":data}}. */
  public void ok(Context ctx, Object data) {
    success(ctx, 200, data);
  }

  /** Writes any body as JSON. */
  public void write(Context ctx, int status, Object body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw InternalFailure.translate(e);
    }
    ctx.status(status).contentType(JSON).result(bytes);
  }

  /** Writes an already serialised JSON document. */
  public void writeRaw(Context ctx, int status, byte[] json) {
    ctx.status(status).contentType(JSON).result(json);
  }
}
