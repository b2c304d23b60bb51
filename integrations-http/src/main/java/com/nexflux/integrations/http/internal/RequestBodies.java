package com.nexflux.integrations.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.nexflux.integrations.core.error.ValidationException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Reads request bodies: at most {@link RequestScope#MAX_BODY_BYTES}, strict JSON (no unknown fields, no duplicate
 * keys, no type coercion), and every problem becomes a {@link ValidationException} naming the field. Jackson's own
 * messages are never passed on: they quote the offending input, which may be a password.
 */
public final class RequestBodies {
  /** The field name used when the body as a whole is wrong. */
  public static final String BODY = "body";
  private static final int MAX_FIELD_NAME_CHARS = 64;

  private final ObjectMapper mapper;

  public RequestBodies(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * Reads the raw body, bounded by the declared length and the limit. Uses Javalin's cached body, so a host
   * middleware that already read it does not leave us an empty stream.
   */
  public byte[] read(Context ctx) {
    RequestScope.rejectDeclaredOversizeBody(ctx);
    byte[] body;
    try {
      body = ctx.bodyAsBytes();
    } catch (HttpResponseException e) {
      if (e.getStatus() == 413) {
        throw new PayloadTooLargeException(RequestScope.MAX_BODY_BYTES);
      }
      throw e;
    }
    if (body.length > RequestScope.MAX_BODY_BYTES) {
      throw new PayloadTooLargeException(RequestScope.MAX_BODY_BYTES);
    }
    return body;
  }

  /** @return whether the body is empty or only whitespace */
  public static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a body that must be a JSON object.
   *
   * @throws ValidationException naming {@code body} when it is empty, not JSON or not an object
   */
  public ObjectNodeBody object(byte[] body) {
    if (isBlank(body)) {
      throw ValidationException.of(BODY, "must be a JSON object");
    }
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (IOException e) {
      throw ValidationException.of(BODY, "must be valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw ValidationException.of(BODY, "must be a JSON object");
    }
    return new ObjectNodeBody(node);
  }

  /** Binds a parsed object to a request type. */
  public <T> T bind(ObjectNodeBody body, Class<T> type) {
    try {
      return mapper.treeToValue(body.node(), type);
    } catch (UnrecognizedPropertyException e) {
      throw ValidationException.of(clip(e.getPropertyName()), "is not a known field");
    } catch (MismatchedInputException e) {
      throw ValidationException.of(fieldOf(e), expectation(e.getTargetType()));
    } catch (JsonMappingException e) {
      throw ValidationException.of(fieldOf(e), "is not valid");
    } catch (JsonProcessingException e) {
      throw ValidationException.of(BODY, "must be valid JSON");
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(BODY, "is not valid");
    }
  }

  /** A body known to be a JSON object. */
  public record ObjectNodeBody(JsonNode node) {
    /** @return whether the object has no fields ({@code {}}) */
    public boolean isEmpty() {
      return node.isEmpty();
    }
  }

  private static String fieldOf(JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        field.append('[').append(r.getIndex()).append(']');
      }
    }
    return field.length() == 0 ? BODY : clip(field.toString());
  }

  private static String expectation(Class<?> target) {
    if (target == null) {
      return "has the wrong type";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "must be a boolean";
    }
    if (target == String.class) {
      return "must be a string";
    }
    if (Number.class.isAssignableFrom(target) || (target.isPrimitive() && target != char.class)) {
      return "must be a number";
    }
    return "has the wrong type";
  }

  private static String clip(String field) {
    if (field == null || field.isEmpty()) {
      return BODY;
    }
    return field.length() > MAX_FIELD_NAME_CHARS ? field.substring(0, MAX_FIELD_NAME_CHARS) : field;
  }
}
