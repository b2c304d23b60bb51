package com.nexflux.integrations.core.provider;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Lists every provider of the registry with the user's status, in the registry's order. A provider whose entry has
 * a status source is {@code available}; the others say {@code not_available}. Knows no provider by name.
 */
public final class OverviewService implements IntegrationsOverview {
  private final List<OverviewEntry> entries;

  /** @param entries one per provider, in the overview's order; keys must be unique */
  public OverviewService(List<OverviewEntry> entries) {
    this.entries = List.copyOf(entries);
    Set<Provider> seen = new HashSet<>();
    for (OverviewEntry e : this.entries) {
      if (!seen.add(e.descriptor().provider())) {
        throw new IllegalArgumentException("provider listed twice: " + e.descriptor().provider().key());
      }
    }
  }

  @Override
  public List<IntegrationSummary> list(UserId userId) {
    Objects.requireNonNull(userId, "userId");
    List<IntegrationSummary> out = new ArrayList<>(entries.size());
    for (OverviewEntry e : entries) {
      if (e.status().isEmpty()) {
        out.add(new IntegrationSummary(e.descriptor(), false, false, false, "not_available", null));
        continue;
      }
      ProviderStatus s = Objects.requireNonNull(e.status().get().statusOf(userId), "status");
      out.add(new IntegrationSummary(e.descriptor(), true, s.configured(), s.enabled(), s.status(), s.connectedAt()));
    }
    return out;
  }

  /** @return the descriptors, in the overview's order */
  public List<ProviderDescriptor> descriptors() {
    return entries.stream().map(OverviewEntry::descriptor).toList();
  }
}
