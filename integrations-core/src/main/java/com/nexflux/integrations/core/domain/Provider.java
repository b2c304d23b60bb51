package com.nexflux.integrations.core.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * The outside services a NexFlux user can connect. {@link #key()} is the value of the
 * {@code user_integrations.provider} column, {@link #slug()} the path segment of the API.
 */
public enum Provider {
  MQTT("mqtt", "mqtt", true),
  GITHUB("github", "github", true),
  ARDUINO_CLOUD("arduino_cloud", "arduino-cloud", false),
  GOOGLE("google", "google", false),
  BLYNK("blynk", "blynk", false),
  THINGSBOARD("thingsboard", "thingsboard", false),
  ONEDRIVE("onedrive", "onedrive", false);

  private final String key;
  private final String slug;
  private final boolean available;

  Provider(String key, String slug, boolean available) {
    this.key = key;
    this.slug = slug;
    this.available = available;
  }

  /** @return the stored name, e.g. {@code arduino_cloud} */
  public String key() {
    return key;
  }

  /** @return the URL path segment, e.g. {@code arduino-cloud} */
  public String slug() {
    return slug;
  }

  /** @return whether this release implements the integration (a deployment may still lack its credentials) */
  public boolean available() {
    return available;
  }

  /** Finds a provider by its stored key. */
  public static Optional<Provider> fromKey(String key) {
    return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
  }
}
