package com.nexflux.integrations.providers.blynk.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.core.blynk.BlynkRejectedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.providers.internal.SafeText;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads Blynk's answers: booleans, value maps and the {@code {"error":{"message":...}}} of a 400. */
public final class BlynkAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BlynkAnswers() {}

  /** @return {@code true}/{@code false} of {@code isHardwareConnected} */
  public static boolean bool(String body) {
    String b = body.trim();
    if (b.equals("true")) {
      return true;
    }
    if (b.equals("false")) {
      return false;
    }
    throw new UnavailableException("Blynk's answer to isHardwareConnected is not true or false", null);
  }

  /** @return the values of {@code getAll} */
  public static Map<String, Object> values(String body) {
    try {
      Map<String, Object> m = JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() { });
      return m == null ? Map.of() : m;
    } catch (IOException e) {
      throw new UnavailableException("Blynk's answer to getAll is not a JSON object", null);
    }
  }

  /** @return the rejection a 400 stands for, with Blynk's message (one printable line) */
  public static BlynkRejectedException rejection(String body) {
    String message = null;
    try {
      JsonNode node = JSON.readTree(body);
      JsonNode m = node == null ? null : node.path("error").path("message");
      if (m != null && m.isTextual()) {
        message = m.asText();
      }
    } catch (IOException e) {
      // not JSON: no message of Blynk's to pass on
    }
    String line = message == null ? "HTTP 400" : SafeText.line(message, 200);
    return new BlynkRejectedException(BlynkRejectedException.reasonOf(message), line);
  }
}
