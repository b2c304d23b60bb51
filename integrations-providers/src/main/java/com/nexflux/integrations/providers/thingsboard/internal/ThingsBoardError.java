package com.nexflux.integrations.providers.thingsboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.providers.internal.SafeText;
import java.io.IOException;

/**
 * ThingsBoard's error body {@code {"status":401,"message":"...","errorCode":11,"timestamp":...}}
 * (ThingsboardErrorResponse), read tolerantly: a body that is not one gives {@code errorCode} -1.
 *
 * @param errorCode ThingsBoard's errorCode (2 general, 10 authentication, 11 JWT expired, 15 credentials expired,
 *     20 permission denied, 30/31 bad arguments, 32 not found, 33 too many requests), or -1
 * @param message the message, made safe for a log line (at most 200 characters), or {@code ""}
 */
public record ThingsBoardError(int errorCode, String message) {
  /** @return the error of {@code body} */
  public static ThingsBoardError parse(ObjectMapper mapper, String body) {
    if (body == null || body.isBlank()) {
      return new ThingsBoardError(-1, "");
    }
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || !node.isObject()) {
        return new ThingsBoardError(-1, "");
      }
      JsonNode code = node.get("errorCode");
      JsonNode message = node.get("message");
      return new ThingsBoardError(code != null && code.canConvertToInt() ? code.intValue() : -1,
          message != null && message.isTextual() ? SafeText.line(message.textValue(), 200) : "");
    } catch (IOException e) {
      return new ThingsBoardError(-1, "");
    }
  }

  /** @return a short code for logs and audit rows, e.g. {@code tb_11} */
  public String key() {
    return errorCode < 0 ? "tb_unknown" : "tb_" + errorCode;
  }
}
