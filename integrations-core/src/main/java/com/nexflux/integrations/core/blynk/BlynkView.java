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
 * @param platform the organization's platform client and its devices, or {@code null} when none is configured
 */
public record BlynkView(boolean connected, String server, String status, List<Device> devices, Instant fetchedAt,
    Platform platform) {
  public BlynkView {
    devices = List.copyOf(devices);
  }

  /** A view without a platform client. */
  public BlynkView(boolean connected, String server, String status, List<Device> devices, Instant fetchedAt) {
    this(connected, server, status, devices, fetchedAt, null);
  }

  /** The view of a user who has not connected Blynk. */
  public static BlynkView notConfigured() {
    return new BlynkView(false, null, "not_configured", List.of(), null, null);
  }

  /**
   * The organization's platform client (never its secret, nor a device's auth token).
   *
   * @param server the server its token and calls go to
   * @param status {@code connected}, {@code needs_reauth} (Blynk refused the client) or {@code error}
   * @param error why the list is missing or incomplete ({@code unavailable}, {@code rate_limited},
   *     {@code token_rejected}), or {@code null}
   * @param devices the organization's devices, or {@code null} when not fetched (the answer to a {@code PUT})
   * @param total how many devices Blynk says the organization has, or {@code null} when not fetched
   * @param truncated whether more devices exist than were listed ({@link BlynkIntegrationService#MAX_ORG_DEVICES})
   */
  public record Platform(String server, String status, String error, List<OrgDevice> devices, Long total,
      boolean truncated) {
    public Platform {
      devices = devices == null ? null : List.copyOf(devices);
    }
  }

  /**
   * One of the organization's devices.
   *
   * @param id Blynk's device id
   * @param name its name
   * @param templateId its template, or {@code null}
   * @param online whether Blynk sees it connected, or {@code null} when Blynk could not tell
   * @param error why not ({@code unavailable}, {@code rate_limited}), or {@code null}
   */
  public record OrgDevice(long id, String name, Long templateId, Boolean online, String error) {}

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
