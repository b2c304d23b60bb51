package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Secret;
import java.net.URI;

/**
 * Logs in with a username and password for an access and a refresh token, and renews them (SPI; ThingsBoard:
 * {@code POST /api/auth/login} and {@code POST /api/auth/token}). Failures: {@link CredentialsRejectedException}
 * when the login is refused; {@link OAuthGrantException} when the refresh token is refused or expired (the caller
 * logs in again); {@link com.nexflux.integrations.core.error.UnavailableException} or
 * {@link com.nexflux.integrations.core.error.RateLimitedException} for transient failures;
 * {@link OAuthProtocolException} for an unusable answer. Messages never contain a password or a token.
 */
public interface PasswordLoginClient {
  /** @return the tokens of a fresh login (with a refresh token and, where the server says, expiries) */
  TokenSet login(URI server, String username, Secret password);

  /** @return renewed tokens */
  TokenSet refresh(URI server, Secret refreshToken);
}
