package com.nexflux.integrations.providers.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a broker product and version from a {@code $SYS} message: mosquitto's {@code $SYS/broker/version}
 * ({@code mosquitto version 2.0.11} gives {@code mosquitto/2.0.11}) and EMQX's {@code $SYS/brokers/<node>/version}
 * ({@code 5.3.0} gives {@code emqx/5.3.0}). Anything else gives {@code null}.
 */
public final class SysVersionParser {
  private static final Pattern MOSQUITTO = Pattern.compile("^mosquitto version (\\S+)$");
  private static final Pattern EMQX_TOPIC = Pattern.compile("^\\$SYS/brokers/[^/]+/version$");
  /** What a version may look like once parsed; keeps odd payloads out of the API. */
  private static final Pattern SAFE_VERSION = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z._+~-]{0,63}$");
  private static final int MAX_PAYLOAD = 256;

  private SysVersionParser() {}

  /**
   * @param topic the message's topic
   * @param payload the message's payload (UTF-8)
   * @return e.g. {@code mosquitto/2.0.11} or {@code emqx/5.3.0}, or {@code null} when the message names no
   *     version this parser knows
   */
  public static String parse(String topic, byte[] payload) {
    if (topic == null || payload == null || payload.length == 0 || payload.length > MAX_PAYLOAD) {
      return null;
    }
    String text = new String(payload, StandardCharsets.UTF_8).trim();
    if (topic.equals(ProbeClients.SYS_BROKER_VERSION)) {
      Matcher m = MOSQUITTO.matcher(text);
      return m.matches() && SAFE_VERSION.matcher(m.group(1)).matches() ? "mosquitto/" + m.group(1) : null;
    }
    if (EMQX_TOPIC.matcher(topic).matches()) {
      return SAFE_VERSION.matcher(text).matches() ? "emqx/" + text : null;
    }
    return null;
  }
}
