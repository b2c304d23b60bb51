package com.nexflux.integrations.core.provider;

import com.nexflux.integrations.core.domain.UserId;
import java.util.List;

/** Every provider with the user's status in it (API). */
public interface IntegrationsOverview {
  /** @return one entry per provider, in the registry's order */
  List<IntegrationSummary> list(UserId userId);
}
