package com.nexflux.integrations.persistence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import org.postgresql.util.PGobject;

/** JSON (Jackson) to and from {@code jsonb} values. */
public final class Jsonb {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Jsonb() {}

  /** @return a new, empty JSON object */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** @return {@code node} as a value JDBI binds as {@code jsonb} */
  public static PGobject bind(JsonNode node) {
    PGobject value = new PGobject();
    value.setType("jsonb");
    try {
      value.setValue(MAPPER.writeValueAsString(node));
    } catch (JsonProcessingException | SQLException e) {
      throw new IllegalStateException("could not encode a JSON value", e);
    }
    return value;
  }

  /** Parses the text of a {@code jsonb} column; {@code null} reads as an empty object. */
  public static JsonNode parse(String text) {
    if (text == null) {
      return object();
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the text of field {@code name}, or {@code null} when absent or JSON null */
  public static String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }
}
