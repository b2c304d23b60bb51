package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;

/** Hands out a usable access token for a user's connection, refreshing it first when it is about to expire. */
public interface AccessTokens {
  /**
   * @return an access token valid for at least the next 60 seconds (or one that does not expire)
   * @throws com.nexflux.integrations.core.error.NotFoundException when the user has no such connection
   * @throws ReauthRequiredException when the connection needs a new authorization (also after {@code invalid_grant})
   * @throws com.nexflux.integrations.core.error.UnavailableException or
   *     {@link com.nexflux.integrations.core.error.RateLimitedException} for transient failures (nothing changed)
   */
  Secret accessToken(UserId userId, Provider provider);
}
