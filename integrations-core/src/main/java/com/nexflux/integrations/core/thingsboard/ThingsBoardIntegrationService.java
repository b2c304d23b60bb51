package com.nexflux.integrations.core.thingsboard;

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
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.oauth.AccessTokens;
import com.nexflux.integrations.core.oauth.ConnectionDisconnect;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.oauth.PasswordLoginClient;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.oauth.TokenService;
import com.nexflux.integrations.core.oauth.TokenSet;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The ThingsBoard use cases on the shared OAuth connection store ({@code user_integrations}) and the shared token
 * lifecycle: a login connection's tokens are renewed by {@link TokenService} (refresh token, then a new login with
 * the stored encrypted password); an API key is stored as the access token and never expires.
 *
 * <p>When ThingsBoard refuses a token that has not expired by our clock (401, errorCode 11 or 15), the token is
 * marked expired and its refresh token dropped, so the token lifecycle logs in again with the stored password; the
 * call is repeated once. Only when that new login is refused (or its token is refused too) is the connection
 * {@code needs_reauth}. A refused API key makes it {@code needs_reauth} at once (there is nothing to renew).
 */
public final class ThingsBoardIntegrationService implements ThingsBoardIntegrations, DeviceSource {
  /** The provider. */
  public static final Provider THINGSBOARD = Provider.THINGSBOARD;
  /** The {@code config} key saying how the connection authenticates: {@code password} or {@code api_key}. */
  public static final String AUTH_METHOD_KEY = "auth_method";
  /** The {@code config} key of the API key's user (its e-mail address). */
  public static final String API_KEY_USER_KEY = "api_key_user";
  public static final String PASSWORD_METHOD = "password";
  public static final String API_KEY_METHOD = "api_key";

  private static final int PAGE_SIZE = ThingsBoardApi.MAX_PAGE_SIZE;
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final OAuthConnectionRepository connections;
  private final AccessTokens tokens;
  private final PasswordLoginClient logins;
  private final ThingsBoardApi api;
  private final ConnectionDisconnect disconnects;
  private final SecretCipher cipher;
  private final OutboundGuard guard;
  private final Clock clock;

  /**
   * @param tokens the token lifecycle (the engine's {@link TokenService}, with ThingsBoard as a password login)
   * @param logins the login client (the same one the token lifecycle renews with)
   * @param guard the outbound guard: an {@code http} server must be in its allowed networks
   */
  public ThingsBoardIntegrationService(OAuthConnectionRepository connections, AccessTokens tokens,
      PasswordLoginClient logins, ThingsBoardApi api, ConnectionDisconnect disconnects, SecretCipher cipher,
      OutboundGuard guard, Clock clock) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.logins = Objects.requireNonNull(logins, "logins");
    this.api = Objects.requireNonNull(api, "api");
    this.disconnects = Objects.requireNonNull(disconnects, "disconnects");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Provider provider() {
    return THINGSBOARD;
  }

  @Override
  public ThingsBoardView view(UserId user) {
    Objects.requireNonNull(user, "user");
    Optional<OAuthConnection> found = connections.find(user, THINGSBOARD);
    if (found.isEmpty()) {
      return ThingsBoardView.NOT_CONFIGURED;
    }
    OAuthConnection c = found.get();
    URI base = baseUrl(c);
    String username = username(c);
    String method = method(c);
    if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
      return new ThingsBoardView(false, "needs_reauth", base, username, method, List.of(), null, "NEEDS_REAUTH");
    }
    try {
      List<ThingsBoardDevice> devices = listDevices(user);
      return new ThingsBoardView(true, "connected", base, username, method, devices, clock.instant(), null);
    } catch (ReauthRequiredException e) {
      return new ThingsBoardView(false, "needs_reauth", base, username, method, List.of(), null, e.code());
    } catch (NotFoundException e) {
      return ThingsBoardView.NOT_CONFIGURED; // disconnected meanwhile
    } catch (IntegrationsException e) {
      return new ThingsBoardView(false, "error", base, username, method, List.of(), null, e.code());
    }
  }

  @Override
  public ThingsBoardView connect(UserId user, ThingsBoardSettingsInput input, RequestContext context) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(context, "context");
    ThingsBoardSettings settings = ThingsBoardSettings.validate(input, this::plainHttpAllowed);
    Instant now = clock.instant();
    Optional<OAuthConnection> existing = connections.find(user, THINGSBOARD);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(OAuthConnection.BASE_URL_KEY, settings.baseUrl().toString());
    EncryptedSecret access;
    EncryptedSecret refresh = null;
    Instant expiresAt = null;
    Instant refreshExpiresAt = null;
    String accountId;
    EncryptedSecret password = null;
    if (settings.usesApiKey()) {
      ThingsBoardUser me;
      try {
        me = api.currentUser(settings.baseUrl(),
            new ThingsBoardCredential(ThingsBoardCredential.Kind.API_KEY, settings.apiKey()));
      } catch (CredentialsRejectedException e) {
        throw ValidationException.of(ThingsBoardSettings.API_KEY, "ThingsBoard refused this API key");
      }
      config.put(AUTH_METHOD_KEY, API_KEY_METHOD);
      if (me.email() != null) {
        config.put(API_KEY_USER_KEY, me.email());
      }
      accountId = me.id() != null ? me.id() : "api-key";
      access = cipher.encrypt(settings.apiKey(), context(user, OAuthConnection.ACCESS_TOKEN_FIELD));
    } else {
      TokenSet issued;
      try {
        issued = logins.login(settings.baseUrl(), settings.username(), settings.password());
      } catch (CredentialsRejectedException e) {
        throw new ValidationException(List.of(
            new FieldError(ThingsBoardSettings.USERNAME, "ThingsBoard refused this username and password"),
            new FieldError(ThingsBoardSettings.PASSWORD, "ThingsBoard refused this username and password")));
      }
      config.put(AUTH_METHOD_KEY, PASSWORD_METHOD);
      config.put(OAuthConnection.LOGIN_USERNAME_KEY, settings.username());
      accountId = settings.username().toLowerCase(Locale.ROOT);
      access = cipher.encrypt(issued.accessToken(), context(user, OAuthConnection.ACCESS_TOKEN_FIELD));
      refresh = issued.refreshToken() == null ? null
          : cipher.encrypt(issued.refreshToken(), context(user, OAuthConnection.REFRESH_TOKEN_FIELD));
      expiresAt = issued.expiresAt();
      refreshExpiresAt = issued.refreshTokenExpiresAt();
      password = cipher.encrypt(settings.password(), context(user, OAuthConnection.PASSWORD_FIELD));
    }
    OAuthConnection connection = new OAuthConnection(user, THINGSBOARD, ConnectionStatus.CONNECTED, accountId,
        access, refresh, expiresAt, refreshExpiresAt, List.of(), config,
        existing.map(OAuthConnection::connectedAt).orElse(now), now,
        existing.map(c -> c.credentialsVersion() + 1).orElse(0L));
    if (password != null) {
      connection = connection.withStoredCredential(OAuthConnection.PASSWORD_FIELD, password, now);
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("host", settings.baseUrl().getHost());
    details.put("auth_method", settings.usesApiKey() ? API_KEY_METHOD : PASSWORD_METHOD);
    connections.save(connection, new AuditEvent(UUID.randomUUID(), user, THINGSBOARD,
        existing.isPresent() ? AuditEvent.Actions.UPDATE : AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS,
        null, context, now, details));
    return view(user);
  }

  @Override
  public void disconnect(UserId user, RequestContext context) {
    disconnects.disconnect(user, THINGSBOARD, context);
  }

  @Override
  public DeviceTelemetry device(UserId user, String deviceId) {
    String id = deviceId(deviceId);
    List<TelemetryPoint> values = call(user, (base, credential) -> api.latestTelemetry(base, credential, id));
    return new DeviceTelemetry(id, values, clock.instant());
  }

  @Override
  public RpcReply rpc(UserId user, String deviceId, RpcRequest request) {
    Objects.requireNonNull(request, "request");
    String id = deviceId(deviceId);
    return call(user, (base, credential) -> api.rpc(base, credential, id, request));
  }

  @Override
  public List<DeviceSummary> devices(UserId user, boolean refresh) {
    Optional<OAuthConnection> found = connections.find(user, THINGSBOARD);
    if (found.isEmpty()) {
      return List.of();
    }
    if (found.get().status() == ConnectionStatus.NEEDS_REAUTH) {
      throw new ReauthRequiredException(THINGSBOARD);
    }
    return listDevices(user).stream().map(d -> new DeviceSummary(THINGSBOARD, d.id(), d.name(), d.type(),
        d.active() ? DeviceSummary.ONLINE : DeviceSummary.OFFLINE, null)).toList();
  }

  /** Every page of device infos, at most {@link #MAX_DEVICES}. */
  private List<ThingsBoardDevice> listDevices(UserId user) {
    List<ThingsBoardDevice> out = new ArrayList<>();
    int page = 0;
    while (out.size() < MAX_DEVICES) {
      int p = page;
      DevicePage result = call(user, (base, credential) -> api.deviceInfos(base, credential, p, PAGE_SIZE));
      out.addAll(result.devices());
      if (!result.hasNext() || result.devices().isEmpty()) {
        break;
      }
      page++;
    }
    return out.size() > MAX_DEVICES ? List.copyOf(out.subList(0, MAX_DEVICES)) : List.copyOf(out);
  }

  /**
   * Runs one ThingsBoard call with a usable credential; a refused login token is replaced once by a new login.
   */
  private <T> T call(UserId user, BiFunction<URI, ThingsBoardCredential, T> work) {
    OAuthConnection c = connections.find(user, THINGSBOARD)
        .orElseThrow(() -> new NotFoundException("ThingsBoard is not connected"));
    URI base = baseUrl(c);
    boolean apiKey = API_KEY_METHOD.equals(method(c));
    Secret token = tokens.accessToken(user, THINGSBOARD);
    try {
      return work.apply(base, credential(apiKey, token));
    } catch (CredentialsRejectedException first) {
      if (apiKey) {
        markNeedsReauth(user, "api_key_rejected");
        throw new ReauthRequiredException(THINGSBOARD);
      }
      forceNewLogin(user, token);
      Secret renewed = tokens.accessToken(user, THINGSBOARD); // a refused login: needs_reauth (the lifecycle marks it)
      try {
        return work.apply(base, credential(false, renewed));
      } catch (CredentialsRejectedException again) {
        markNeedsReauth(user, "token_rejected_after_login");
        throw new ReauthRequiredException(THINGSBOARD);
      }
    }
  }

  /** Marks the refused token expired and drops the refresh token, so the token lifecycle logs in again. */
  private void forceNewLogin(UserId user, Secret refused) {
    connections.withLock(user, THINGSBOARD, false, (current, writer) -> {
      if (current.status() != ConnectionStatus.CONNECTED || current.accessToken() == null) {
        return false;
      }
      Secret stored = cipher.decrypt(current.accessToken(), context(user, OAuthConnection.ACCESS_TOKEN_FIELD));
      if (!stored.equals(refused)) {
        return false; // renewed meanwhile: the next call takes the new token
      }
      Instant now = clock.instant();
      writer.update(new OAuthConnection(user, THINGSBOARD, ConnectionStatus.CONNECTED, current.accountId(),
          current.accessToken(), null, now, null, current.scopes(), current.config(), current.connectedAt(), now,
          current.credentialsVersion() + 1), null);
      return true;
    });
  }

  private void markNeedsReauth(UserId user, String reason) {
    connections.withLock(user, THINGSBOARD, false, (current, writer) -> {
      Instant now = clock.instant();
      writer.update(current.needingReauth(now), new AuditEvent(UUID.randomUUID(), user, THINGSBOARD,
          TokenService.REAUTH_REQUIRED_ACTION, AuditEvent.Outcome.FAILURE, reason,
          RequestContext.internal("thingsboard-" + UUID.randomUUID()), now, Map.of()));
      return true;
    });
  }

  /** An {@code http} server is allowed only when its host resolves into the allowed networks. */
  private boolean plainHttpAllowed(URI url) {
    int port = url.getPort() == -1 ? 80 : url.getPort();
    String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
        : url.getHost();
    OutboundGuard.Decision d = guard.check(host, port);
    if (d instanceof OutboundGuard.Decision.Denied) {
      return true; // let the guarded client refuse it: HOST_NOT_ALLOWED, nothing sent
    }
    return d instanceof OutboundGuard.Decision.Allowed a
        && guard.allowedNetworks().stream().anyMatch(r -> r.contains(a.target().address()));
  }

  private static ThingsBoardCredential credential(boolean apiKey, Secret token) {
    return new ThingsBoardCredential(apiKey ? ThingsBoardCredential.Kind.API_KEY : ThingsBoardCredential.Kind.BEARER,
        token);
  }

  private static String deviceId(String id) {
    if (id == null || !UUID_TEXT.matcher(id).matches()) {
      throw new NotFoundException("No such ThingsBoard device");
    }
    return id.toLowerCase(Locale.ROOT);
  }

  private static URI baseUrl(OAuthConnection c) {
    Object text = c.config().get(OAuthConnection.BASE_URL_KEY);
    return text instanceof String s ? URI.create(s) : null;
  }

  private static String method(OAuthConnection c) {
    Object m = c.config().get(AUTH_METHOD_KEY);
    return m instanceof String s ? s : PASSWORD_METHOD;
  }

  private static String username(OAuthConnection c) {
    Object name = c.config().get(API_KEY_METHOD.equals(method(c)) ? API_KEY_USER_KEY
        : OAuthConnection.LOGIN_USERNAME_KEY);
    return name instanceof String s ? s : null;
  }

  private static SecretContext context(UserId user, String field) {
    return new SecretContext(user, THINGSBOARD, field);
  }
}
