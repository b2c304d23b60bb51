package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.audit.AuditLog;
import com.nexflux.integrations.core.domain.SecretCipher;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The provider-neutral OAuth 2.0 authorization-code flow with PKCE (S256), for linking an integration and for
 * signing in.
 *
 * <p>Start: a {@code state} of 32 random bytes, a browser binding of 32 random bytes (sent to the browser as the
 * flow cookie) and a PKCE verifier of 32 random bytes, all base64url. Only the SHA-256 of the state and of the
 * binding are stored; the verifier is stored encrypted, bound to the flow. Flows live in the shared
 * {@link AuthorizationFlowStore} for {@link #FLOW_LIFETIME}, so start and callback may reach different instances.
 *
 * <p>Callback: the flow is consumed (single use) <em>before</em> anything else is checked, so a state is dead after
 * its first callback whatever the outcome. Every rejection answers a redirect to {@code FRONTEND_URL} with
 * {@code status=error&code=<one of }{@link Codes}{@code >}, stores nothing, and writes an audit row
 * ({@code integration.connect} or {@code auth.sign_in}, outcome failure, reason = the code) when the flow names a
 * user. Sign-in flows and unknown states have no user, and audit rows need one, so those rejections are only logged
 * (provider, code and request id; never the state, the cookie, the code or a token).
 *
 * <p>The redirect is always built from the configured frontend URL plus fixed parameters; nothing from the request
 * (state, code, error text) ever reaches it, except a {@code return_to} given at the start: a relative path checked
 * there, kept with the flow and appended to the frontend URL's origin.
 *
 * <p>OpenID Connect providers ({@link OAuthProviderConfig#isOidc()}): the start sends a {@code nonce} of 32 random
 * bytes (only its SHA-256 is stored); the callback requires an {@code id_token} in the token response and has the
 * {@link IdTokenVerifier} check it (signature, {@code iss}, {@code aud}, {@code azp}, {@code exp}, {@code nonce});
 * the account id is its {@code sub}, and its email is used only when {@code email_verified} is true. An RFC 9207
 * {@code iss} callback parameter must be one of the provider's issuers.
 *
 * <p>Linking stores the connection only; it never creates a sign-in identity. Sign-in is explicit
 * ({@link FlowPurpose#SIGN_IN}), offered only for the configured sign-in providers, and its starts are rate limited
 * per client address. A link flow may add scopes to an existing connection (a scope upgrade): it asks for the
 * union, stores the union, and a token response without a refresh token keeps the stored one.
 */
public final class OAuthFlowService implements OAuthFlows {
  /** How long a started flow is accepted. */
  public static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
  /** The audit action of a sign-in through a provider. */
  public static final String SIGN_IN_ACTION = "auth.sign_in";
  /** The user id a sign-in flow's verifier is bound to (sign-in flows have no user yet). */
  static final UserId NO_USER = new UserId(new UUID(0, 0));

  private static final Logger LOG = Logger.getLogger(OAuthFlowService.class.getName());
  private static final int RANDOM_BYTES = 32;
  private static final int MAX_STATE_CHARS = 512;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The {@code code} values of an error redirect. */
  public static final class Codes {
    /** No state, an unknown or already used state, or a state issued for another provider. */
    public static final String INVALID_STATE = "INVALID_STATE";
    /** The state is older than {@link #FLOW_LIFETIME}. */
    public static final String EXPIRED_STATE = "EXPIRED_STATE";
    /** The flow cookie is missing or belongs to another browser. */
    public static final String BROWSER_MISMATCH = "BROWSER_MISMATCH";
    /** The user declined at the provider ({@code error=access_denied}). */
    public static final String ACCESS_DENIED = "ACCESS_DENIED";
    /** The provider reported another error, or its account lookup failed. */
    public static final String PROVIDER_ERROR = "PROVIDER_ERROR";
    /** The callback carried neither a code nor an error. */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    /** The provider refused the code (used, expired, or a PKCE mismatch). */
    public static final String INVALID_GRANT = "INVALID_GRANT";
    /** The token response was unusable (not bearer, no access token) or the client is misconfigured. */
    public static final String TOKEN_RESPONSE_INVALID = "TOKEN_RESPONSE_INVALID";
    /** The provider was down, slow or rate limiting. */
    public static final String PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE";
    /** A sign-in flow reached a server that has no {@link SignInCompletion}. */
    public static final String SIGN_IN_NOT_AVAILABLE = "SIGN_IN_NOT_AVAILABLE";
    /** Our own database was unavailable. */
    public static final String UNAVAILABLE = "UNAVAILABLE";
    /** Anything unexpected (e.g. the stored verifier could not be decrypted). */
    public static final String SERVER_ERROR = "SERVER_ERROR";
    /** The RFC 9207 {@code iss} callback parameter is not the provider's issuer (a mix-up attack or misrouting). */
    public static final String ISSUER_MISMATCH = "ISSUER_MISMATCH";
    /** An OIDC provider's {@code id_token} is missing or failed verification. */
    public static final String ID_TOKEN_INVALID = "ID_TOKEN_INVALID";

    private Codes() {}
  }

  private final Map<Provider, OAuthProviderConfig> providers;
  private final OAuthClient client;
  private final AuthorizationFlowStore flows;
  private final OAuthConnectionRepository connections;
  private final IdentityRepository identities;
  private final ConnectedAccounts accounts;
  private final SignInCompletion signIn;
  private final SecretCipher cipher;
  private final AuditLog auditLog;
  private final Clock clock;
  private final URI frontendUrl;
  private final Map<Provider, Map<String, Object>> initialConfig;
  private final IdTokenVerifier idTokens;
  private final Set<Provider> signInProviders;
  private final AddressRateLimiter signInStarts;

  /** The longest {@code return_to}. */
  public static final int MAX_RETURN_TO_CHARS = 512;
  /** The most scopes a link flow may add. */
  public static final int MAX_ADDED_SCOPES = 20;
  private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}");

  /**
   * A service without OIDC support, offering sign-in with every configured provider (when {@code signIn} is set)
   * and without a rate limit on sign-in starts.
   *
   * @see #OAuthFlowService(Map, OAuthClient, AuthorizationFlowStore, OAuthConnectionRepository, IdentityRepository,
   *     ConnectedAccounts, SignInCompletion, SecretCipher, AuditLog, Clock, URI, Map, IdTokenVerifier, Set,
   *     AddressRateLimiter)
   */
  public OAuthFlowService(Map<Provider, OAuthProviderConfig> providers, OAuthClient client,
      AuthorizationFlowStore flows, OAuthConnectionRepository connections, IdentityRepository identities,
      ConnectedAccounts accounts, SignInCompletion signIn, SecretCipher cipher, AuditLog auditLog, Clock clock,
      URI frontendUrl, Map<Provider, Map<String, Object>> initialConfig) {
    this(providers, client, flows, connections, identities, accounts, signIn, cipher, auditLog, clock, frontendUrl,
        initialConfig, null, providers.keySet(), null);
  }

  /**
   * @param providers the configured providers; others are {@link NotConfiguredException}
   * @param signIn finishes sign-ins, or {@code null} when this server offers none (sign-in flows are then refused)
   * @param frontendUrl {@code FRONTEND_URL}, the only place callbacks redirect to (absolute http or https)
   * @param initialConfig per provider, the non-secret settings a new connection starts with (e.g. GitHub:
   *     {@code auto_sync=false, selected_repos=[]}); a reconnect of the same account keeps the stored values of
   *     these keys. May be {@code null}.
   * @param idTokens verifies OIDC providers' {@code id_token}s; required when a provider is OIDC
   * @param signInProviders the providers a sign-in may use ({@code SIGN_IN_PROVIDERS}); others are refused
   * @param signInStarts limits sign-in starts per client address, or {@code null} for no limit
   */
  public OAuthFlowService(Map<Provider, OAuthProviderConfig> providers, OAuthClient client,
      AuthorizationFlowStore flows, OAuthConnectionRepository connections, IdentityRepository identities,
      ConnectedAccounts accounts, SignInCompletion signIn, SecretCipher cipher, AuditLog auditLog, Clock clock,
      URI frontendUrl, Map<Provider, Map<String, Object>> initialConfig, IdTokenVerifier idTokens,
      Set<Provider> signInProviders, AddressRateLimiter signInStarts) {
    this.providers = copyProviders(providers);
    this.client = Objects.requireNonNull(client, "client");
    this.flows = Objects.requireNonNull(flows, "flows");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.signIn = signIn;
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.frontendUrl = checkFrontendUrl(frontendUrl);
    this.initialConfig = copyInitialConfig(initialConfig);
    this.idTokens = idTokens;
    if (idTokens == null && this.providers.values().stream().anyMatch(OAuthProviderConfig::isOidc)) {
      throw new IllegalArgumentException("an OIDC provider needs an IdTokenVerifier");
    }
    this.signInProviders = Set.copyOf(Objects.requireNonNull(signInProviders, "signInProviders"));
    this.signInStarts = signInStarts;
  }

  @Override
  public boolean isConfigured(Provider provider) {
    return providers.containsKey(provider);
  }

  @Override
  public boolean offersSignIn(Provider provider) {
    return signIn != null && providers.containsKey(provider) && signInProviders.contains(provider);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A sign-in flow is refused with {@link NotConfiguredException} when this server has no
   * {@link SignInCompletion} or the provider is not a sign-in provider: sending the user through the provider's
   * consent could not end in a session.
   */
  @Override
  public StartedFlow start(Provider provider, Optional<UserId> linkingUser, StartOptions options,
      boolean secureCookie, RequestContext context) {
    Objects.requireNonNull(linkingUser, "linkingUser");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(context, "context");
    OAuthProviderConfig config = config(provider);
    FlowPurpose purpose = options.purpose();
    UserId user = null;
    if (purpose == FlowPurpose.LINK) {
      user = linkingUser.orElseThrow(() -> new UnauthorizedException("connecting an integration needs a signed-in "
          + "user; use intent=sign_in to sign in"));
    } else {
      if (!offersSignIn(provider)) {
        throw new NotConfiguredException("Signing in with " + provider.key() + " is not available here ("
            + Codes.SIGN_IN_NOT_AVAILABLE + ")");
      }
      if (!options.addScopes().isEmpty()) {
        throw ValidationException.of("scope", "only a link flow adds scopes");
      }
    }
    String returnTo = checkReturnTo(options.returnTo());
    List<String> added = checkAddedScopes(options.addScopes());
    List<String> scopes = config.scopesFor(purpose);
    if (!added.isEmpty()) {
      OAuthConnection existing = connections.find(user, provider).orElseThrow(() -> ValidationException.of("scope",
          "adding scopes needs an existing " + provider.key() + " connection; connect first"));
      scopes = union(config.connectScopes(), existing.scopes(), added);
    }
    if (purpose == FlowPurpose.SIGN_IN && signInStarts != null) {
      signInStarts.acquire(context.ip(), "sign-in starts");
    }
    String state = randomToken();
    String binding = randomToken();
    String verifier = randomToken();
    String nonce = config.isOidc() ? randomToken() : null;
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    String stateHash = sha256Hex(state);
    URI url = client.authorizationUrl(config, state, challenge, scopes, nonce);
    Instant now = clock.instant();
    EncryptedSecret sealedVerifier = cipher.encrypt(Secret.of(verifier), verifierContext(user, provider, stateHash));
    flows.save(new PendingAuthorization(stateHash, sha256Hex(binding), provider, purpose, user,
        config.callbackUrl(), sealedVerifier, scopes, now, now.plus(FLOW_LIFETIME),
        nonce == null ? null : sha256Hex(nonce), returnTo, added));
    return new StartedFlow(url, OAuthFlows.cookieName(provider, secureCookie), binding, FLOW_LIFETIME,
        secureCookie);
  }

  /**
   * @return the {@code return_to} when it is a relative path: starts with one {@code /} (not {@code //}), no
   *     backslash, no control or space characters, no scheme or authority, at most {@value #MAX_RETURN_TO_CHARS}
   *     characters; {@code null} for none
   * @throws ValidationException naming {@code return_to} otherwise (absolute and protocol-relative values included)
   */
  static String checkReturnTo(String returnTo) {
    if (returnTo == null || returnTo.isEmpty()) {
      return null;
    }
    String problem = null;
    if (returnTo.length() > MAX_RETURN_TO_CHARS) {
      problem = "must be at most " + MAX_RETURN_TO_CHARS + " characters";
    } else if (!returnTo.startsWith("/") || returnTo.startsWith("//") || returnTo.indexOf('\\') >= 0
        || returnTo.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
      problem = "must be a relative path starting with a single /";
    } else {
      try {
        URI parsed = new URI(returnTo);
        if (parsed.getScheme() != null || parsed.getRawAuthority() != null || parsed.getRawPath() == null
            || !parsed.getRawPath().startsWith("/")) {
          problem = "must be a relative path starting with a single /";
        }
      } catch (java.net.URISyntaxException e) {
        problem = "is not a valid path";
      }
    }
    if (problem != null) {
      throw ValidationException.of("return_to", problem);
    }
    return returnTo;
  }

  private static List<String> checkAddedScopes(List<String> scopes) {
    if (scopes.size() > MAX_ADDED_SCOPES) {
      throw ValidationException.of("scope", "at most " + MAX_ADDED_SCOPES + " scopes may be added");
    }
    for (String scope : scopes) {
      if (scope == null || !SCOPE_TOKEN.matcher(scope).matches()) {
        throw ValidationException.of("scope", "each scope is 1-200 printable characters without space, quote or "
            + "backslash");
      }
    }
    return List.copyOf(new LinkedHashSet<>(scopes));
  }

  @SafeVarargs
  private static List<String> union(List<String>... lists) {
    LinkedHashSet<String> all = new LinkedHashSet<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return List.copyOf(all);
  }

  @Override
  public URI complete(Provider provider, Callback callback, String cookieValue, RequestContext context) {
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(context, "context");
    OAuthProviderConfig config = config(provider);
    String state = callback.state();
    if (state == null || state.isEmpty() || state.length() > MAX_STATE_CHARS) {
      return reject(provider, null, Codes.INVALID_STATE, context, Map.of("state", "missing_or_malformed"));
    }
    String stateHash = sha256Hex(state);
    Optional<PendingAuthorization> consumed;
    try {
      consumed = flows.consume(stateHash);
    } catch (RuntimeException e) {
      return reject(provider, null, internalCode(e), context, Map.of("step", "consume_state"));
    }
    if (consumed.isEmpty()) {
      return reject(provider, null, Codes.INVALID_STATE, context, Map.of("state", "unknown_or_used"));
    }
    PendingAuthorization flow = consumed.get();
    try {
      return completeFlow(provider, config, flow, callback, cookieValue, context);
    } catch (RuntimeException e) {
      // a bug or an outage after the state was consumed: still answer the frontend, never a stack trace
      LOG.log(Level.WARNING, "OAuth callback failed unexpectedly [provider=" + provider.key() + ", request_id="
          + safe(context.requestId()) + "]: " + e.getClass().getName());
      return reject(provider, flow, internalCode(e), context, Map.of("step", "unexpected"));
    }
  }

  private URI completeFlow(Provider provider, OAuthProviderConfig config, PendingAuthorization flow,
      Callback callback, String cookieValue, RequestContext context) {
    if (!flow.provider().equals(provider)) {
      return reject(provider, flow, Codes.INVALID_STATE, context, Map.of("state", "other_provider",
          "flow_provider", flow.provider().key()));
    }
    Instant now = clock.instant();
    if (!now.isBefore(flow.expiresAt())) {
      return reject(provider, flow, Codes.EXPIRED_STATE, context, Map.of());
    }
    if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > MAX_STATE_CHARS) {
      return reject(provider, flow, Codes.BROWSER_MISMATCH, context, Map.of("cookie", "missing"));
    }
    if (!MessageDigest.isEqual(sha256Hex(cookieValue).getBytes(StandardCharsets.US_ASCII),
        flow.browserBindingHash().getBytes(StandardCharsets.US_ASCII))) {
      return reject(provider, flow, Codes.BROWSER_MISMATCH, context, Map.of("cookie", "mismatch"));
    }
    // RFC 9207: checked for error responses too; a provider whose issuer we do not know cannot be checked
    if (callback.issuer() != null && config.isOidc() && !config.isIssuer(callback.issuer())) {
      return reject(provider, flow, Codes.ISSUER_MISMATCH, context, Map.of());
    }
    if (callback.error() != null) {
      boolean denied = "access_denied".equals(callback.error());
      return reject(provider, flow, denied ? Codes.ACCESS_DENIED : Codes.PROVIDER_ERROR, context, Map.of());
    }
    if (callback.code() == null || callback.code().isEmpty()) {
      return reject(provider, flow, Codes.INVALID_REQUEST, context, Map.of("code", "missing"));
    }
    if (flow.purpose() == FlowPurpose.SIGN_IN && signIn == null) {
      return reject(provider, flow, Codes.SIGN_IN_NOT_AVAILABLE, context, Map.of());
    }

    Secret verifier = cipher.decrypt(flow.codeVerifier(),
        verifierContext(flow.userId(), provider, flow.stateHash()));
    TokenSet tokens;
    try {
      tokens = client.exchangeCode(config, callback.code(), verifier, flow.scopes());
    } catch (OAuthGrantException e) {
      return reject(provider, flow, Codes.INVALID_GRANT, context, Map.of("provider_error",
          safe(e.providerError())));
    } catch (OAuthProtocolException e) {
      LOG.warning("OAuth token response rejected [provider=" + provider.key() + ", request_id="
          + safe(context.requestId()) + "]: " + safe(e.getMessage()));
      return reject(provider, flow, Codes.TOKEN_RESPONSE_INVALID, context, Map.of());
    } catch (UnavailableException | RateLimitedException e) {
      return reject(provider, flow, Codes.PROVIDER_UNAVAILABLE, context, Map.of("step", "token_exchange"));
    } catch (IntegrationsException e) {
      return reject(provider, flow, Codes.PROVIDER_ERROR, context, Map.of("step", "token_exchange"));
    }

    ConnectedAccounts.Account account;
    if (config.isOidc()) {
      if (tokens.idToken() == null || tokens.idToken().isEmpty() || flow.nonceHash() == null) {
        return reject(provider, flow, Codes.ID_TOKEN_INVALID, context, Map.of("id_token",
            flow.nonceHash() == null ? "no_nonce_in_flow" : "missing"));
      }
      IdTokenClaims claims;
      try {
        claims = Objects.requireNonNull(idTokens.verify(config, tokens.idToken(), flow.nonceHash()), "claims");
      } catch (IdTokenRejectedException e) {
        return reject(provider, flow, Codes.ID_TOKEN_INVALID, context, Map.of("id_token", safe(e.check())));
      } catch (UnavailableException | RateLimitedException e) {
        return reject(provider, flow, Codes.PROVIDER_UNAVAILABLE, context, Map.of("step", "id_token_keys"));
      } catch (IntegrationsException e) {
        return reject(provider, flow, Codes.PROVIDER_ERROR, context, Map.of("step", "id_token"));
      }
      account = oidcAccount(claims);
    } else {
      try {
        account = Objects.requireNonNull(accounts.resolve(provider, tokens.accessToken()), "account");
      } catch (UnavailableException | RateLimitedException e) {
        return reject(provider, flow, Codes.PROVIDER_UNAVAILABLE, context, Map.of("step", "account_lookup"));
      } catch (IntegrationsException | IllegalArgumentException | NullPointerException e) {
        return reject(provider, flow, Codes.PROVIDER_ERROR, context, Map.of("step", "account_lookup"));
      }
    }

    return flow.purpose() == FlowPurpose.LINK
        ? link(provider, flow, tokens, account, context, now)
        : signIn(provider, flow, account, context);
  }

  /** The account of a verified id_token: {@code sub}, and the email only when it is verified. */
  private static ConnectedAccounts.Account oidcAccount(IdTokenClaims claims) {
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("email", claims.verifiedEmail());
    profile.put("name", claims.name());
    profile.put("avatar_url", claims.picture());
    String login = claims.verifiedEmail() != null ? claims.verifiedEmail()
        : claims.name() != null ? claims.name() : claims.subject();
    return new ConnectedAccounts.Account(claims.subject(), login, profile);
  }

  private URI link(Provider provider, PendingAuthorization flow, TokenSet tokens, ConnectedAccounts.Account account,
      RequestContext context, Instant now) {
    UserId user = flow.userId();
    Optional<OAuthConnection> existing = connections.find(user, provider);
    Optional<OAuthConnection> sameAccount = existing.filter(c -> account.accountId().equals(c.accountId()));
    Map<String, Object> initial = initialConfig.getOrDefault(provider, Map.of());
    Map<String, Object> config = new LinkedHashMap<>(initial);
    account.profile().forEach((k, v) -> {
      if (v != null) {
        config.put(k, v);
      }
    });
    sameAccount.ifPresent(c -> {
      for (String key : initial.keySet()) {
        if (c.config().containsKey(key) && c.config().get(key) != null) {
          config.put(key, c.config().get(key));
        }
      }
    });
    // a scope upgrade of the same account keeps the old grant: the stored scopes become the union
    boolean upgrade = !flow.addedScopes().isEmpty() && sameAccount.isPresent();
    List<String> scopes = upgrade ? union(sameAccount.get().scopes(), tokens.scopes()) : tokens.scopes();
    config.put("scopes", scopes);

    EncryptedSecret access = cipher.encrypt(tokens.accessToken(),
        new SecretContext(user, provider, OAuthConnection.ACCESS_TOKEN_FIELD));
    EncryptedSecret refresh;
    java.time.Instant refreshExpiresAt;
    boolean keptRefresh = false;
    if (tokens.refreshToken() != null) {
      refresh = cipher.encrypt(tokens.refreshToken(),
          new SecretContext(user, provider, OAuthConnection.REFRESH_TOKEN_FIELD));
      refreshExpiresAt = tokens.refreshTokenExpiresAt();
    } else if (sameAccount.isPresent() && sameAccount.get().refreshToken() != null) {
      // a re-link that returns no refresh token (Google without prompt=consent) keeps the stored one: same row,
      // same secret context, so the ciphertext stays valid as it is
      refresh = sameAccount.get().refreshToken();
      refreshExpiresAt = sameAccount.get().refreshTokenExpiresAt();
      keptRefresh = true;
    } else {
      refresh = null;
      refreshExpiresAt = null;
    }
    OAuthConnection connection = new OAuthConnection(user, provider, ConnectionStatus.CONNECTED,
        account.accountId(), access, refresh, tokens.expiresAt(), refreshExpiresAt, scopes, config,
        sameAccount.map(OAuthConnection::connectedAt).orElse(now), now,
        existing.map(c -> c.credentialsVersion() + 1).orElse(1L));
    Map<String, String> details = new LinkedHashMap<>();
    details.put("account_login", account.login());
    details.put("scopes", String.join(" ", scopes));
    if (existing.isPresent()) {
      details.put("reconnect", "true");
    }
    if (!flow.addedScopes().isEmpty()) {
      details.put("scope_upgrade", String.join(" ", flow.addedScopes()));
    }
    if (keptRefresh) {
      details.put("refresh_token", "kept");
    }
    connections.save(connection, audit(user, provider, AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS,
        null, context, details));
    return redirect(target(flow), Map.of("integration", provider.key(), "status", "connected"));
  }

  private URI signIn(Provider provider, PendingAuthorization flow, ConnectedAccounts.Account account,
      RequestContext context) {
    // the new user, its identity and the sign-in's audit row commit together
    IdentityRepository.Linked linked = identities.signIn(provider, account.accountId(),
        new UserId(UUID.randomUUID()), outcome -> {
          Map<String, String> details = new LinkedHashMap<>();
          details.put("account_login", account.login());
          details.put("new_user", Boolean.toString(outcome.created()));
          return audit(outcome.userId(), provider, SIGN_IN_ACTION, AuditEvent.Outcome.SUCCESS, null, context,
              details);
        });
    return Objects.requireNonNull(signIn.complete(linked.userId(), provider, account.login(), linked.created(),
        target(flow)), "sign-in completion returned no URI");
  }

  /** @return where a completed flow returns to: the frontend URL's origin plus its {@code return_to}, or the URL */
  private URI target(PendingAuthorization flow) {
    if (flow == null || flow.returnTo() == null) {
      return frontendUrl;
    }
    String origin = frontendUrl.getScheme() + "://" + frontendUrl.getRawAuthority();
    return URI.create(origin + flow.returnTo());
  }

  /** Records the failure (audit row when the flow names a user, else a log line) and answers the error redirect. */
  private URI reject(Provider provider, PendingAuthorization flow, String code, RequestContext context,
      Map<String, String> details) {
    UserId user = flow == null ? null : flow.userId();
    String action = flow != null && flow.purpose() == FlowPurpose.SIGN_IN ? SIGN_IN_ACTION
        : AuditEvent.Actions.CONNECT;
    if (user != null) {
      try {
        auditLog.append(audit(user, provider, action, AuditEvent.Outcome.FAILURE, code, context, details));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Could not audit a rejected OAuth callback [provider=" + provider.key() + ", code="
            + code + ", request_id=" + safe(context.requestId()) + "]: " + e.getClass().getName());
      }
    } else {
      // no user to attach an audit row to (unknown state, or a sign-in flow): log without any secret
      LOG.warning("OAuth callback rejected [provider=" + provider.key() + ", action=" + action + ", code=" + code
          + ", request_id=" + safe(context.requestId()) + ", ip=" + safe(context.ip()) + "]");
    }
    return redirect(target(flow), Map.of("integration", provider.key(), "status", "error", "code", code));
  }

  /**
   * Builds {@code target} (the frontend URL or its origin plus a checked return path) plus the parameters (URL-encoded, appended to any query it already has, before any
   * fragment). Parameter order: integration, status, code.
   */
  private URI redirect(URI target, Map<String, String> params) {
    StringBuilder query = new StringBuilder();
    for (String name : List.of("integration", "status", "code")) {
      String value = params.get(name);
      if (value != null) {
        if (query.length() > 0) {
          query.append('&');
        }
        query.append(encode(name)).append('=').append(encode(value));
      }
    }
    String base = target.toString();
    String fragment = "";
    int hash = base.indexOf('#');
    if (hash >= 0) {
      fragment = base.substring(hash);
      base = base.substring(0, hash);
    }
    String separator = base.indexOf('?') < 0 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
    return URI.create(base + separator + query + fragment);
  }

  private AuditEvent audit(UserId user, Provider provider, String action, AuditEvent.Outcome outcome,
      String reason, RequestContext context, Map<String, String> details) {
    return new AuditEvent(UUID.randomUUID(), user, provider, action, outcome, reason, context, clock.instant(),
        details);
  }

  private OAuthProviderConfig config(Provider provider) {
    Objects.requireNonNull(provider, "provider");
    OAuthProviderConfig config = providers.get(provider);
    if (config == null) {
      throw new NotConfiguredException("OAuth for " + provider.key() + " is not configured on this server");
    }
    return config;
  }

  private static SecretContext verifierContext(UserId user, Provider provider, String stateHash) {
    return new SecretContext(user == null ? NO_USER : user, provider,
        PendingAuthorization.verifierContextField(stateHash));
  }

  private static String internalCode(RuntimeException e) {
    return e instanceof UnavailableException ? Codes.UNAVAILABLE : Codes.SERVER_ERROR;
  }

  private static String randomToken() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** @return lower-case hex SHA-256 of the UTF-8 text */
  static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256(text));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Makes a value safe for one log line (no control characters, bounded). */
  private static String safe(String value) {
    if (value == null) {
      return "-";
    }
    String cleaned = value.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() > 100 ? cleaned.substring(0, 100) + "..." : cleaned;
  }

  private static Map<Provider, OAuthProviderConfig> copyProviders(Map<Provider, OAuthProviderConfig> providers) {
    Objects.requireNonNull(providers, "providers");
    Map<Provider, OAuthProviderConfig> copy = new LinkedHashMap<>();
    providers.forEach((p, c) -> {
      if (!c.provider().equals(p)) {
        throw new IllegalArgumentException("the config for " + p.key() + " names " + c.provider().key());
      }
      copy.put(p, c);
    });
    return Collections.unmodifiableMap(copy);
  }

  private static Map<Provider, Map<String, Object>> copyInitialConfig(Map<Provider, Map<String, Object>> initial) {
    Map<Provider, Map<String, Object>> copy = new LinkedHashMap<>();
    if (initial != null) {
      initial.forEach((p, m) -> copy.put(p, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static URI checkFrontendUrl(URI url) {
    Objects.requireNonNull(url, "frontendUrl");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || url.isOpaque() || url.getHost() == null
        || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("frontendUrl must be an absolute http or https URL");
    }
    return url;
  }
}
