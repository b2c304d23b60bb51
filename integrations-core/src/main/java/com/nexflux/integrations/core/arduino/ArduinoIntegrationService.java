package com.nexflux.integrations.core.arduino;

import com.nexflux.integrations.core.audit.AuditLog;
import com.nexflux.integrations.core.device.DeviceSource;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretCipher;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.oauth.AccessTokens;
import com.nexflux.integrations.core.oauth.ConnectionDisconnect;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.oauth.TokenSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arduino Cloud's use cases. The user's client id and secret are stored encrypted in their {@code user_integrations}
 * row ({@link OAuthConnection#CLIENT_ID_FIELD}, {@link OAuthConnection#CLIENT_SECRET_FIELD}, each bound to row and
 * field); tokens come from the engine's client credentials strategy ({@link AccessTokens}), which requests a new one
 * when the 300 s token is about to expire and marks the row {@code needs_reauth} only when Arduino refuses the key.
 *
 * <p>Device and thing lists are cached per connection for {@code cacheTtl}; a write (connect, publish, disconnect)
 * drops the connection's entry, {@code refresh} bypasses it. A failed fetch records
 * {@value #LAST_ERROR_KEY} in the row (status {@code error}); the next good one clears it.
 */
public final class ArduinoIntegrationService implements ArduinoIntegrations, DeviceSource {
  static final Provider PROVIDER = Provider.ARDUINO_CLOUD;
  /** The config key holding the organization id. */
  public static final String ORGANIZATION_KEY = "organization_id";
  /** Arduino's header naming the organization, on the token request and on every API call. */
  public static final String ORGANIZATION_HEADER = "X-Organization";
  /** The config key marking that the last call to Arduino failed (its error code). */
  public static final String LAST_ERROR_KEY = "last_error";

  /** The audit action of an OTA upload. */
  public static final String OTA_ACTION = "integration.device_ota";

  private final OAuthConnectionRepository connections;
  private final AuditLog audit;
  private final AccessTokens tokens;
  private final ConnectionDisconnect disconnects;
  private final ArduinoApi api;
  private final SecretCipher cipher;
  private final Clock clock;
  private final Duration cacheTtl;
  private final Map<UserId, Lists> cache = new ConcurrentHashMap<>();

  /** One connection's cached lists. */
  private record Lists(List<ArduinoDevice> devices, List<ArduinoThing> things, Instant fetchedAt) {}

  /** @param cacheTtl how long device and thing lists are reused ({@link Duration#ZERO}: never) */
  public ArduinoIntegrationService(OAuthConnectionRepository connections, AuditLog audit, AccessTokens tokens,
      ConnectionDisconnect disconnects, ArduinoApi api, SecretCipher cipher, Clock clock, Duration cacheTtl) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.disconnects = Objects.requireNonNull(disconnects, "disconnects");
    this.api = Objects.requireNonNull(api, "api");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
  }

  /** @return the status word of a stored connection */
  static String statusOf(OAuthConnection c) {
    if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
      return ConnectionStatus.NEEDS_REAUTH.key();
    }
    return c.config().get(LAST_ERROR_KEY) != null ? "error" : ConnectionStatus.CONNECTED.key();
  }

  @Override
  public ArduinoView view(UserId user, boolean refresh) {
    Objects.requireNonNull(user, "user");
    Optional<OAuthConnection> found = connections.find(user, PROVIDER);
    if (found.isEmpty()) {
      return new ArduinoView(false, "not_configured", null, null, null, List.of(), List.of(), null);
    }
    OAuthConnection c = found.get();
    if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
      return notConnected(c);
    }
    Lists lists;
    try {
      lists = lists(user, c, refresh);
    } catch (ReauthRequiredException e) {
      return notConnected(connections.find(user, PROVIDER).orElse(c));
    }
    OAuthConnection now = connections.find(user, PROVIDER).orElse(c);
    return new ArduinoView(true, statusOf(now), null, organization(c), c.connectedAt(), lists.devices(),
        lists.things(), lists.fetchedAt());
  }

  private static ArduinoView notConnected(OAuthConnection c) {
    return new ArduinoView(false, statusOf(c), null, organization(c), c.connectedAt(), List.of(), List.of(), null);
  }

  @Override
  public List<DeviceSummary> devices(UserId user, boolean refresh) {
    Objects.requireNonNull(user, "user");
    Optional<OAuthConnection> found = connections.find(user, PROVIDER);
    if (found.isEmpty()) {
      return List.of();
    }
    return lists(user, found.get(), refresh).devices().stream()
        .map(d -> new DeviceSummary(PROVIDER, d.id(), d.name(), d.type(), d.status(), d.lastActivity()))
        .toList();
  }

  @Override
  public Provider provider() {
    return PROVIDER;
  }

  @Override
  public ArduinoView connect(UserId user, ArduinoSettings.Input input, RequestContext context) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(context, "context");
    Optional<OAuthConnection> existing = connections.find(user, PROVIDER);
    String storedId = existing.map(c -> stored(c, OAuthConnection.CLIENT_ID_FIELD)).map(Secret::reveal).orElse(null);
    Secret storedSecret = existing.map(c -> stored(c, OAuthConnection.CLIENT_SECRET_FIELD)).orElse(null);
    ArduinoSettings settings = ArduinoSettings.validate(input, storedId, storedSecret);
    TokenSet token;
    try {
      token = api.token(user, settings.clientId(), settings.clientSecret(), settings.organizationId());
    } catch (CredentialsRejectedException e) {
      throw new ValidationException(List.of(
          new FieldError(ArduinoSettings.CLIENT_ID, "Arduino Cloud refused this client id and secret"),
          new FieldError(ArduinoSettings.CLIENT_SECRET, "Arduino Cloud refused this client id and secret")));
    }
    Instant now = clock.instant();
    Map<String, Object> config = new LinkedHashMap<>();
    if (settings.organizationId() != null) {
      config.put(ORGANIZATION_KEY, settings.organizationId());
      // every renewed token is asked for the organization too (TokenService reads these two keys)
      config.put(OAuthConnection.TOKEN_PARAMETERS_KEY, Map.of(ORGANIZATION_KEY, settings.organizationId()));
      config.put(OAuthConnection.TOKEN_HEADERS_KEY, Map.of(ORGANIZATION_HEADER, settings.organizationId()));
    }
    OAuthConnection connection = new OAuthConnection(user, PROVIDER, ConnectionStatus.CONNECTED, null,
        cipher.encrypt(token.accessToken(), context(user, OAuthConnection.ACCESS_TOKEN_FIELD)), null,
        token.expiresAt(), null, List.of(), config, existing.map(OAuthConnection::connectedAt).orElse(now), now,
        existing.map(c -> c.credentialsVersion() + 1).orElse(1L))
        .withStoredCredential(OAuthConnection.CLIENT_ID_FIELD, encrypt(user, OAuthConnection.CLIENT_ID_FIELD,
            Secret.of(settings.clientId())), now)
        .withStoredCredential(OAuthConnection.CLIENT_SECRET_FIELD, encrypt(user,
            OAuthConnection.CLIENT_SECRET_FIELD, settings.clientSecret()), now);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("organization", settings.organizationId() == null ? "none" : settings.organizationId());
    details.put("client_id_changed", Boolean.toString(storedId != null && !storedId.equals(settings.clientId())));
    connections.save(connection, new AuditEvent(UUID.randomUUID(), user, PROVIDER,
        existing.isPresent() ? AuditEvent.Actions.UPDATE : AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS,
        null, context, now, details));
    cache.remove(user);
    try {
      return view(user, true);
    } catch (UnavailableException | com.nexflux.integrations.core.error.RateLimitedException e) {
      // stored: the answer says so, with the lists left for the next GET (status error when Arduino failed)
      OAuthConnection stored = connections.find(user, PROVIDER).orElse(connection);
      return new ArduinoView(true, statusOf(stored), null, organization(stored), stored.connectedAt(), List.of(),
          List.of(), null);
    }
  }

  @Override
  public ArduinoView.Device device(UserId user, String deviceId, boolean refresh) {
    OAuthConnection c = connection(user);
    Lists lists = lists(user, c, refresh);
    ArduinoDevice device = lists.devices().stream().filter(d -> d.id().equals(deviceId)).findFirst()
        .orElseThrow(() -> new NotFoundException("No such Arduino Cloud device"));
    ArduinoThing thing = lists.things().stream()
        .filter(t -> t.id().equals(device.thingId()) || deviceId.equals(t.deviceId())).findFirst().orElse(null);
    List<ArduinoProperty> properties = thing == null ? List.of()
        : tracked(user, () -> api.properties(call(user, c), thing.id()));
    return new ArduinoView.Device(device, thing, properties, clock.instant());
  }

  @Override
  public void publish(UserId user, String thingId, String propertyId, Object value, RequestContext context) {
    Objects.requireNonNull(context, "context");
    OAuthConnection c = connection(user);
    ArduinoApi.Call call = call(user, c);
    // the thing must be one of this user's: its properties are read with the user's own token
    List<ArduinoProperty> properties = tracked(user, () -> api.properties(call, thingId));
    ArduinoProperty property = properties.stream().filter(p -> p.id().equals(propertyId)).findFirst()
        .orElseThrow(() -> new NotFoundException("No such property of this thing"));
    if (!property.writable()) {
      throw ValidationException.of("value", "the property " + safeName(property) + " is read-only");
    }
    tracked(user, () -> {
      api.publish(call, thingId, propertyId, value);
      return null;
    });
    cache.remove(user);
  }

  @Override
  public ArduinoOta.Result uploadOta(UserId user, String deviceId, ArduinoOta.Binary binary,
      RequestContext context) {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(context, "context");
    OAuthConnection c = connection(user);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("device_id", deviceId);
    details.put("bytes", Long.toString(binary.size()));
    ArduinoOta.Result result;
    try {
      // no listing first: the user's own token only reaches the user's own devices (Arduino answers 404)
      ArduinoApi.Call call = call(user, c);
      result = tracked(user, () -> api.uploadOta(call, deviceId, binary));
    } catch (IntegrationsException e) {
      audit.append(new AuditEvent(UUID.randomUUID(), user, PROVIDER, OTA_ACTION, AuditEvent.Outcome.FAILURE,
          e.code().toLowerCase(java.util.Locale.ROOT), context, clock.instant(), details));
      throw e;
    }
    if (result.otaId() != null) {
      details.put("ota_id", result.otaId());
    }
    audit.append(new AuditEvent(UUID.randomUUID(), user, PROVIDER, OTA_ACTION, AuditEvent.Outcome.SUCCESS, null,
        context, clock.instant(), details));
    cache.remove(user);
    return result;
  }

  @Override
  public void disconnect(UserId user, RequestContext context) {
    cache.remove(user);
    disconnects.disconnect(user, PROVIDER, context);
    cache.remove(user);
  }

  private static String safeName(ArduinoProperty p) {
    String n = p.variableName() != null ? p.variableName() : p.name();
    return n == null ? p.id() : n.length() > 64 ? n.substring(0, 64) : n;
  }

  private OAuthConnection connection(UserId user) {
    Objects.requireNonNull(user, "user");
    OAuthConnection c = connections.find(user, PROVIDER)
        .orElseThrow(() -> new NotFoundException("Arduino Cloud is not connected"));
    if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
      throw new ReauthRequiredException(PROVIDER);
    }
    return c;
  }

  private Lists lists(UserId user, OAuthConnection c, boolean refresh) {
    Lists cached = cache.get(user);
    Instant now = clock.instant();
    if (!refresh && cached != null && now.isBefore(cached.fetchedAt().plus(cacheTtl))) {
      return cached;
    }
    ArduinoApi.Call call = call(user, c);
    Lists fresh = tracked(user, () -> {
      List<ArduinoDevice> devices = api.devices(call);
      List<ArduinoThing> things = api.things(call);
      return new Lists(devices, things, clock.instant());
    });
    if (!cacheTtl.isZero()) {
      cache.put(user, fresh);
    }
    return fresh;
  }

  /** Runs a call to Arduino, recording a failure in the row ({@code error}) and clearing it after a success. */
  private <T> T tracked(UserId user, java.util.function.Supplier<T> work) {
    T result;
    try {
      result = work.get();
    } catch (UnavailableException e) {
      mark(user, e.code());
      throw e;
    } catch (IntegrationsException e) {
      throw e;
    }
    mark(user, null);
    return result;
  }

  private void mark(UserId user, String error) {
    Optional<OAuthConnection> c = connections.find(user, PROVIDER);
    if (c.isEmpty() || Objects.equals(c.get().config().get(LAST_ERROR_KEY), error)) {
      return;
    }
    connections.changeConfig(user, PROVIDER, config -> {
      Map<String, Object> next = new LinkedHashMap<>(config);
      if (error == null) {
        next.remove(LAST_ERROR_KEY);
      } else {
        next.put(LAST_ERROR_KEY, error);
      }
      return next;
    }, clock.instant(), null);
  }

  private ArduinoApi.Call call(UserId user, OAuthConnection c) {
    return new ArduinoApi.Call(user, tokens.accessToken(user, PROVIDER), organization(c));
  }

  private static String organization(OAuthConnection c) {
    return c.config().get(ORGANIZATION_KEY) instanceof String s ? s : null;
  }

  private Secret stored(OAuthConnection c, String field) {
    EncryptedSecret value = c.storedCredential(field);
    return value == null ? null : cipher.decrypt(value, context(c.userId(), field));
  }

  private EncryptedSecret encrypt(UserId user, String field, Secret value) {
    return cipher.encrypt(value, context(user, field));
  }

  private static SecretContext context(UserId user, String field) {
    return new SecretContext(user, PROVIDER, field);
  }
}
