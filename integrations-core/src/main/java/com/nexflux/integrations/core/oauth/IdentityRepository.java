package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
  default Linked findOrCreate(Provider provider, String accountId, UserId newUser) {
    return signIn(provider, accountId, newUser, null);
  }

  /**
   * {@link #findOrCreate}, with the sign-in's audit row (made from the outcome) written in the same transaction: a
   * new user and its identity are never stored without their row, and a failed audit write stores neither.
   *
   * @param audit the audit row of the outcome, or {@code null} for none
   */
  Linked signIn(Provider provider, String accountId, UserId newUser,
      java.util.function.Function<Linked, AuditEvent> audit);

  /** Links the account to {@code userId} unless it is already linked (to anyone). @return whether it linked */
  boolean linkIfAbsent(Provider provider, String accountId, UserId userId);

  /** @return the user's sign-in identities, oldest first */
  List<Identity> list(UserId userId);

  /**
   * Removes the user's identity at {@code provider} (all of them, should there be several), with its audit row in the
   * same transaction (written even when nothing was linked).
   *
   * @return whether an identity went
   */
  boolean delete(UserId userId, Provider provider, AuditEvent audit);

  /**
   * A provider account a user signs in with.
   *
   * @param provider the provider
   * @param accountId the provider's stable account id (an OIDC {@code sub}, GitHub's numeric id)
   * @param createdAt when it was linked
   */
  record Identity(Provider provider, String accountId, Instant createdAt) {
    public Identity {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /** The outcome of {@link #findOrCreate}. */
  record Linked(UserId userId, boolean created) {}
}
