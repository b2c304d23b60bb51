package com.nexflux.integrations.core.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An outside service a NexFlux user can connect, named by its stored key. {@link #key()} is the value of the
 * {@code user_integrations.provider} column (and of the audit log's and the OAuth tables' {@code provider}),
 * {@link #slug()} the path segment of the API: the key with {@code _} written as {@code -}.
 *
 * <p>A value, compared by key. The providers this release knows are constants; a host service or a test may name
 * another one ({@link #of}) and register a provider module for it: nothing shared needs to know it.
 *
 * @param key lower-case letters, digits and {@code _}, starting with a letter, at most 32 characters
 */
public record Provider(String key) {
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  public static final Provider MQTT = new Provider("mqtt");
  public static final Provider GITHUB = new Provider("github");
  public static final Provider ARDUINO_CLOUD = new Provider("arduino_cloud");
  public static final Provider GOOGLE = new Provider("google");
  public static final Provider BLYNK = new Provider("blynk");
  public static final Provider THINGSBOARD = new Provider("thingsboard");
  public static final Provider ONEDRIVE = new Provider("onedrive");

  private static final List<Provider> KNOWN = List.of(MQTT, GITHUB, ARDUINO_CLOUD, GOOGLE, BLYNK, THINGSBOARD, ONEDRIVE);

  public Provider {
    Objects.requireNonNull(key, "key");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("a provider key is 1-32 of [a-z0-9_], starting with a letter");
    }
  }

  /** @return the provider with this key; throws {@link IllegalArgumentException} for a malformed key */
  public static Provider of(String key) {
    return new Provider(key);
  }

  /** @return the URL path segment, e.g. {@code arduino-cloud} */
  public String slug() {
    return key.replace('_', '-');
  }

  /** @return the providers this release knows, in the overview's order (the spec's list) */
  public static List<Provider> known() {
    return KNOWN;
  }

  /** @return the provider of a well-formed stored key, or empty for a malformed one */
  public static Optional<Provider> fromKey(String key) {
    return key != null && KEY.matcher(key).matches() ? Optional.of(new Provider(key)) : Optional.empty();
  }

  /** @return the provider whose {@link #slug()} this is, or empty for a malformed slug */
  public static Optional<Provider> fromSlug(String slug) {
    return slug == null || slug.indexOf('_') >= 0 ? Optional.empty() : fromKey(slug.replace('-', '_'));
  }

  @Override
  public String toString() {
    return key;
  }
}
