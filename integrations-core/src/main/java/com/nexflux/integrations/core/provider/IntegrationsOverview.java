package com.nexflux.integrations.core.provider;

import com.nexflux.integrations.core.domain.UserId;
import java.util.List;

/** Every provider with the user's status in it (API). */
public interface IntegrationsOverview {
  /** @return one entry per provider, in {@link com.nexflux.integrations.core.domain.Provider} order */
  List<IntegrationSummary> list(UserId userId);
}
