package com.nexflux.integrations.providers.oauth.internal;

import com.github.scribejava.core.model.OAuth2AccessToken;

/**
 * A checked token response: a bearer {@code access_token} is present; the lifetimes are parsed as seconds. The raw
 * response is not kept and {@link #toString()} shows no token.
 */
public final class ParsedToken extends OAuth2AccessToken {
  private static final long serialVersionUID = 1L;
  private final Long expiresInSeconds;
  private final Long refreshTokenExpiresInSeconds;
  private final String idToken;

  /**
   * @param accessToken the access token
   * @param tokenType the token type (bearer)
   * @param expiresInSeconds {@code expires_in}, or {@code null}
   * @param refreshToken the refresh token, or {@code null}
   * @param refreshTokenExpiresInSeconds {@code refresh_token_expires_in}, or {@code null}
   * @param scope {@code scope} as sent, or {@code null}
   * @param idToken the OpenID Connect {@code id_token} as sent (not verified here), or {@code null}
   */
  public ParsedToken(String accessToken, String tokenType, Long expiresInSeconds, String refreshToken,
      Long refreshTokenExpiresInSeconds, String scope, String idToken) {
    super(accessToken, tokenType, toInteger(expiresInSeconds), refreshToken, scope, "[not kept]");
    this.expiresInSeconds = expiresInSeconds;
    this.refreshTokenExpiresInSeconds = refreshTokenExpiresInSeconds;
    this.idToken = idToken;
  }

  /** @return {@code expires_in} in seconds, or {@code null} when the provider sent none */
  public Long expiresInSeconds() {
    return expiresInSeconds;
  }

  /** @return {@code refresh_token_expires_in} in seconds, or {@code null} when the provider sent none */
  public Long refreshTokenExpiresInSeconds() {
    return refreshTokenExpiresInSeconds;
  }

  /** @return the {@code id_token} as sent, or {@code null} */
  public String idToken() {
    return idToken;
  }

  private static Integer toInteger(Long value) {
    return value == null ? null : (int) Math.min(Integer.MAX_VALUE, value);
  }

  @Override
  public String toString() {
    return "ParsedToken[redacted]";
  }
}
