package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Blynk connection keeps in its {@code config} JSON, and the one place that knows its keys:
 * {@code {"server", "revision", "status", "devices": [{"name", "auth_token_encrypted"}], "platform_server"}}.
 * Tokens are ciphertexts only, each bound to its own entry ({@link #tokenField}). With an organization's platform
 * client, {@code platform_server} names the server its token and calls go to, and the shared keys of the token
 * lifecycle sit beside it: {@code client_id_encrypted}, {@code client_secret_encrypted} and {@code token_endpoint}
 * (see {@link com.nexflux.integrations.core.oauth.OAuthConnection}); without one, all four are absent.
 *
 * @param server the server the devices answered on last (a 308 to another region is remembered here)
 * @param revision a random id of the last {@code PUT}: a status recorded by a read started before a later
 *     {@code PUT} does not overwrite the new devices' status
 * @param status {@code connected}, {@code needs_reauth} or {@code error}
 * @param devices the devices, in the user's order
 * @param platformServer the server of the organization's platform client, or {@code null} when there is none
 */
public record BlynkConfig(String server, String revision, String status, List<StoredDevice> devices,
    String platformServer) {
  static final String SERVER = "server";
  static final String REVISION = "revision";
  static final String STATUS = "status";
  static final String DEVICES = "devices";
  static final String NAME = "name";
  static final String TOKEN = "auth_token_encrypted";
  static final String PLATFORM_SERVER = "platform_server";
  /** The keys of the platform client that go when it goes. */
  static final List<String> PLATFORM_KEYS = List.of(PLATFORM_SERVER,
      OAuthConnection.CLIENT_ID_FIELD + OAuthConnection.ENCRYPTED_SUFFIX,
      OAuthConnection.CLIENT_SECRET_FIELD + OAuthConnection.ENCRYPTED_SUFFIX, OAuthConnection.TOKEN_ENDPOINT_KEY);

  /** The status words a connection carries. */
  public static final String CONNECTED = "connected";
  public static final String NEEDS_REAUTH = "needs_reauth";
  public static final String ERROR = "error";

  public BlynkConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(status, "status");
    devices = List.copyOf(devices);
  }

  /**
   * One stored device.
   *
   * @param name its name
   * @param token its auth token, encrypted under {@link #tokenField(String)}
   */
  public record StoredDevice(String name, EncryptedSecret token) {
    public StoredDevice {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(token, "token");
    }
  }

  /** @return the {@code SecretContext} field of one device's token: {@code devices/<name>/auth_token} */
  public static String tokenField(String deviceName) {
    return "devices/" + deviceName + "/auth_token";
  }

  /** @return the stored device of this name */
  public Optional<StoredDevice> device(String name) {
    return devices.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** @return a copy with another status and server */
  public BlynkConfig with(String newStatus, String newServer) {
    return new BlynkConfig(newServer, revision, newStatus, devices, platformServer);
  }

  /** @return the settings of a stored {@code config} (tolerant: unknown or malformed entries are skipped) */
  public static BlynkConfig decode(Map<String, Object> config, String defaultServer) {
    String server = config.get(SERVER) instanceof String s && !s.isBlank() ? s : defaultServer;
    String revision = config.get(REVISION) instanceof String r ? r : "";
    String status = config.get(STATUS) instanceof String st ? st : CONNECTED;
    List<StoredDevice> devices = new ArrayList<>();
    if (config.get(DEVICES) instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m && m.get(NAME) instanceof String n && m.get(TOKEN) instanceof String t
            && !t.isEmpty()) {
          devices.add(new StoredDevice(n, new EncryptedSecret(t)));
        }
      }
    }
    String platform = config.get(PLATFORM_SERVER) instanceof String p && !p.isBlank() ? p : null;
    return new BlynkConfig(server, revision, status, devices, platform);
  }

  /** @return whether an organization's platform client is configured */
  public boolean hasPlatform() {
    return platformServer != null;
  }

  /** @return {@code config} with these settings written over its Blynk keys (other keys are kept) */
  public Map<String, Object> encodeOnto(Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>(config);
    out.put(SERVER, server);
    out.put(REVISION, revision);
    out.put(STATUS, status);
    List<Map<String, Object>> list = new ArrayList<>();
    for (StoredDevice d : devices) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(NAME, d.name());
      m.put(TOKEN, d.token().ciphertext());
      list.add(m);
    }
    out.put(DEVICES, list);
    if (platformServer == null) {
      PLATFORM_KEYS.forEach(out::remove);
    } else {
      out.put(PLATFORM_SERVER, platformServer);
    }
    return out;
  }
}
