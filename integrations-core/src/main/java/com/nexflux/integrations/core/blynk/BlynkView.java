package com.nexflux.integrations.core.blynk;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET …/blynk} shows: never a token.
 *
 * @param connected whether the user connected Blynk
 * @param server the server the devices live on, or {@code null}
 * @param status {@code connected}, {@code needs_reauth}, {@code error} or {@code not_configured}
 * @param devices the devices, in the user's order
 * @param fetchedAt when Blynk was asked, or {@code null} when it was not
 */
public record BlynkView(boolean connected, String server, String status, List<Device> devices, Instant fetchedAt) {
  public BlynkView {
    devices = List.copyOf(devices);
  }

  /** The view of a user who has not connected Blynk. */
  public static BlynkView notConfigured() {
    return new BlynkView(false, null, "not_configured", List.of(), null);
  }

  /**
   * One device as Blynk reported it.
   *
   * @param name its name
   * @param online whether Blynk sees it connected, or {@code null} when Blynk could not tell
   * @param values its datastream values by pin ({@code v0}, ...), or {@code null} when not fetched
   * @param error why Blynk could not tell ({@code token_rejected}, {@code unavailable}, {@code rate_limited},
   *     {@code credentials_unreadable}), or {@code null}
   */
  public record Device(String name, Boolean online, Map<String, Object> values, String error) {
    public Device {
      values = values == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
  }
}
