package com.nexflux.integrations.core.provider;

import com.nexflux.integrations.core.domain.Provider;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a provider is, independent of any user: its key and slug, the name a page shows, how a user connects it and
 * what it can do. One per provider; the composition root's registry holds them.
 *
 * @param provider the provider (its stored key and path slug)
 * @param displayName the name a page shows, e.g. {@code Arduino Cloud}
 * @param connectBy how a user connects it, in the order a page should offer them (at least one)
 * @param capabilities what it does once connected
 */
public record ProviderDescriptor(Provider provider, String displayName, List<ConnectionMethod> connectBy,
    Set<Capability> capabilities) {
  public ProviderDescriptor {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(displayName, "displayName");
    if (displayName.isBlank()) {
      throw new IllegalArgumentException("displayName must not be blank");
    }
    connectBy = List.copyOf(connectBy);
    if (connectBy.isEmpty() || Set.copyOf(connectBy).size() != connectBy.size()) {
      throw new IllegalArgumentException("connectBy must list each way of connecting once, at least one");
    }
    capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
  }

  /** @return whether it has this capability */
  public boolean can(Capability capability) {
    return capabilities.contains(capability);
  }

  /** @return the capabilities in their declaration order (stable for the wire) */
  public List<Capability> orderedCapabilities() {
    return capabilities.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(capabilities));
  }
}
