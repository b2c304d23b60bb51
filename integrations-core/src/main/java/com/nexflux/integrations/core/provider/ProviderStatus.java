package com.nexflux.integrations.core.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * One user's state of one provider, as the overview shows it.
 *
 * @param configured whether the user connected it
 * @param enabled whether it is switched on
 * @param status the provider's status word ({@code connected}, {@code needs_reauth}, {@code error},
 *     {@code not_configured}, {@code untested}, {@code disabled}, ...)
 * @param connectedAt when the user connected it, or {@code null}
 */
public record ProviderStatus(boolean configured, boolean enabled, String status, Instant connectedAt) {
  /** The status of a provider the user has not connected. */
  public static final ProviderStatus NOT_CONFIGURED = new ProviderStatus(false, false, "not_configured", null);

  public ProviderStatus {
    Objects.requireNonNull(status, "status");
  }
}
