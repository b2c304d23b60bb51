package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import java.util.List;

/** A user's sign-in identities: the provider accounts they sign in with (API). */
public interface SignInIdentities {
  /** @return the user's identities, oldest first */
  List<IdentityRepository.Identity> list(UserId userId);

  /**
   * Removes the user's identity at a provider; the provider account can no longer sign in to this user. Idempotent;
   * audit-logged ({@value SignInIdentityService#REMOVE_ACTION}) either way.
   *
   * @return whether an identity was removed
   */
  boolean remove(UserId userId, Provider provider, RequestContext context);
}
