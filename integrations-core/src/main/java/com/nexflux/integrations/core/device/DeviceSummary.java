package com.nexflux.integrations.core.device;

import com.nexflux.integrations.core.domain.Provider;
import java.time.Instant;
import java.util.Objects;

/**
 * One device of one user at one provider, as the cross-provider inventory shows it.
 *
 * @param provider where the device lives
 * @param id the provider's id of the device (Arduino's device UUID, a Blynk device name, a ThingsBoard device id,
 *     the MQTT device id)
 * @param name its display name
 * @param type the provider's device or board type, or {@code null}
 * @param status {@code online}, {@code offline} or {@code unknown}
 * @param lastActivity when the provider last heard from it, or {@code null} when it cannot tell
 */
public record DeviceSummary(Provider provider, String id, String name, String type, String status,
    Instant lastActivity) {
  /** The statuses a summary may carry. */
  public static final String ONLINE = "online";
  public static final String OFFLINE = "offline";
  public static final String UNKNOWN = "unknown";

  public DeviceSummary {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(id, "id");
    name = name == null ? id : name;
    if (!(ONLINE.equals(status) || OFFLINE.equals(status) || UNKNOWN.equals(status))) {
      throw new IllegalArgumentException("status must be online, offline or unknown");
    }
  }
}
