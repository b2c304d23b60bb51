package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.net.URI;

/**
 * Finishes "sign in with a provider" in the hosting service's own way (SPI): it starts the user's session and
 * says where to send the browser. The standalone server issues a session JWT and redirects to
 * {@code FRONTEND_URL#token=...}.
 */
@FunctionalInterface
public interface SignInCompletion {
  /**
   * @param userId the NexFlux user (created on first sign-in)
   * @param provider the provider signed in with
   * @param login the provider account's login
   * @param newUser whether the user was created by this sign-in
   * @return where to redirect the browser
   */
  URI complete(UserId userId, Provider provider, String login, boolean newUser);

  /**
   * Like {@link #complete(UserId, Provider, String, boolean)}, knowing where the flow asked to return.
   *
   * @param target {@code FRONTEND_URL}, or its origin plus the flow's checked {@code return_to}
   */
  default URI complete(UserId userId, Provider provider, String login, boolean newUser, URI target) {
    return complete(userId, provider, login, newUser);
  }
}
