package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Secret;

/**
 * Verifies an OpenID Connect {@code id_token} from a token response (SPI; the adapter lives in providers).
 *
 * <p>A verified token has a signature by one of the keys at {@link OAuthProviderConfig.Oidc#jwksUri()} (fetched and
 * cached), an {@code iss} that is one of the provider's issuers, an {@code aud} that contains our client id, an
 * {@code azp} equal to our client id when present (and required when {@code aud} names other clients too), an
 * {@code exp} in the future and an {@code iat} (60 s clock skew), a {@code sub}, and a {@code nonce} whose SHA-256 is
 * {@code nonceHash}.
 *
 * <p>Failures: {@link IdTokenRejectedException} for a token that fails any check (its message names the check,
 * never the token); {@link com.nexflux.integrations.core.error.UnavailableException} when the provider's keys cannot
 * be fetched.
 */
@FunctionalInterface
public interface IdTokenVerifier {
  /**
   * @param config the provider (its OIDC settings and client id)
   * @param idToken the compact JWS as sent
   * @param nonceHash lower-case hex SHA-256 of the nonce sent in the authorization request
   * @return the verified claims
   */
  IdTokenClaims verify(OAuthProviderConfig config, Secret idToken, String nonceHash);
}
