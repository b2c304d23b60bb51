package com.nexflux.integrations.http.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Loads OpenAPI fragments from the class path and merges them into one document. */
public final class OpenApiFragments {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OpenApiFragments() {}

  /** @return the text of a class-path resource beside {@code owner} */
  public static String resource(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + name + " beside " + owner.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + name, e);
    }
  }

  /** @return {@link #resource} with each placeholder replaced by its value (values must be JSON-safe words) */
  public static String template(Class<?> owner, String name, Map<String, String> values) {
    String text = resource(owner, name);
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!e.getValue().matches("[A-Za-z0-9 _.-]+")) {
        throw new IllegalArgumentException("not a safe template value: " + e.getKey());
      }
      text = text.replace(e.getKey(), e.getValue());
    }
    return text;
  }

  /**
   * Merges fragments into the base document: their {@code tags} (appended), {@code paths} and each section of their
   * {@code components}.
   *
   * @return the merged document as JSON bytes
   * @throws IllegalStateException when two parts declare the same path or component
   */
  public static byte[] merge(String base, List<String> fragments) {
    try {
      ObjectNode doc = (ObjectNode) MAPPER.readTree(base);
      for (String fragment : fragments) {
        JsonNode part = MAPPER.readTree(fragment);
        if (!part.isObject()) {
          throw new IllegalStateException("an OpenAPI fragment must be a JSON object");
        }
        mergeSection(doc.withObjectProperty("paths"), part.path("paths"), "path");
        for (Map.Entry<String, JsonNode> section : part.path("components").properties()) {
          mergeSection(doc.withObjectProperty("components").withObjectProperty(section.getKey()), section.getValue(),
              "component " + section.getKey());
        }
        for (JsonNode tag : part.path("tags")) {
          doc.withArray("tags").add(tag);
        }
        for (Map.Entry<String, JsonNode> property : part.properties()) {
          String field = property.getKey();
          if (!List.of("paths", "components", "tags").contains(field)) {
            throw new IllegalStateException("an OpenAPI fragment has only tags, paths and components, not " + field);
          }
        }
      }
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an OpenAPI fragment is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void mergeSection(ObjectNode into, JsonNode from, String what) {
    for (Map.Entry<String, JsonNode> e : from.properties()) {
      if (into.has(e.getKey())) {
        throw new IllegalStateException("OpenAPI " + what + " declared twice: " + e.getKey());
      }
      into.set(e.getKey(), e.getValue());
    }
  }
}
