package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.audit.AuditLog;
import com.nexflux.integrations.core.domain.SecretCipher;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands out access tokens and refreshes them, exactly once per expiring token across threads and instances.
 *
 * <p>On demand ({@link #accessToken}): a token with more than {@link #ON_DEMAND_SKEW} left (or without expiry) is
 * returned as stored. Otherwise one thread per JVM and connection (an in-memory single flight; the others wait for
 * its result, success or failure) takes the row lock ({@link OAuthConnectionRepository#withLock}, which makes the
 * instances queue). Under the lock the row is checked again, so a waiter whose token another instance has just
 * refreshed takes that token without calling the provider. A refresh response without a refresh token keeps the old
 * one; a rotated refresh token is written in the locked transaction, before the lock is released.
 *
 * <p>Failures: {@code invalid_grant} ({@link OAuthGrantException}) marks the connection {@code needs_reauth}, clears
 * its tokens and writes an {@value #REAUTH_REQUIRED_ACTION} audit row in the same transaction, then throws
 * {@link ReauthRequiredException}; later calls throw it without calling the provider. Transient failures
 * ({@link com.nexflux.integrations.core.error.UnavailableException}, {@link RateLimitedException}) and unusable
 * answers ({@link OAuthProtocolException}, an operator problem) change nothing and propagate.
 *
 * <p><b>Strategies.</b> What "refresh" means depends on the provider's {@link GrantStrategy}:
 * {@link GrantStrategy.AuthorizationCode} uses the refresh token (above); {@link GrantStrategy.ClientCredentials}
 * requests a new token with the user's stored, encrypted client id and secret (a connection without a token yet gets
 * its first one the same way; expiry never means {@code needs_reauth}, a refused client
 * ({@link CredentialsRejectedException}) does); {@link GrantStrategy.PasswordLogin} uses the refresh token and, when
 * that is refused or expired, logs in again with the stored encrypted password (a refused login means
 * {@code needs_reauth}); {@link GrantStrategy.StaticApiKey} returns the stored key and never renews it.
 *
 * <p><b>Bounded.</b> Every renewal runs inside the {@link RefreshLimiter}: its permit is taken before the row lock's
 * pooled database connection, so at most {@code permits} connections per process wait on providers; an on-demand
 * caller that gets no permit within the limiter's bound fails with {@code UNAVAILABLE} (nothing changed), the
 * background path skips the row.
 *
 * <p>Routine refreshes are not audit-logged: they are not a user decision, and on a user-facing trail they would
 * only bury the events that matter. Only their failures leave a row (re-authorization required, unreadable stored
 * token).
 *
 * <p>The background path ({@link #refreshIfDue}) never waits for a lock and backs off after a failed attempt
 * (transient failures, but also an unusable answer or an unreadable stored token, so neither the provider nor the
 * audit log is hammered): 30 s, doubling up to 30 min, at least a 429's {@code Retry-After}. That back-off is
 * remembered in memory, <em>per instance</em>: another instance, or a restart, may try again sooner; the row lock
 * still keeps each attempt single.
 */
public final class TokenService implements AccessTokens {
  /** On-demand refresh happens when no more than this is left before expiry. */
  public static final Duration ON_DEMAND_SKEW = Duration.ofSeconds(60);
  /** The audit action written when a refresh token is refused. */
  public static final String REAUTH_REQUIRED_ACTION = "integration.reauth_required";
  /** The first back-off after a transient background failure; it doubles per consecutive failure. */
  public static final Duration MIN_BACKOFF = Duration.ofSeconds(30);
  /** The longest back-off. */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(30);

  private static final Logger LOG = Logger.getLogger(TokenService.class.getName());

  private final Map<Provider, GrantStrategy> grants;
  private final OAuthClient client;
  private final PasswordLoginClient logins;
  private final RefreshLimiter limiter;
  private final OAuthConnectionRepository connections;
  private final SecretCipher cipher;
  private final AuditLog auditLog;
  private final Clock clock;
  private final ConcurrentHashMap<OAuthConnectionRepository.Key, CompletableFuture<Secret>> inFlight =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<OAuthConnectionRepository.Key, Backoff> backoffs = new ConcurrentHashMap<>();

  /** When the background refresh of one connection may be tried again. */
  private record Backoff(int failures, Instant notBefore) {}

  /** What the locked work decided; thrown exceptions would roll the transaction back, so failures are returned. */
  private sealed interface Outcome {
    record Token(Secret token) implements Outcome {}

    record Reauth() implements Outcome {}

    record Unreadable(SecretUnreadableException cause, String field) implements Outcome {}

    record NotDue() implements Outcome {}
  }

  /**
   * Authorization code providers only, with {@link RefreshLimiter#defaults()}.
   *
   * @param providers the configured providers (a refresh for another one is {@link NotConfiguredException})
   */
  public TokenService(Map<Provider, OAuthProviderConfig> providers, OAuthClient client,
      OAuthConnectionRepository connections, SecretCipher cipher, AuditLog auditLog, Clock clock) {
    this(authorizationCode(providers), client, null, connections, cipher, auditLog, clock, RefreshLimiter.defaults());
  }

  /**
   * @param grants each provider's strategy (a provider without one is {@link NotConfiguredException})
   * @param logins the login client of {@link GrantStrategy.PasswordLogin} providers; {@code null} when there are none
   * @param limiter bounds the renewals running at once
   * @throws IllegalArgumentException when a password login provider is registered without a login client
   */
  public TokenService(Map<Provider, GrantStrategy> grants, OAuthClient client, PasswordLoginClient logins,
      OAuthConnectionRepository connections, SecretCipher cipher, AuditLog auditLog, Clock clock,
      RefreshLimiter limiter) {
    Objects.requireNonNull(grants, "grants");
    Map<Provider, GrantStrategy> copy = new LinkedHashMap<>();
    grants.forEach((p, g) -> copy.put(Objects.requireNonNull(p, "provider"), Objects.requireNonNull(g, "grant")));
    this.grants = Collections.unmodifiableMap(copy);
    this.client = Objects.requireNonNull(client, "client");
    this.logins = logins;
    if (logins == null && copy.values().stream().anyMatch(g -> g instanceof GrantStrategy.PasswordLogin)) {
      throw new IllegalArgumentException("a password login provider needs a PasswordLoginClient");
    }
    this.connections = Objects.requireNonNull(connections, "connections");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  /** @return each configured provider as an authorization code strategy without upstream revocation */
  public static Map<Provider, GrantStrategy> authorizationCode(Map<Provider, OAuthProviderConfig> providers) {
    Objects.requireNonNull(providers, "providers");
    Map<Provider, GrantStrategy> out = new LinkedHashMap<>();
    providers.forEach((p, c) -> out.put(p, new GrantStrategy.AuthorizationCode(c, Revocation.NONE)));
    return out;
  }

  /** @return the providers whose tokens the sweeper renews ahead of expiry ({@link GrantStrategy#refreshesAhead()}) */
  public Set<Provider> refreshedAhead() {
    Set<Provider> out = new LinkedHashSet<>();
    grants.forEach((p, g) -> {
      if (g.refreshesAhead()) {
        out.add(p);
      }
    });
    return Collections.unmodifiableSet(out);
  }

  /** @return the provider's strategy, if it is configured */
  public Optional<GrantStrategy> strategy(Provider provider) {
    return Optional.ofNullable(grants.get(provider));
  }

  /** @return the limiter around renewals */
  public RefreshLimiter limiter() {
    return limiter;
  }

  @Override
  public Secret accessToken(UserId userId, Provider provider) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    OAuthConnection connection = connections.find(userId, provider)
        .orElseThrow(() -> new NotFoundException(provider.key() + " is not connected"));
    GrantStrategy strategy = grants.get(provider);
    if (connection.status() == ConnectionStatus.NEEDS_REAUTH
        || (connection.accessToken() == null && !obtainsWithoutToken(strategy))) {
      throw new ReauthRequiredException(provider);
    }
    if (connection.accessToken() != null && usable(strategy, connection, clock.instant(), ON_DEMAND_SKEW)) {
      return decrypt(connection, connection.accessToken(), OAuthConnection.ACCESS_TOKEN_FIELD);
    }
    return singleFlight(new OAuthConnectionRepository.Key(userId, provider));
  }

  /**
   * Refreshes the connection when its provider's strategy {@linkplain GrantStrategy#refreshesAhead() refreshes
   * ahead} and, on its locked row, it is still connected, can be renewed (a refresh token; for a password login also
   * the stored password) and expires within {@code window}. Never waits: a row locked elsewhere (another sweeper, an
   * on-demand refresh) is left alone, as is one still backing off after a transient failure, or one for which the
   * {@link RefreshLimiter} has no permit free.
   *
   * @return whether new tokens were obtained and stored
   * @throws ReauthRequiredException after {@code invalid_grant} (the connection is already marked)
   * @throws com.nexflux.integrations.core.error.UnavailableException or {@link RateLimitedException} for a
   *     transient failure, {@link OAuthProtocolException}, {@link SecretUnreadableException} or
   *     {@link NotConfiguredException} (nothing changed; this instance defers the next attempt)
   */
  public boolean refreshIfDue(OAuthConnectionRepository.Key key, Duration window) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(window, "window");
    Backoff backoff = backoffs.get(key);
    if (backoff != null && clock.instant().isBefore(backoff.notBefore())) {
      return false;
    }
    GrantStrategy strategy = grants.get(key.provider());
    if (strategy != null && !strategy.refreshesAhead()) {
      return false; // client credentials and API keys are renewed on demand, or never
    }
    try {
      List<Optional<Outcome>> result = new ArrayList<>(1);
      boolean ran = limiter.tryRun(() -> result.add(connections.withLock(key.userId(), key.provider(), true,
          (current, writer) -> {
            Instant now = clock.instant();
            if (current.status() != ConnectionStatus.CONNECTED || current.tokenExpiresAt() == null
                || !current.tokenExpiresAt().isBefore(now.plus(window))
                || (current.refreshToken() == null && !(strategy instanceof GrantStrategy.PasswordLogin))) {
              return new Outcome.NotDue();
            }
            return renewLocked(current, writer, now);
          })));
      if (!ran) {
        return false; // every permit is taken: on-demand callers come first
      }
      Optional<Outcome> outcome = result.get(0);
      if (outcome.isEmpty() || outcome.get() instanceof Outcome.NotDue) {
        return false; // locked elsewhere, gone, or no longer due
      }
      settle(key, outcome.get());
      backoffs.remove(key);
      return true;
    } catch (ReauthRequiredException e) {
      backoffs.remove(key); // the row is needs_reauth now and no longer due
      throw e;
    } catch (RuntimeException e) {
      // transient failures above all, but also an unreadable token or a misconfigured client: do not hammer
      backOff(key, e);
      throw e;
    }
  }

  private Secret singleFlight(OAuthConnectionRepository.Key key) {
    CompletableFuture<Secret> mine = new CompletableFuture<>();
    CompletableFuture<Secret> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }
    try {
      Secret token = refreshOnDemand(key);
      mine.complete(token);
      return token;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private Secret refreshOnDemand(OAuthConnectionRepository.Key key) {
    GrantStrategy strategy = grants.get(key.provider());
    // the permit before the pooled connection: waiting here holds nothing
    Optional<Outcome> outcome = limiter.call(() -> connections.withLock(key.userId(), key.provider(), false,
        (current, writer) -> {
          Instant now = clock.instant();
          if (current.status() == ConnectionStatus.NEEDS_REAUTH
              || (current.accessToken() == null && !obtainsWithoutToken(strategy))) {
            return new Outcome.Reauth();
          }
          if (current.accessToken() != null && usable(strategy, current, now, ON_DEMAND_SKEW)) {
            // another instance refreshed while we waited for the lock
            return readToken(current);
          }
          return renewLocked(current, writer, now);
        }));
    return settle(key, outcome.orElseThrow(
        () -> new NotFoundException(key.provider().key() + " is not connected")));
  }

  /** Renews the locked row's tokens as its provider's strategy says. */
  private Outcome renewLocked(OAuthConnection current, OAuthConnectionRepository.Writer writer, Instant now) {
    GrantStrategy strategy = grants.get(current.provider());
    if (strategy == null) {
      throw new NotConfiguredException("OAuth for " + current.provider().key() + " is not configured on this server");
    }
    if (strategy instanceof GrantStrategy.AuthorizationCode code) {
      return refreshLocked(code.config(), current, writer, now);
    }
    if (strategy instanceof GrantStrategy.ClientCredentials credentials) {
      return requestClientCredentials(credentials, current, writer, now);
    }
    if (strategy instanceof GrantStrategy.PasswordLogin login) {
      return refreshOrLogIn(login, current, writer, now);
    }
    return readToken(current); // a static API key: nothing to renew
  }

  /** The authorization code strategy's refresh, on the locked row: provider call, then the write. */
  private Outcome refreshLocked(OAuthProviderConfig config, OAuthConnection current,
      OAuthConnectionRepository.Writer writer, Instant now) {
    UserId user = current.userId();
    Provider provider = current.provider();
    if (current.refreshToken() == null) {
      if (current.tokenExpiresAt() != null && now.isBefore(current.tokenExpiresAt())) {
        return readToken(current); // cannot refresh, but still valid for a little while
      }
      writer.update(current.needingReauth(now), audit(user, provider, AuditEvent.Outcome.FAILURE,
          "expired_without_refresh_token", Map.of()));
      return new Outcome.Reauth();
    }
    Secret refreshToken;
    try {
      refreshToken = cipher.decrypt(current.refreshToken(), context(user, provider,
          OAuthConnection.REFRESH_TOKEN_FIELD));
    } catch (SecretUnreadableException e) {
      return new Outcome.Unreadable(e, OAuthConnection.REFRESH_TOKEN_FIELD);
    }
    TokenSet tokens;
    try {
      tokens = client.refresh(config, refreshToken);
    } catch (OAuthGrantException e) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("provider_error", e.providerError() == null ? "unknown" : e.providerError());
      writer.update(current.needingReauth(now), audit(user, provider, AuditEvent.Outcome.FAILURE, "invalid_grant",
          details));
      return new Outcome.Reauth();
    } catch (OAuthProtocolException e) {
      LOG.warning("Token refresh answer unusable or client misconfigured [provider=" + provider.key()
          + "]: " + e.getMessage());
      throw e;
    }
    EncryptedSecret access = cipher.encrypt(tokens.accessToken(),
        context(user, provider, OAuthConnection.ACCESS_TOKEN_FIELD));
    EncryptedSecret refresh = tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken(),
        context(user, provider, OAuthConnection.REFRESH_TOKEN_FIELD));
    OAuthConnection updated = current.withTokens(access, refresh, tokens.expiresAt(),
        tokens.refreshTokenExpiresAt(), tokens.scopes(), now);
    if (!tokens.scopes().isEmpty() && current.config().containsKey("scopes")
        && !tokens.scopes().equals(current.config().get("scopes"))) {
      Map<String, Object> withScopes = new LinkedHashMap<>(updated.config());
      withScopes.put("scopes", tokens.scopes());
      updated = updated.withConfig(withScopes, now);
    }
    writer.update(updated, null);
    return new Outcome.Token(tokens.accessToken());
  }

  /** The client credentials strategy: a new token for the user's stored client; no refresh token is kept. */
  private Outcome requestClientCredentials(GrantStrategy.ClientCredentials grant, OAuthConnection current,
      OAuthConnectionRepository.Writer writer, Instant now) {
    UserId user = current.userId();
    Provider provider = current.provider();
    EncryptedSecret storedId = current.storedCredential(OAuthConnection.CLIENT_ID_FIELD);
    EncryptedSecret storedSecret = current.storedCredential(OAuthConnection.CLIENT_SECRET_FIELD);
    if (storedId == null || storedSecret == null) {
      writer.update(current.needingReauth(now), audit(user, provider, AuditEvent.Outcome.FAILURE,
          "no_stored_credentials", Map.of()));
      return new Outcome.Reauth();
    }
    Secret clientId;
    Secret clientSecret;
    try {
      clientId = cipher.decrypt(storedId, context(user, provider, OAuthConnection.CLIENT_ID_FIELD));
    } catch (SecretUnreadableException e) {
      return new Outcome.Unreadable(e, OAuthConnection.CLIENT_ID_FIELD);
    }
    try {
      clientSecret = cipher.decrypt(storedSecret, context(user, provider, OAuthConnection.CLIENT_SECRET_FIELD));
    } catch (SecretUnreadableException e) {
      return new Outcome.Unreadable(e, OAuthConnection.CLIENT_SECRET_FIELD);
    }
    TokenSet tokens;
    try {
      tokens = client.clientCredentials(grant.forConnection(current.tokenParameters(), current.tokenHeaders(),
          current.tokenEndpoint()), clientId.reveal(), clientSecret);
    } catch (CredentialsRejectedException | OAuthGrantException e) {
      String error = e instanceof CredentialsRejectedException r ? r.providerError()
          : ((OAuthGrantException) e).providerError();
      writer.update(current.needingReauth(now), audit(user, provider, AuditEvent.Outcome.FAILURE,
          "credentials_rejected", Map.of("provider_error", safe(error))));
      return new Outcome.Reauth();
    }
    EncryptedSecret access = cipher.encrypt(tokens.accessToken(),
        context(user, provider, OAuthConnection.ACCESS_TOKEN_FIELD));
    writer.update(current.withTokens(access, null, tokens.expiresAt(), null, tokens.scopes(), now), null);
    return new Outcome.Token(tokens.accessToken());
  }

  /** The password login strategy: the refresh token while it works, else a new login with the stored password. */
  private Outcome refreshOrLogIn(GrantStrategy.PasswordLogin login, OAuthConnection current,
      OAuthConnectionRepository.Writer writer, Instant now) {
    UserId user = current.userId();
    Provider provider = current.provider();
    URI server = server(login, current);
    TokenSet tokens = null;
    boolean refreshUsable = current.refreshToken() != null
        && (current.refreshTokenExpiresAt() == null || now.isBefore(current.refreshTokenExpiresAt()));
    if (refreshUsable) {
      Secret refreshToken;
      try {
        refreshToken = cipher.decrypt(current.refreshToken(), context(user, provider,
            OAuthConnection.REFRESH_TOKEN_FIELD));
      } catch (SecretUnreadableException e) {
        return new Outcome.Unreadable(e, OAuthConnection.REFRESH_TOKEN_FIELD);
      }
      try {
        tokens = logins.refresh(server, refreshToken);
      } catch (OAuthGrantException | CredentialsRejectedException e) {
        LOG.log(Level.FINE, "Refresh token of " + provider.key() + " refused; logging in again");
      }
    }
    if (tokens == null) {
      Object username = current.config().get(OAuthConnection.LOGIN_USERNAME_KEY);
      EncryptedSecret storedPassword = current.storedCredential(OAuthConnection.PASSWORD_FIELD);
      if (!(username instanceof String name) || name.isEmpty() || storedPassword == null) {
        writer.update(current.needingReauth(now), audit(user, provider, AuditEvent.Outcome.FAILURE,
            "no_stored_credentials", Map.of()));
        return new Outcome.Reauth();
      }
      Secret password;
      try {
        password = cipher.decrypt(storedPassword, context(user, provider, OAuthConnection.PASSWORD_FIELD));
      } catch (SecretUnreadableException e) {
        return new Outcome.Unreadable(e, OAuthConnection.PASSWORD_FIELD);
      }
      try {
        tokens = logins.login(server, name, password);
      } catch (CredentialsRejectedException e) {
        writer.update(current.needingReauth(now), audit(user, provider, AuditEvent.Outcome.FAILURE,
            "credentials_rejected", Map.of("provider_error", safe(e.providerError()))));
        return new Outcome.Reauth();
      }
    }
    EncryptedSecret access = cipher.encrypt(tokens.accessToken(),
        context(user, provider, OAuthConnection.ACCESS_TOKEN_FIELD));
    EncryptedSecret refresh = tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken(),
        context(user, provider, OAuthConnection.REFRESH_TOKEN_FIELD));
    writer.update(current.withTokens(access, refresh, tokens.expiresAt(), tokens.refreshTokenExpiresAt(),
        tokens.scopes(), now), null);
    return new Outcome.Token(tokens.accessToken());
  }

  private static URI server(GrantStrategy.PasswordLogin login, OAuthConnection current) {
    Object configured = current.config().get(OAuthConnection.BASE_URL_KEY);
    if (configured instanceof String text && !text.isBlank()) {
      try {
        return URI.create(text);
      } catch (IllegalArgumentException e) {
        throw new NotConfiguredException("The stored server address of " + current.provider().key()
            + " is not a URL");
      }
    }
    if (login.defaultServer() == null) {
      throw new NotConfiguredException("No server is known for " + current.provider().key());
    }
    return login.defaultServer();
  }

  private static String safe(String providerError) {
    return providerError == null ? "unknown" : providerError;
  }

  /** Turns the locked work's outcome into a token or the matching exception (after the transaction committed). */
  private Secret settle(OAuthConnectionRepository.Key key, Outcome outcome) {
    if (outcome instanceof Outcome.Token t) {
      return t.token();
    }
    if (outcome instanceof Outcome.Unreadable u) {
      throw auditDecryptFailure(key.userId(), key.provider(), u.field(), u.cause());
    }
    throw new ReauthRequiredException(key.provider());
  }

  private Outcome readToken(OAuthConnection current) {
    try {
      return new Outcome.Token(cipher.decrypt(current.accessToken(),
          context(current.userId(), current.provider(), OAuthConnection.ACCESS_TOKEN_FIELD)));
    } catch (SecretUnreadableException e) {
      return new Outcome.Unreadable(e, OAuthConnection.ACCESS_TOKEN_FIELD);
    }
  }

  private Secret decrypt(OAuthConnection connection, EncryptedSecret value, String field) {
    try {
      return cipher.decrypt(value, context(connection.userId(), connection.provider(), field));
    } catch (SecretUnreadableException e) {
      throw auditDecryptFailure(connection.userId(), connection.provider(), field, e);
    }
  }

  private SecretUnreadableException auditDecryptFailure(UserId user, Provider provider, String field,
      SecretUnreadableException failure) {
    return auditLog.appendFor(new AuditEvent(UUID.randomUUID(), user, provider, AuditEvent.Actions.DECRYPT_FAILED,
        AuditEvent.Outcome.FAILURE, "decrypt_failed", RequestContext.internal("token-service"), clock.instant(),
        Map.of("field", field)), failure);
  }

  private void backOff(OAuthConnectionRepository.Key key, RuntimeException cause) {
    Instant now = clock.instant();
    Backoff next = backoffs.compute(key, (k, previous) -> {
      int failures = previous == null ? 1 : previous.failures() + 1;
      Duration delay = backoffDelay(failures);
      if (cause instanceof RateLimitedException r && r.retryAfter() != null && r.retryAfter().compareTo(delay) > 0) {
        delay = r.retryAfter().compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : r.retryAfter();
      }
      return new Backoff(failures, now.plus(delay));
    });
    LOG.log(Level.INFO, "Background refresh of " + key.provider().key() + " failed transiently ("
        + cause.getClass().getSimpleName() + "); next attempt not before " + next.notBefore());
  }

  /** @return the back-off after {@code failures} consecutive transient failures: 30 s, 60 s, ... at most 30 min */
  static Duration backoffDelay(int failures) {
    int shift = Math.min(Math.max(failures - 1, 0), 16);
    Duration d = MIN_BACKOFF.multipliedBy(1L << shift);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /** @return whether the stored token may be handed out as is (an API key always; others while not near expiry) */
  private static boolean usable(GrantStrategy strategy, OAuthConnection c, Instant now, Duration skew) {
    return strategy instanceof GrantStrategy.StaticApiKey || fresh(c, now, skew);
  }

  /** @return whether the strategy can get a token for a connection that has none (stored credentials) */
  private static boolean obtainsWithoutToken(GrantStrategy strategy) {
    return strategy instanceof GrantStrategy.ClientCredentials || strategy instanceof GrantStrategy.PasswordLogin;
  }

  private static boolean fresh(OAuthConnection c, Instant now, Duration skew) {
    return c.tokenExpiresAt() == null || Duration.between(now, c.tokenExpiresAt()).compareTo(skew) > 0;
  }

  private static SecretContext context(UserId user, Provider provider, String field) {
    return new SecretContext(user, provider, field);
  }

  private AuditEvent audit(UserId user, Provider provider, AuditEvent.Outcome outcome, String reason,
      Map<String, String> details) {
    return new AuditEvent(UUID.randomUUID(), user, provider, REAUTH_REQUIRED_ACTION, outcome, reason,
        RequestContext.internal("token-refresh-" + UUID.randomUUID()), clock.instant(), details);
  }

  /** @return how many connections are backing off on this instance (for metrics and tests) */
  public int backingOff() {
    return backoffs.size();
  }
}
