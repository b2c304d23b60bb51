package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user's validated, non-secret MQTT settings. The password is kept apart, encrypted
 * ({@link MqttIntegration#password()}).
 *
 * @param enabled whether the user's own broker is in use
 * @param brokerUrl the broker
 * @param useAuthentication whether to send a user name (and password)
 * @param username the user name, {@code null} unless {@code useAuthentication}
 * @param deviceId the device's MQTT client id
 * @param topicPrefix the prefix of every device topic
 */
public record MqttSettings(
    boolean enabled,
    BrokerUrl brokerUrl,
    boolean useAuthentication,
    String username,
    String deviceId,
    String topicPrefix) {

  /** The topic prefix used when the form leaves it out. */
  public static final String DEFAULT_TOPIC_PREFIX = "nexflux/device";

  static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$");
  static final int MAX_TOPIC_PREFIX_BYTES = 256;
  static final int MAX_USERNAME_LENGTH = 256;
  static final int MAX_PASSWORD_BYTES = 1024;

  public MqttSettings {
    Objects.requireNonNull(brokerUrl, "brokerUrl");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    if (useAuthentication) {
      Objects.requireNonNull(username, "username");
    } else if (username != null) {
      throw new IllegalArgumentException("username without authentication");
    }
  }

  /**
   * Validates a submitted form. Every failing field is reported, not just the first.
   *
   * @throws ValidationException naming every failing field
   */
  public static MqttSettings validate(MqttSettingsInput in) {
    List<FieldError> errors = new ArrayList<>();
    BrokerUrl.Result url = BrokerUrl.parse("broker_url", in.brokerUrl());
    if (url.error() != null) {
      errors.add(url.error());
    }
    boolean auth = Boolean.TRUE.equals(in.useAuthentication());
    String username = null;
    if (auth) {
      if (in.username() == null || in.username().isBlank()) {
        errors.add(new FieldError("username", "is required when use_authentication is true"));
      } else if (in.username().length() > MAX_USERNAME_LENGTH) {
        errors.add(new FieldError("username", "must be at most " + MAX_USERNAME_LENGTH + " characters"));
      } else if (hasControlCharacters(in.username())) {
        errors.add(new FieldError("username", "must not contain control characters"));
      } else {
        username = in.username();
      }
      if (in.password() != null) {
        int bytes = in.password().reveal().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PASSWORD_BYTES) {
          errors.add(new FieldError("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes"));
        }
      }
    }
    if (in.deviceId() == null || in.deviceId().isEmpty()) {
      errors.add(new FieldError("device_id", "is required"));
    } else if (!DEVICE_ID.matcher(in.deviceId()).matches()) {
      errors.add(new FieldError("device_id",
          "must start with a letter or digit and contain only letters, digits, '_', '.', ':' or '-' (1-64 characters)"));
    }
    String prefix = in.topicPrefix() == null ? DEFAULT_TOPIC_PREFIX : in.topicPrefix();
    String prefixError = topicPrefixError(prefix);
    if (prefixError != null) {
      errors.add(new FieldError("topic_prefix", prefixError));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    boolean enabled = in.enabled() == null || in.enabled();
    return new MqttSettings(enabled, url.url(), auth, username, in.deviceId(), prefix);
  }

  /** @return why {@code prefix} is not a valid topic prefix, or {@code null} when it is */
  static String topicPrefixError(String prefix) {
    if (prefix.isEmpty()) {
      return "must not be empty";
    }
    if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_PREFIX_BYTES) {
      return "must be at most " + MAX_TOPIC_PREFIX_BYTES + " bytes of UTF-8";
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < prefix.length()
            && Character.isLowSurrogate(prefix.charAt(i + 1));
        if (!paired) {
          return "must be valid UTF-8 text";
        }
        i++;
        continue;
      }
      if (c == '+' || c == '#') {
        return "must not contain the wildcards '+' or '#'";
      }
      if (isControl(c)) {
        return "must not contain NUL or control characters";
      }
    }
    if (prefix.startsWith("$")) {
      return "must not start with '$' (reserved for the broker)";
    }
    if (prefix.startsWith("/")) {
      return "must not start with '/'";
    }
    if (prefix.endsWith("/")) {
      return "must not end with '/'";
    }
    if (prefix.contains("//")) {
      return "must not contain an empty level ('//')";
    }
    return null;
  }

  private static boolean hasControlCharacters(String s) {
    return s.chars().anyMatch(c -> isControl((char) c));
  }

  private static boolean isControl(char c) {
    return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
  }

  /** @return a copy with {@code enabled} set */
  public MqttSettings withEnabled(boolean value) {
    return new MqttSettings(value, brokerUrl, useAuthentication, username, deviceId, topicPrefix);
  }
}
