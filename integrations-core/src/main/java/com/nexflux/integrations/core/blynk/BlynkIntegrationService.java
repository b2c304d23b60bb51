package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.audit.AuditLog;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretCipher;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.oauth.AccessTokens;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Blynk's use cases over the shared connection rows ({@code user_integrations}, provider {@code blynk}), the
 * cipher and Blynk's device API. Every token is checked before anything is stored; each is encrypted on its own,
 * bound to its device entry; the server a 308 led to is remembered. No token reaches a message, a log line or an
 * audit row. Thread-safe.
 */
public final class BlynkIntegrationService implements BlynkIntegrations {
  /** The audit action of a pin write. */
  public static final String WRITE_ACTION = "integration.device_write";

  private final OAuthConnectionRepository connections;
  private final AuditLog audit;
  private final SecretCipher cipher;
  private final BlynkDeviceApi api;
  private final BlynkServers servers;
  private final Clock clock;
  private final BlynkPlatformApi platform;
  private final AccessTokens tokens;

  /** Without the platform API: a {@code PUT} naming a platform client is refused ({@code client_id}). */
  public BlynkIntegrationService(OAuthConnectionRepository connections, AuditLog audit, SecretCipher cipher,
      BlynkDeviceApi api, BlynkServers servers, Clock clock) {
    this(connections, audit, cipher, api, servers, clock, null, null);
  }

  /**
   * @param platform Blynk's platform API (the connect-time token check and the organization's devices), or
   *     {@code null} without it
   * @param tokens the shared token lifecycle, which renews the platform client's tokens (Blynk registered as a
   *     client credentials provider); {@code null} exactly when {@code platform} is
   */
  public BlynkIntegrationService(OAuthConnectionRepository connections, AuditLog audit, SecretCipher cipher,
      BlynkDeviceApi api, BlynkServers servers, Clock clock, BlynkPlatformApi platform, AccessTokens tokens) {
    if ((platform == null) != (tokens == null)) {
      throw new IllegalArgumentException("the platform API and the token lifecycle go together");
    }
    this.platform = platform;
    this.tokens = tokens;
    this.connections = Objects.requireNonNull(connections, "connections");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.api = Objects.requireNonNull(api, "api");
    this.servers = Objects.requireNonNull(servers, "servers");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** @return the user's stored settings, when connected */
  Optional<Stored> stored(UserId user) {
    return connections.find(user, Provider.BLYNK)
        .map(c -> new Stored(c, BlynkConfig.decode(c.config(), servers.defaultHost())));
  }

  /** A stored row and its decoded settings. */
  record Stored(OAuthConnection connection, BlynkConfig config) {}

  @Override
  public BlynkView put(UserId user, BlynkSettingsInput input, RequestContext context) {
    Objects.requireNonNull(input, "input");
    Optional<Stored> stored = stored(user);
    String storedServer = stored.map(s -> s.config().server()).orElse(null);
    String requested = input.normalizedServer();
    String server = requested != null ? requested : storedServer != null ? storedServer : servers.defaultHost();
    boolean sameServer = storedServer != null && storedServer.equals(server);
    String storedClientId = stored.map(s -> storedClient(s, OAuthConnection.CLIENT_ID_FIELD))
        .map(Secret::reveal).orElse(null);
    Secret storedClientSecret = stored.map(s -> storedClient(s, OAuthConnection.CLIENT_SECRET_FIELD)).orElse(null);
    List<FieldError> clientErrors = new ArrayList<>();
    BlynkSettingsInput.PlatformClient client = input.platformClient(storedClientId, storedClientSecret,
        clientErrors);
    if (client != null && platform == null) {
      clientErrors.add(new FieldError(BlynkSettingsInput.CLIENT_ID, "Blynk's platform API is not available on "
          + "this deployment"));
      client = null;
    }
    boolean withPlatform = client != null || (!clientErrors.isEmpty() && input.clientIdGiven()
        && input.clientId() != null);
    List<FieldError> errors = new ArrayList<>(input.validate(servers,
        name -> sameServer && stored.get().config().device(name).isPresent(), withPlatform));
    errors.addAll(clientErrors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    List<BlynkSettingsInput.DeviceInput> devices = input.devices();
    List<Secret> tokens = new ArrayList<>();
    for (BlynkSettingsInput.DeviceInput d : devices) {
      tokens.add(d.authToken() != null ? d.authToken()
          : decrypt(user, stored.get().config().device(d.name()).orElseThrow(), context));
    }
    String current = server;
    List<Boolean> online = new ArrayList<>();
    List<FieldError> refused = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      try {
        BlynkDeviceApi.Reply<Boolean> reply = api.isHardwareConnected(current, tokens.get(i));
        current = followed(reply.server(), current);
        online.add(reply.value());
      } catch (BlynkRejectedException e) {
        online.add(null);
        refused.add(new FieldError("devices[" + i + "].auth_token", "was refused by Blynk: " + e.blynkMessage()));
      }
    }
    TokenSet platformToken = null;
    if (client != null) {
      // the client is tried on the server the devices answered on (a token request; nothing is stored yet)
      try {
        platformToken = platform.token(current, client.clientId(), client.clientSecret());
      } catch (CredentialsRejectedException e) {
        refused.add(new FieldError(BlynkSettingsInput.CLIENT_ID, "Blynk refused this client id and secret"));
        refused.add(new FieldError(BlynkSettingsInput.CLIENT_SECRET, "Blynk refused this client id and secret"));
      }
    }
    if (!refused.isEmpty()) {
      throw new ValidationException(refused);
    }
    List<BlynkConfig.StoredDevice> sealed = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      String name = devices.get(i).name();
      sealed.add(new BlynkConfig.StoredDevice(name, cipher.encrypt(tokens.get(i),
          new SecretContext(user, Provider.BLYNK, BlynkConfig.tokenField(name)))));
    }
    Instant now = clock.instant();
    BlynkConfig config = new BlynkConfig(current, UUID.randomUUID().toString(), BlynkConfig.CONNECTED, sealed,
        client == null ? null : current);
    Map<String, Object> base = stored.map(s -> s.connection().config()).orElse(Map.of());
    Map<String, Object> encoded = config.encodeOnto(base);
    if (client != null) {
      encoded.put(OAuthConnection.TOKEN_ENDPOINT_KEY, servers.tokenEndpointOf(current).toString());
    }
    OAuthConnection connection = new OAuthConnection(user, Provider.BLYNK, ConnectionStatus.CONNECTED, null,
        platformToken == null ? null : cipher.encrypt(platformToken.accessToken(),
            new SecretContext(user, Provider.BLYNK, OAuthConnection.ACCESS_TOKEN_FIELD)),
        null, platformToken == null ? null : platformToken.expiresAt(), null, List.of(), encoded,
        stored.map(s -> s.connection().connectedAt()).orElse(now), now,
        stored.map(s -> s.connection().credentialsVersion() + 1).orElse(0L));
    if (client != null) {
      connection = connection
          .withStoredCredential(OAuthConnection.CLIENT_ID_FIELD, cipher.encrypt(Secret.of(client.clientId()),
              new SecretContext(user, Provider.BLYNK, OAuthConnection.CLIENT_ID_FIELD)), now)
          .withStoredCredential(OAuthConnection.CLIENT_SECRET_FIELD, cipher.encrypt(client.clientSecret(),
              new SecretContext(user, Provider.BLYNK, OAuthConnection.CLIENT_SECRET_FIELD)), now);
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("server", current);
    details.put("devices", Integer.toString(devices.size()));
    details.put("platform_client", client == null ? "none" : client.changed() ? "changed" : "kept");
    connections.save(connection, event(user, stored.isPresent() ? AuditEvent.Actions.UPDATE
        : AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS, null, context, details));
    List<BlynkView.Device> views = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      views.add(new BlynkView.Device(devices.get(i).name(), online.get(i), null, null));
    }
    BlynkView.Platform platformView = client == null ? null
        : new BlynkView.Platform(current, BlynkConfig.CONNECTED, null, null, null, false);
    return new BlynkView(true, current, BlynkConfig.CONNECTED, views, now, platformView);
  }

  /** @return a stored platform client field, or {@code null} (none, or unreadable: then it must be sent again) */
  private Secret storedClient(Stored stored, String field) {
    EncryptedSecret value = stored.connection().storedCredential(field);
    if (value == null) {
      return null;
    }
    try {
      return cipher.decrypt(value, new SecretContext(stored.connection().userId(), Provider.BLYNK, field));
    } catch (SecretUnreadableException e) {
      audit.append(event(stored.connection().userId(), AuditEvent.Actions.DECRYPT_FAILED,
          AuditEvent.Outcome.FAILURE, "decrypt_failed", RequestContext.internal(null), Map.of("field", field)));
      return null;
    }
  }

  @Override
  public BlynkView get(UserId user) {
    Optional<Stored> found = stored(user);
    if (found.isEmpty()) {
      return BlynkView.notConfigured();
    }
    BlynkConfig config = found.get().config();
    String current = config.server();
    boolean rejected = false;
    boolean failed = false;
    List<BlynkView.Device> views = new ArrayList<>();
    for (BlynkConfig.StoredDevice d : config.devices()) {
      Secret token;
      try {
        token = decrypt(user, d, RequestContext.internal(null));
      } catch (SecretUnreadableException e) {
        failed = true;
        views.add(new BlynkView.Device(d.name(), null, null, "credentials_unreadable"));
        continue;
      }
      try {
        BlynkDeviceApi.Reply<Boolean> online = api.isHardwareConnected(current, token);
        current = followed(online.server(), current);
        BlynkDeviceApi.Reply<Map<String, Object>> values = api.getAll(current, token);
        current = followed(values.server(), current);
        views.add(new BlynkView.Device(d.name(), online.value(), values.value(), null));
      } catch (BlynkRejectedException e) {
        if (e.reason() == BlynkRejectedException.Reason.INVALID_TOKEN) {
          rejected = true;
          views.add(new BlynkView.Device(d.name(), null, null, "token_rejected"));
        } else {
          failed = true;
          views.add(new BlynkView.Device(d.name(), null, null, "unavailable"));
        }
      } catch (RateLimitedException e) {
        failed = true;
        views.add(new BlynkView.Device(d.name(), null, null, "rate_limited"));
      } catch (UnavailableException e) {
        failed = true;
        views.add(new BlynkView.Device(d.name(), null, null, "unavailable"));
      }
    }
    BlynkView.Platform org = null;
    if (config.hasPlatform()) {
      org = platformView(found.get());
      rejected |= BlynkConfig.NEEDS_REAUTH.equals(org.status());
      failed |= org.error() != null;
    }
    String status = rejected ? BlynkConfig.NEEDS_REAUTH : failed ? BlynkConfig.ERROR : BlynkConfig.CONNECTED;
    record(user, config, status, current);
    return new BlynkView(true, current, status, views, clock.instant(), org);
  }

  /** The most organization devices one read lists (pages of {@link BlynkPlatformApi#PAGE_SIZE}). */
  public static final int MAX_ORG_DEVICES = 1000;

  /**
   * The organization's devices with their online state, asked from Blynk now with a token from the shared
   * lifecycle: every page up to {@link #MAX_ORG_DEVICES}, then each device's {@code online}, one after the other
   * (at most 1,010 calls, a tenth of Blynk's 10,000 a minute per organization). A 429 stops the read where it is:
   * the devices listed so far are shown, those not yet asked without an online state.
   */
  BlynkView.Platform platformView(Stored stored) {
    String server = stored.config().platformServer();
    if (platform == null) {
      return new BlynkView.Platform(server, BlynkConfig.ERROR, "unavailable", List.of(), null, false);
    }
    if (stored.connection().status() == ConnectionStatus.NEEDS_REAUTH) {
      return new BlynkView.Platform(server, BlynkConfig.NEEDS_REAUTH, null, List.of(), null, false);
    }
    UserId user = stored.connection().userId();
    Secret token;
    try {
      token = tokens.accessToken(user, Provider.BLYNK);
    } catch (ReauthRequiredException e) {
      return new BlynkView.Platform(server, BlynkConfig.NEEDS_REAUTH, null, List.of(), null, false);
    } catch (RateLimitedException e) {
      return new BlynkView.Platform(server, BlynkConfig.ERROR, "rate_limited", List.of(), null, false);
    } catch (UnavailableException | SecretUnreadableException e) {
      return new BlynkView.Platform(server, BlynkConfig.ERROR, "unavailable", List.of(), null, false);
    }
    List<BlynkPlatformApi.OrgDevice> listed = new ArrayList<>();
    Long total = null;
    String error = null;
    try {
      for (int page = 0; listed.size() < MAX_ORG_DEVICES; page++) {
        BlynkPlatformApi.Page p = platform.devices(server, token, page, BlynkPlatformApi.PAGE_SIZE);
        total = p.totalElements();
        for (BlynkPlatformApi.OrgDevice d : p.devices()) {
          if (listed.size() < MAX_ORG_DEVICES) {
            listed.add(d);
          }
        }
        if (p.devices().isEmpty() || listed.size() >= p.totalElements()) {
          break;
        }
      }
    } catch (CredentialsRejectedException e) {
      error = "token_rejected";
    } catch (RateLimitedException e) {
      error = "rate_limited";
    } catch (UnavailableException e) {
      error = "unavailable";
    }
    List<BlynkView.OrgDevice> views = new ArrayList<>();
    boolean limited = "rate_limited".equals(error);
    for (BlynkPlatformApi.OrgDevice d : listed) {
      Boolean online = null;
      String deviceError = limited ? "rate_limited" : null;
      if (!limited && error == null) {
        try {
          online = platform.online(server, token, d.id());
        } catch (RateLimitedException e) {
          limited = true;
          error = "rate_limited";
          deviceError = "rate_limited";
        } catch (CredentialsRejectedException | UnavailableException e) {
          deviceError = "unavailable";
        }
      } else if (!limited) {
        deviceError = error;
      }
      views.add(new BlynkView.OrgDevice(d.id(), d.name(), d.templateId(), online, deviceError));
    }
    boolean truncated = total != null && total > listed.size() && error == null;
    return new BlynkView.Platform(server, error == null ? BlynkConfig.CONNECTED : BlynkConfig.ERROR, error, views,
        total, truncated);
  }

  /** @return the organization's devices for the device inventory (none without a platform client) */
  Optional<BlynkView.Platform> platformDevices(UserId user) {
    return stored(user).filter(s -> s.config().hasPlatform()).map(this::platformView);
  }

  @Override
  public void delete(UserId user, RequestContext context) {
    connections.delete(user, Provider.BLYNK, event(user, AuditEvent.Actions.DISCONNECT, AuditEvent.Outcome.SUCCESS,
        null, context, Map.of()));
  }

  @Override
  public void writePin(UserId user, String device, String pin, String value, RequestContext context) {
    Map<String, String> one = new LinkedHashMap<>();
    one.put(pin, value);
    write(user, device, one, false, context);
  }

  @Override
  public void writePins(UserId user, String device, Map<String, String> values, RequestContext context) {
    write(user, device, values, true, context);
  }

  private void write(UserId user, String device, Map<String, String> values, boolean batch,
      RequestContext context) {
    Objects.requireNonNull(values, "values");
    Map<BlynkPin, String> pins = new LinkedHashMap<>();
    Map<BlynkPin, String> fields = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    if (values.isEmpty()) {
      errors.add(new FieldError("values", "must name at least one pin"));
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      String field = batch ? "values." + e.getKey() : "pin";
      Optional<BlynkPin> pin = BlynkPin.parse(e.getKey());
      if (pin.isEmpty()) {
        errors.add(new FieldError(field, "must be a virtual pin, V0 to V255"));
      } else if (pins.containsKey(pin.get())) {
        errors.add(new FieldError(field, "names a pin given twice"));
      } else if (e.getValue() == null) {
        errors.add(new FieldError(batch ? field : "value", "is required"));
      } else {
        pins.put(pin.get(), e.getValue());
        fields.put(pin.get(), field);
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    Stored stored = stored(user).orElseThrow(() -> new NotFoundException("No Blynk device of that name"));
    BlynkConfig.StoredDevice target = stored.config().device(device)
        .orElseThrow(() -> new NotFoundException("No Blynk device of that name"));
    Secret token = decrypt(user, target, context);
    String server = stored.config().server();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("device", device);
    details.put("pins", String.join(",", pins.keySet().stream().map(BlynkPin::label).toList()));
    try {
      BlynkDeviceApi.Reply<Void> reply = api.update(server, token, pins);
      record(user, stored.config(), stored.config().status(), followed(reply.server(), server));
    } catch (BlynkRejectedException e) {
      audit.append(event(user, WRITE_ACTION, AuditEvent.Outcome.FAILURE, reasonKey(e), context, details));
      if (e.reason() == BlynkRejectedException.Reason.INVALID_TOKEN) {
        record(user, stored.config(), BlynkConfig.NEEDS_REAUTH, server);
        throw new ReauthRequiredException(Provider.BLYNK);
      }
      if (pins.size() == 1) {
        BlynkPin only = pins.keySet().iterator().next();
        throw ValidationException.of(fields.get(only), only.label() + ": " + e.blynkMessage());
      }
      // Blynk's answer to a batch does not say which pin it refused
      throw ValidationException.of("values", "Blynk refused one of the pins "
          + String.join(", ", pins.keySet().stream().map(BlynkPin::label).toList()) + ": " + e.blynkMessage());
    }
    audit.append(event(user, WRITE_ACTION, AuditEvent.Outcome.SUCCESS, null, context, details));
  }

  private static String reasonKey(BlynkRejectedException e) {
    return e.reason().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** @return the server a reply came from when it is one of ours (the adapter only follows to those) */
  private String followed(String answered, String asked) {
    return servers.isAllowed(answered) ? answered.toLowerCase(java.util.Locale.ROOT) : asked;
  }

  /**
   * Records a new status or server under the row lock, unless a {@code PUT} replaced the devices since they were
   * read (another revision).
   */
  private void record(UserId user, BlynkConfig read, String status, String server) {
    if (read.status().equals(status) && read.server().equals(server)) {
      return;
    }
    connections.changeConfig(user, Provider.BLYNK, config -> {
      BlynkConfig now = BlynkConfig.decode(config, servers.defaultHost());
      return now.revision().equals(read.revision()) ? now.with(status, server).encodeOnto(config) : config;
    }, clock.instant(), null);
  }

  /** @return one device's stored token */
  Secret decrypt(UserId user, BlynkConfig.StoredDevice device, RequestContext context) {
    String field = BlynkConfig.tokenField(device.name());
    try {
      return cipher.decrypt(device.token(), new SecretContext(user, Provider.BLYNK, field));
    } catch (SecretUnreadableException e) {
      throw audit.appendFor(event(user, AuditEvent.Actions.DECRYPT_FAILED, AuditEvent.Outcome.FAILURE,
          "decrypt_failed", context, Map.of("field", field)), e);
    }
  }

  /** @return the user's devices with their stored tokens, for the device inventory */
  List<Map.Entry<String, Secret>> tokens(UserId user) {
    Optional<Stored> stored = stored(user);
    if (stored.isEmpty()) {
      return List.of();
    }
    List<Map.Entry<String, Secret>> out = new ArrayList<>();
    for (BlynkConfig.StoredDevice d : stored.get().config().devices()) {
      Secret token;
      try {
        token = decrypt(user, d, RequestContext.internal(null));
      } catch (SecretUnreadableException e) {
        token = null;
      }
      out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(d.name(), token));
    }
    return out;
  }

  /** @return the server the user's devices live on, or the default */
  String serverOf(UserId user) {
    return stored(user).map(s -> s.config().server()).orElse(servers.defaultHost());
  }

  BlynkDeviceApi api() {
    return api;
  }

  private AuditEvent event(UserId user, String action, AuditEvent.Outcome outcome, String reason,
      RequestContext context, Map<String, String> details) {
    return new AuditEvent(UUID.randomUUID(), user, Provider.BLYNK, action, outcome, reason, context, clock.instant(),
        details);
  }
}
