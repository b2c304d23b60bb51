package com.nexflux.integrations.http;

import com.nexflux.integrations.core.domain.UserId;

/**
 * Turns the bearer token of a request into the NexFlux user it was issued to. The HTTP adapter calls it for
 * every {@code /api/v1/users/me/...} request, with the token taken from the {@code Authorization: Bearer}
 * header only.
 *
 * <p>Implementations must be thread-safe and must not put any part of the token into an exception message or
 * a log line.
 *
 * @see JwtAuthenticator
 * @since 0.1
 */
public interface Authenticator {

  /**
   * Verifies a bearer token.
   *
   * @param bearerToken the token exactly as sent after {@code Bearer }, never {@code null}
   * @return the user the token was issued to
   * @throws com.nexflux.integrations.core.error.UnauthorizedException when the token is not valid (malformed, bad
   *     signature, wrong algorithm, expired, not yet valid, wrong issuer or audience, missing or non-UUID subject)
   * @throws com.nexflux.integrations.core.error.UnavailableException when the keys needed to check it cannot be
   *     fetched
   */
  UserId authenticate(String bearerToken);
}
