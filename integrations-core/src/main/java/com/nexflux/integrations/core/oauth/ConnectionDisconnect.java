package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretCipher;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one provider-neutral disconnect of a stored connection: a best-effort revocation upstream (as the provider's
 * {@link Revocation} says), then the local delete, with one {@code integration.disconnect} audit row (written in the
 * delete's transaction) saying whether the revocation worked. The local delete happens whatever the provider
 * answered; a failing revocation never fails the disconnect.
 *
 * <p>Which token is revoked: for {@link Revocation.GitHubGrant} a usable access token (refreshed first when it is
 * about to expire, since GitHub identifies the grant by it); for {@link Revocation.Rfc7009} the stored refresh token
 * when there is one (which ends the whole grant), else the stored access token.
 *
 * <p>The audit row: outcome success when the provider revoked the grant or offers no revocation, failure otherwise;
 * reason {@code no_token} (no usable token: needs re-authorization, unreadable, refresh failed), {@code revoke_failed}
 * (the provider answered with an error or was unreachable), {@code revocation_not_supported} (Microsoft, client
 * credentials, API keys) or {@code not_configured} (nothing was stored); details {@code upstream_revocation} (one of
 * {@link Upstream}'s keys) and {@code upstream_revoked} ({@code true}/{@code false}).
 */
public final class ConnectionDisconnect {
  private static final Logger LOG = Logger.getLogger(ConnectionDisconnect.class.getName());

  /** What happened upstream. */
  public enum Upstream {
    /** The provider confirmed the revocation (or said the grant was already gone). */
    REVOKED,
    /** The provider offers no revocation; the connection was only deleted here. */
    NOT_SUPPORTED,
    /** There was no usable token to revoke with. */
    NO_TOKEN,
    /** The provider refused or could not be reached. */
    FAILED,
    /** Nothing was stored, so nothing was revoked. */
    NOT_CONNECTED;

    /** @return the audit spelling, e.g. {@code not_supported} */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What a disconnect did.
   *
   * @param existed whether a connection was stored
   * @param upstream what happened upstream
   */
  public record Result(boolean existed, Upstream upstream) {
    public Result {
      Objects.requireNonNull(upstream, "upstream");
    }
  }

  private final Map<Provider, GrantStrategy> grants;
  private final AccessTokens tokens;
  private final OAuthClient client;
  private final OAuthConnectionRepository connections;
  private final SecretCipher cipher;
  private final Clock clock;

  /**
   * @param grants each provider's strategy (its {@link GrantStrategy#revocation()}); a provider without one is only
   *     deleted
   * @param tokens usable access tokens (for revocations that need a live access token)
   * @param client revokes upstream
   */
  public ConnectionDisconnect(Map<Provider, GrantStrategy> grants, AccessTokens tokens, OAuthClient client,
      OAuthConnectionRepository connections, SecretCipher cipher, Clock clock) {
    this.grants = Map.copyOf(Objects.requireNonNull(grants, "grants"));
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.client = Objects.requireNonNull(client, "client");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Revokes upstream (best effort) and deletes the user's connection to the provider. Idempotent.
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database is down (nothing deleted)
   */
  public Result disconnect(UserId userId, Provider provider, RequestContext context) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(context, "context");
    Optional<OAuthConnection> found = connections.find(userId, provider);
    if (found.isEmpty()) {
      connections.delete(userId, provider, audit(userId, provider, Upstream.NOT_CONNECTED, "not_configured",
          context));
      return new Result(false, Upstream.NOT_CONNECTED);
    }
    Upstream upstream = revoke(found.get());
    String reason = switch (upstream) {
      case REVOKED -> null;
      case NOT_SUPPORTED -> "revocation_not_supported";
      case NO_TOKEN -> "no_token";
      case FAILED -> "revoke_failed";
      case NOT_CONNECTED -> "not_configured";
    };
    boolean existed = connections.delete(userId, provider, audit(userId, provider, upstream, reason, context));
    return new Result(existed, upstream);
  }

  private Upstream revoke(OAuthConnection connection) {
    Optional<GrantStrategy> strategy = Optional.ofNullable(grants.get(connection.provider()));
    Revocation revocation = strategy.map(GrantStrategy::revocation).orElse(Revocation.NONE);
    if (revocation instanceof Revocation.NotSupported
        || !(strategy.get() instanceof GrantStrategy.AuthorizationCode code)) {
      return Upstream.NOT_SUPPORTED;
    }
    Optional<Token> token = token(connection, revocation);
    if (token.isEmpty()) {
      return Upstream.NO_TOKEN;
    }
    try {
      client.revoke(code.config(), revocation, token.get().value(), token.get().kind());
      return Upstream.REVOKED;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Revoking the " + connection.provider().key() + " grant failed: "
          + e.getClass().getSimpleName() + (e instanceof IntegrationsException ie ? " " + ie.code() : ""));
      return Upstream.FAILED;
    }
  }

  private record Token(Secret value, Revocation.TokenKind kind) {}

  private Optional<Token> token(OAuthConnection connection, Revocation revocation) {
    if (connection.status() != ConnectionStatus.CONNECTED) {
      return Optional.empty();
    }
    if (revocation instanceof Revocation.GitHubGrant) {
      try {
        return Optional.of(new Token(tokens.accessToken(connection.userId(), connection.provider()),
            Revocation.TokenKind.ACCESS_TOKEN));
      } catch (RuntimeException e) {
        LOG.log(Level.INFO, "No usable " + connection.provider().key() + " token to revoke: "
            + e.getClass().getSimpleName());
        return Optional.empty();
      }
    }
    if (connection.refreshToken() != null) {
      Optional<Secret> refresh = decrypt(connection, connection.refreshToken(), OAuthConnection.REFRESH_TOKEN_FIELD);
      if (refresh.isPresent()) {
        return Optional.of(new Token(refresh.get(), Revocation.TokenKind.REFRESH_TOKEN));
      }
    }
    if (connection.accessToken() != null) {
      return decrypt(connection, connection.accessToken(), OAuthConnection.ACCESS_TOKEN_FIELD)
          .map(t -> new Token(t, Revocation.TokenKind.ACCESS_TOKEN));
    }
    return Optional.empty();
  }

  private Optional<Secret> decrypt(OAuthConnection connection, EncryptedSecret value, String field) {
    try {
      return Optional.of(cipher.decrypt(value, new SecretContext(connection.userId(), connection.provider(), field)));
    } catch (RuntimeException e) {
      LOG.log(Level.INFO, "The stored " + field + " of " + connection.provider().key() + " is unreadable; "
          + "it cannot be revoked");
      return Optional.empty();
    }
  }

  private AuditEvent audit(UserId user, Provider provider, Upstream upstream, String reason,
      RequestContext context) {
    boolean success = upstream == Upstream.REVOKED || upstream == Upstream.NOT_SUPPORTED
        || upstream == Upstream.NOT_CONNECTED;
    Map<String, String> details = new LinkedHashMap<>();
    details.put("upstream_revoked", Boolean.toString(upstream == Upstream.REVOKED));
    details.put("upstream_revocation", upstream.key());
    return new AuditEvent(UUID.randomUUID(), user, provider, AuditEvent.Actions.DISCONNECT,
        success ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE, reason, context, clock.instant(), details);
  }
}
