package com.nexflux.integrations.app.provider;

import com.nexflux.integrations.core.provider.ProviderDescriptor;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider this release lists but does not build yet: the overview shows it as {@code not_available}; it has no
 * routes. Replaced by a real module registered under the same key.
 */
public final class NotYetAvailable implements ProviderModule {
  private final ProviderDescriptor descriptor;

  public NotYetAvailable(ProviderDescriptor descriptor) {
    this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
  }

  @Override
  public ProviderDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
    return ProviderSlice.builder().build();
  }
}
