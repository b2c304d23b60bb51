package com.nexflux.integrations.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.ValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads the fields of a small JSON object body by hand, collecting every problem (unknown fields, wrong types, null
 * elements, numbers out of range) as a {@link FieldError} naming the field ({@code selected_repos[2]} for an array
 * element), then throws them together. Never quotes the offending value.
 */
public final class JsonFields {
  /** At most this many problems are reported for one body. */
  public static final int MAX_ERRORS = 20;
  private static final int MAX_FIELD_NAME_CHARS = 64;
  private static final Pattern CANONICAL_UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final JsonNode node;
  private final List<FieldError> errors = new ArrayList<>();

  private JsonFields(JsonNode node) {
    this.node = node;
  }

  /** Starts reading {@code body}, reporting every field not in {@code allowed}. */
  public static JsonFields of(RequestBodies.ObjectNodeBody body, Set<String> allowed) {
    JsonFields fields = new JsonFields(body.node());
    Iterator<String> names = body.node().fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        fields.error(clip(name), "is not a known field");
      }
    }
    return fields;
  }

  /** @return the boolean, or {@code null} when missing or JSON null */
  public Boolean optionalBoolean(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      error(name, "must be a boolean");
      return null;
    }
    return value.booleanValue();
  }

  /** @return the integer (within the range of a {@code long}), or {@code null} after recording why not */
  public Long requiredLong(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      error(name, "is required");
      return null;
    }
    return integer(name, value);
  }

  /** @return the array of integers, or {@code null} when missing, JSON null or wrong */
  public List<Long> optionalLongArray(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      error(name, "must be an array of numbers");
      return null;
    }
    List<Long> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String field = name + "[" + i + "]";
      if (element.isNull()) {
        error(field, "must be a number");
        continue;
      }
      Long number = integer(field, element);
      if (number != null) {
        out.add(number);
      }
    }
    return out;
  }

  /** @return the array of non-blank strings, or {@code null} after recording why not */
  public List<String> requiredStringArray(String name, int maxChars) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      error(name, "is required");
      return null;
    }
    if (!value.isArray()) {
      error(name, "must be an array of strings");
      return null;
    }
    List<String> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      String element = string(name + "[" + i + "]", value.get(i), maxChars);
      if (element != null) {
        out.add(element);
      }
    }
    return out;
  }

  /** @return the non-blank string of at most {@code maxChars}, or {@code null} after recording why not */
  public String requiredString(String name, int maxChars) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      error(name, "is required");
      return null;
    }
    return string(name, value, maxChars);
  }

  /** @return the UUID in its canonical 36-character form, or {@code null} after recording why not */
  public UUID requiredUuid(String name) {
    String text = requiredString(name, 36);
    if (text == null) {
      return null;
    }
    if (!CANONICAL_UUID.matcher(text).matches()) {
      error(name, "must be a UUID");
      return null;
    }
    return UUID.fromString(text);
  }

  /** @throws ValidationException with every problem found so far, if any */
  public void check() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  private Long integer(String field, JsonNode value) {
    if (!value.isNumber()) {
      error(field, "must be a number");
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      error(field, "must be an integer");
      return null;
    }
    return value.longValue();
  }

  private String string(String field, JsonNode value, int maxChars) {
    if (value == null || !value.isTextual()) {
      error(field, "must be a string");
      return null;
    }
    String text = value.textValue();
    if (text.isBlank()) {
      error(field, "must not be blank");
      return null;
    }
    if (text.length() > maxChars) {
      error(field, "must be at most " + maxChars + " characters");
      return null;
    }
    return text;
  }

  private void error(String field, String message) {
    if (errors.size() < MAX_ERRORS) {
      errors.add(new FieldError(field, message));
    }
  }

  private static String clip(String field) {
    if (field == null || field.isEmpty()) {
      return RequestBodies.BODY;
    }
    return field.length() > MAX_FIELD_NAME_CHARS ? field.substring(0, MAX_FIELD_NAME_CHARS) : field;
  }

  /** @return whether {@code text} is a UUID in canonical form (36 characters, hex and dashes) */
  public static boolean isCanonicalUuid(String text) {
    return text != null && CANONICAL_UUID.matcher(text).matches();
  }
}
