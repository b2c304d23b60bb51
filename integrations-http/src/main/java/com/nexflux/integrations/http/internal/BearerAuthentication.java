package com.nexflux.integrations.http.internal;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.account.Accounts;
import com.nexflux.integrations.http.Authenticator;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates {@code /api/v1/users/me/...} requests: {@code Authorization: Bearer <token>} (the header only; a
 * token in the query string is ignored) → {@link Authenticator} → {@link Accounts#admit}. The user id is kept as a
 * request attribute; handlers read it through {@link #user}, which authenticates itself when the before-handler did
 * not run, so a route can never be reached unauthenticated.
 */
public final class BearerAuthentication {
  /** {@code WWW-Authenticate} when no bearer credentials were sent (RFC 6750 §3). */
  public static final String CHALLENGE_MISSING = "Bearer";
  /** {@code WWW-Authenticate} when the sent token was rejected (RFC 6750 §3.1). */
  public static final String CHALLENGE_INVALID = "Bearer error=\"invalid_token\"";

  private static final String ATTRIBUTE = "nexflux.integrations.userId";
  private static final String SCHEME = "bearer";

  private final Authenticator authenticator;
  private final Accounts accounts;

  public BearerAuthentication(Authenticator authenticator, Accounts accounts) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
  }

  /**
   * Before-handler. Idempotent. A CORS preflight ({@code OPTIONS}, which carries no credentials by design and reaches
   * no route of ours) is left to the CORS support.
   */
  public void authenticate(Context ctx) {
    if (ctx.method() == io.javalin.http.HandlerType.OPTIONS) {
      return;
    }
    user(ctx);
  }

  /** @return the authenticated caller, authenticating the request first if needed */
  public UserId user(Context ctx) {
    UserId known = ctx.attribute(ATTRIBUTE);
    if (known != null) {
      return known;
    }
    String token = bearerToken(ctx.header("Authorization"));
    if (token == null) {
      ctx.header("WWW-Authenticate", CHALLENGE_MISSING);
      throw new UnauthorizedException("missing bearer token");
    }
    UserId user;
    try {
      user = authenticator.authenticate(token);
      if (user == null) {
        throw new UnauthorizedException("invalid bearer token");
      }
      accounts.admit(user);
    } catch (UnauthorizedException e) {
      ctx.header("WWW-Authenticate", CHALLENGE_INVALID);
      throw e;
    }
    ctx.attribute(ATTRIBUTE, user);
    return user;
  }

  /**
   * For routes that serve anonymous and authenticated callers alike ({@code GET /api/v1/auth/github/connect}):
   * no {@code Authorization} header (or a blank one) is anonymous; any other header must carry a valid bearer
   * token, else 401, so that a broken token never silently turns a link into a sign-in.
   *
   * @return the authenticated caller, or empty when the request carries no credentials
   * @throws UnauthorizedException when credentials were sent but are not a valid bearer token
   */
  public Optional<UserId> optionalUser(Context ctx) {
    UserId known = ctx.attribute(ATTRIBUTE);
    if (known != null) {
      return Optional.of(known);
    }
    String authorization = ctx.header("Authorization");
    if (authorization == null || authorization.isBlank()) {
      return Optional.empty();
    }
    if (bearerToken(authorization) == null) {
      ctx.header("WWW-Authenticate", CHALLENGE_INVALID);
      throw new UnauthorizedException("malformed authorization header");
    }
    return Optional.of(user(ctx));
  }

  /** @return the token of a {@code Bearer} authorization header, or {@code null} when there is none */
  public static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    int space = value.indexOf(' ');
    if (space <= 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return null;
    }
    String token = value.substring(space + 1).strip();
    return token.isEmpty() ? null : token;
  }
}
