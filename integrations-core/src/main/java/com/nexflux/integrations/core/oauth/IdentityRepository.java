package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.util.Optional;

/** Links provider accounts to NexFlux users ({@code user_identities}, SPI). */
public interface IdentityRepository {
  /** @return the user linked to this provider account */
  Optional<UserId> findUser(Provider provider, String accountId);

  /**
   * Returns the user linked to the account, or atomically creates {@code newUser} (its {@code users} row too) and
   * links it. Safe under concurrency: two first sign-ins of the same account end with one user.
   *
   * @return the linked user and whether it was created now
   */
  Linked findOrCreate(Provider provider, String accountId, UserId newUser);

  /** Links the account to {@code userId} unless it is already linked (to anyone). @return whether it linked */
  boolean linkIfAbsent(Provider provider, String accountId, UserId userId);

  /** The outcome of {@link #findOrCreate}. */
  record Linked(UserId userId, boolean created) {}
}
