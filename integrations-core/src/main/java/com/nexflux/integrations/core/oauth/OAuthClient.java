package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Secret;
import java.net.URI;
import java.util.List;

/**
 * Speaks OAuth 2.0 to a provider's authorization and token endpoints (SPI).
 *
 * <p>Failures: {@link com.nexflux.integrations.core.oauth.OAuthGrantException} when the provider refuses the code
 * or refresh token ({@code invalid_grant}, {@code bad_verification_code}, {@code bad_refresh_token});
 * {@link com.nexflux.integrations.core.oauth.OAuthProtocolException} for an unusable answer (not a bearer token,
 * no access token, not JSON) or a client misconfiguration ({@code invalid_client}, {@code redirect_uri_mismatch});
 * {@link com.nexflux.integrations.core.error.RateLimitedException} for 429; and
 * {@link com.nexflux.integrations.core.error.UnavailableException} for 5xx, timeouts and network errors. Messages
 * never contain a token, a code, a verifier or the client secret.
 *
 * <p>Besides the authorization code grant it speaks the client credentials grant with a user's own client
 * ({@link #clientCredentials}) and revokes tokens upstream ({@link #revoke}: RFC 7009 or GitHub's grant API).
 */
public interface OAuthClient {
  /**
   * @return the provider's authorization URL with {@code response_type=code}, the client id, the config's callback
   *     as {@code redirect_uri}, the scopes (space-separated), {@code state}, and PKCE ({@code code_challenge},
   *     {@code code_challenge_method=S256})
   */
  URI authorizationUrl(OAuthProviderConfig config, String state, String codeChallenge, List<String> scopes);

  /**
   * Like {@link #authorizationUrl(OAuthProviderConfig, String, String, List)}, plus the OpenID Connect
   * {@code nonce} (when not null) and the config's {@link OAuthProviderConfig#authorizationParameters()}. A client
   * that supports neither must not be used with an OIDC provider or one with extra parameters.
   */
  default URI authorizationUrl(OAuthProviderConfig config, String state, String codeChallenge, List<String> scopes,
      String nonce) {
    if (nonce != null || !config.authorizationParameters().isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot send a nonce or extra "
          + "authorization parameters");
    }
    return authorizationUrl(config, state, codeChallenge, scopes);
  }

  /**
   * Exchanges an authorization code (with the PKCE verifier and the same {@code redirect_uri}).
   *
   * @param requestedScopes stored as the granted scopes when the provider's answer names none
   */
  TokenSet exchangeCode(OAuthProviderConfig config, String code, Secret codeVerifier, List<String> requestedScopes);

  /** Uses a refresh token. A response without a refresh token yields a {@link TokenSet} whose refresh token is null. */
  TokenSet refresh(OAuthProviderConfig config, Secret refreshToken);

  /**
   * The client credentials grant (RFC 6749 section 4.4) with the user's own client: {@code grant_type=client_credentials},
   * the grant's scopes and extra parameters, the client authenticated as the grant says. A response without
   * {@code expires_in} yields a token without expiry; a refresh token in the answer is ignored (the token is simply
   * requested again).
   *
   * @throws CredentialsRejectedException when the endpoint refuses the client ({@code invalid_client},
   *     {@code unauthorized_client}, HTTP 401)
   */
  TokenSet clientCredentials(GrantStrategy.ClientCredentials grant, String clientId, Secret clientSecret);

  /**
   * Revokes a token upstream, as {@code revocation} says; returns normally when the provider confirmed it (or says
   * the token was already gone).
   *
   * @param config the provider's OAuth client (its client id and secret authenticate the request)
   * @param kind which token {@code token} is
   * @throws IllegalArgumentException for {@link Revocation.NotSupported}
   * @throws com.nexflux.integrations.core.error.UnavailableException, {@link com.nexflux.integrations.core.error.RateLimitedException}
   *     or {@link OAuthProtocolException} when it did not work
   */
  void revoke(OAuthProviderConfig config, Revocation revocation, Secret token, Revocation.TokenKind kind);
}
