package com.nexflux.integrations.core.provider;

import java.util.Objects;
import java.util.Optional;

/**
 * One provider as this deployment offers it: its descriptor, and where the user's status comes from when this
 * deployment can connect it (empty: not built yet, or built but without the deployment's credentials, so
 * {@code not_available}).
 */
public record OverviewEntry(ProviderDescriptor descriptor, Optional<StatusSource> status) {
  public OverviewEntry {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(status, "status");
  }

  /** @return an entry this deployment can connect */
  public static OverviewEntry available(ProviderDescriptor descriptor, StatusSource status) {
    return new OverviewEntry(descriptor, Optional.of(status));
  }

  /** @return an entry listed as {@code not_available} */
  public static OverviewEntry notAvailable(ProviderDescriptor descriptor) {
    return new OverviewEntry(descriptor, Optional.empty());
  }
}
