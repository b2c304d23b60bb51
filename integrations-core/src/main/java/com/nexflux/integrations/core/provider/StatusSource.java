package com.nexflux.integrations.core.provider;

import com.nexflux.integrations.core.domain.UserId;

/**
 * What a provider slice contributes to the overview: the user's state of it. Implementations read the user's own row
 * and nothing else; they never call the provider.
 */
@FunctionalInterface
public interface StatusSource {
  /**
   * @return the user's state; {@link ProviderStatus#NOT_CONFIGURED} when the user has not connected it
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  ProviderStatus statusOf(UserId userId);
}
