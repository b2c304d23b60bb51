package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Tokens as a provider issued them (plaintext, in memory only).
 *
 * @param accessToken the bearer access token
 * @param refreshToken the refresh token, or {@code null}
 * @param expiresAt when the access token expires (request time + {@code expires_in}), or {@code null} when it does not
 * @param refreshTokenExpiresAt when the refresh token expires, or {@code null}
 * @param scopes the granted scopes (the requested ones when the provider does not say)
 * @param idToken the OpenID Connect {@code id_token} as sent (unverified), or {@code null}
 */
public record TokenSet(Secret accessToken, Secret refreshToken, Instant expiresAt, Instant refreshTokenExpiresAt,
    List<String> scopes, Secret idToken) {
  public TokenSet {
    Objects.requireNonNull(accessToken, "accessToken");
    scopes = List.copyOf(scopes);
  }

  /** Tokens without an {@code id_token}. */
  public TokenSet(Secret accessToken, Secret refreshToken, Instant expiresAt, Instant refreshTokenExpiresAt,
      List<String> scopes) {
    this(accessToken, refreshToken, expiresAt, refreshTokenExpiresAt, scopes, null);
  }
}
