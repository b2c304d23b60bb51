package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The body of {@code PUT …/blynk}: the server (optional) and the devices. {@link #toString()} never shows a token.
 *
 * @param server a Blynk server host ({@code blynk.cloud}, {@code fra1.blynk.cloud}, ...), or {@code null} to keep
 *     the stored one (the default server for a first connect)
 * @param devices the devices, each a name and its auth token ({@code null} token: keep the stored one)
 */
public record BlynkSettingsInput(String server, List<DeviceInput> devices) {
  /** The most devices one user connects. */
  public static final int MAX_DEVICES = 50;
  /** The longest device name. */
  public static final int MAX_NAME_CHARS = 64;
  /** The longest auth token accepted (Blynk's are 32 characters). */
  public static final int MAX_TOKEN_CHARS = 128;

  public BlynkSettingsInput {
    devices = devices == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(devices));
  }

  /**
   * One device.
   *
   * @param name its name, unique among the user's devices (the device's id in the inventory)
   * @param authToken its device auth token, or {@code null} to keep the stored one
   */
  public record DeviceInput(String name, Secret authToken) {
    @Override
    public String toString() {
      return "DeviceInput[name=" + name + ", authToken=" + (authToken == null ? "null" : "[redacted]") + "]";
    }
  }

  /** @return the server as given, trimmed and in lower case, or {@code null} */
  public String normalizedServer() {
    return server == null ? null : server.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Checks every field and reports every failing one.
   *
   * @param servers this deployment's servers
   * @param keptTokens whether a device without a token may keep its stored one (the server is unchanged), by name
   * @return every problem, in field order; empty when the input is valid
   */
  public List<FieldError> validate(BlynkServers servers, java.util.function.Predicate<String> keptTokens) {
    Objects.requireNonNull(servers, "servers");
    List<FieldError> errors = new ArrayList<>();
    if (server != null && !servers.isAllowed(normalizedServer())) {
      errors.add(new FieldError("server", "must be one of " + String.join(", ", servers.hosts().stream().sorted()
          .toList())));
    }
    if (devices == null) {
      errors.add(new FieldError("devices", "is required"));
      return errors;
    }
    if (devices.isEmpty()) {
      errors.add(new FieldError("devices", "must list at least one device"));
    }
    if (devices.size() > MAX_DEVICES) {
      errors.add(new FieldError("devices", "must list at most " + MAX_DEVICES + " devices"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < devices.size(); i++) {
      String prefix = "devices[" + i + "].";
      DeviceInput d = devices.get(i);
      if (d == null) {
        errors.add(new FieldError("devices[" + i + "]", "must be an object"));
        continue;
      }
      String name = d.name();
      if (name == null || name.isBlank()) {
        errors.add(new FieldError(prefix + "name", "is required"));
      } else if (name.length() > MAX_NAME_CHARS) {
        errors.add(new FieldError(prefix + "name", "must be at most " + MAX_NAME_CHARS + " characters"));
      } else if (!name.equals(name.strip()) || name.chars().anyMatch(Character::isISOControl)) {
        errors.add(new FieldError(prefix + "name", "must not start or end with spaces or hold control characters"));
      } else if (name.indexOf('/') >= 0) {
        errors.add(new FieldError(prefix + "name", "must not contain '/' (the name is a path segment of the pin routes)"));
      } else if (!names.add(name.toLowerCase(Locale.ROOT))) {
        errors.add(new FieldError(prefix + "name", "is the name of another device in this list"));
      }
      Secret token = d.authToken();
      if (token == null) {
        if (name != null && !keptTokens.test(name)) {
          errors.add(new FieldError(prefix + "auth_token", "is required (a stored token is kept only for a device "
              + "of the same name on an unchanged server)"));
        }
      } else {
        String t = token.reveal();
        if (t.isEmpty() || t.length() > MAX_TOKEN_CHARS || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
          errors.add(new FieldError(prefix + "auth_token", "must be a Blynk device auth token"));
        }
      }
    }
    return errors;
  }
}
