package com.nexflux.integrations.core.provider;

import com.nexflux.integrations.core.domain.Provider;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the user's integration overview.
 *
 * @param descriptor what the provider is: its key, slug, name, ways of connecting and capabilities
 * @param available whether this deployment can connect it (built, and configured with its credentials)
 * @param configured whether the user connected it
 * @param enabled whether it is switched on
 * @param status the provider's status word ({@code not_available} for providers this deployment cannot connect)
 * @param connectedAt when the user connected it, or {@code null}
 */
public record IntegrationSummary(ProviderDescriptor descriptor, boolean available, boolean configured,
    boolean enabled, String status, Instant connectedAt) {
  public IntegrationSummary {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(status, "status");
  }

  /** @return the provider */
  public Provider provider() {
    return descriptor.provider();
  }
}
