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
 * The body of {@code PUT …/blynk}: the server (optional), the devices and, optionally, the organization's platform
 * client. {@link #toString()} never shows a token or a secret.
 *
 * @param server a Blynk server host ({@code blynk.cloud}, {@code fra1.blynk.cloud}, ...), or {@code null} to keep
 *     the stored one (the default server for a first connect)
 * @param devices the devices, each a name and its auth token ({@code null} token: keep the stored one); may be
 *     empty when a platform client is configured
 * @param clientIdGiven whether the body named {@code client_id} at all: left out, the stored platform client (if
 *     any) is kept; given as {@code null}, the stored client is removed
 * @param clientId the platform client's id, or {@code null}
 * @param clientSecret its secret, or {@code null} (keeps the stored one while {@code client_id} is unchanged)
 */
public record BlynkSettingsInput(String server, List<DeviceInput> devices, boolean clientIdGiven, String clientId,
    Secret clientSecret) {
  /** The most devices one user connects. */
  public static final int MAX_DEVICES = 50;
  /** The longest device name. */
  public static final int MAX_NAME_CHARS = 64;
  /** The longest auth token accepted (Blynk's are 32 characters). */
  public static final int MAX_TOKEN_CHARS = 128;

  /** The longest platform client id accepted (Blynk's look like {@code oa2-client-id_} and 32 characters). */
  public static final int MAX_CLIENT_ID_CHARS = 128;
  /** The longest platform client secret accepted. */
  public static final int MAX_CLIENT_SECRET_CHARS = 512;
  public static final String CLIENT_ID = "client_id";
  public static final String CLIENT_SECRET = "client_secret";

  public BlynkSettingsInput {
    devices = devices == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(devices));
  }

  /** A body without platform client fields (the stored client, if any, is kept). */
  public BlynkSettingsInput(String server, List<DeviceInput> devices) {
    this(server, devices, false, null, null);
  }

  /**
   * The organization's platform client as the {@code PUT} leaves it.
   *
   * @param clientId its id
   * @param clientSecret its secret
   * @param changed whether it differs from the stored one (a new client, or another id)
   */
  public record PlatformClient(String clientId, Secret clientSecret, boolean changed) {
    public PlatformClient {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
    }

    @Override
    public String toString() {
      return "PlatformClient[clientId=" + clientId + ", clientSecret=[redacted], changed=" + changed + "]";
    }
  }

  /**
   * Resolves the platform client against the stored one, adding every failing field to {@code errors}.
   *
   * @param storedId the stored client id, or {@code null}
   * @param storedSecret the stored secret, or {@code null}
   * @return the client after this {@code PUT}, or {@code null} for none (never stored, removed, or invalid)
   */
  public PlatformClient platformClient(String storedId, Secret storedSecret, List<FieldError> errors) {
    if (!clientIdGiven) {
      if (clientSecret != null) {
        errors.add(new FieldError(CLIENT_ID, "is required with client_secret"));
        return null;
      }
      return storedId != null && storedSecret != null ? new PlatformClient(storedId, storedSecret, false) : null;
    }
    if (clientId == null) {
      if (clientSecret != null) {
        errors.add(new FieldError(CLIENT_SECRET, "must be left out when client_id is null (which removes the "
            + "platform client)"));
      }
      return null;
    }
    String id = clientId.strip();
    boolean idOk = true;
    if (id.isEmpty()) {
      errors.add(new FieldError(CLIENT_ID, "must not be empty (null removes the platform client)"));
      idOk = false;
    } else if (id.length() > MAX_CLIENT_ID_CHARS) {
      errors.add(new FieldError(CLIENT_ID, "must be at most " + MAX_CLIENT_ID_CHARS + " characters"));
      idOk = false;
    } else if (!id.chars().allMatch(c -> c > 0x20 && c < 0x7f) || id.indexOf(':') >= 0) {
      errors.add(new FieldError(CLIENT_ID, "must be a Blynk OAuth client id (printable, no spaces or ':')"));
      idOk = false;
    }
    Secret secret = clientSecret;
    if (secret == null) {
      if (storedId == null || storedSecret == null) {
        errors.add(new FieldError(CLIENT_SECRET, "is required"));
      } else if (idOk && !id.equals(storedId)) {
        errors.add(new FieldError(CLIENT_SECRET, "is required when client_id changes"));
      } else {
        secret = storedSecret;
      }
    } else if (secret.isEmpty() || secret.reveal().isBlank()) {
      errors.add(new FieldError(CLIENT_SECRET, "must not be empty"));
      secret = null;
    } else if (secret.reveal().length() > MAX_CLIENT_SECRET_CHARS
        || secret.reveal().chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError(CLIENT_SECRET, "must be at most " + MAX_CLIENT_SECRET_CHARS
          + " characters without control characters"));
      secret = null;
    }
    if (!idOk || secret == null) {
      return null;
    }
    boolean changed = clientSecret != null || !id.equals(storedId);
    return new PlatformClient(id, secret, changed);
  }

  @Override
  public String toString() {
    return "BlynkSettingsInput[server=" + server + ", devices=" + devices + ", clientIdGiven=" + clientIdGiven
        + ", clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "null" : "[redacted]") + "]";
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
    return validate(servers, keptTokens, false);
  }

  /**
   * As {@link #validate(BlynkServers, java.util.function.Predicate)}, the device list allowed empty when
   * {@code platform} (a platform client lists the organization's devices).
   */
  public List<FieldError> validate(BlynkServers servers, java.util.function.Predicate<String> keptTokens,
      boolean platform) {
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
    if (devices.isEmpty() && !platform) {
      errors.add(new FieldError("devices", "must list at least one device (or may be empty with a platform "
          + "client, client_id and client_secret)"));
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
