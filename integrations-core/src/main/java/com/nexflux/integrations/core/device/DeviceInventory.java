package com.nexflux.integrations.core.device;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Use case: every device a user has across the device platforms ({@code GET /api/v1/users/me/devices}). */
public interface DeviceInventory {
  /**
   * Asks every provider's {@link DeviceSource} at once, each within its bound. A provider that fails or is too slow
   * contributes an {@link ProviderError} instead of devices; the listing itself never fails for it.
   *
   * @param refresh whether the sources should bypass their caches
   */
  Listing list(UserId user, boolean refresh);

  /**
   * @param devices the devices, grouped by provider in the overview's order, each provider's in its own order
   * @param errors one entry per provider that could not answer
   * @param fetchedAt when the listing was assembled
   */
  record Listing(List<DeviceSummary> devices, List<ProviderError> errors, Instant fetchedAt) {
    public Listing {
      devices = List.copyOf(devices);
      errors = List.copyOf(errors);
      Objects.requireNonNull(fetchedAt, "fetchedAt");
    }
  }

  /**
   * @param provider the provider that could not answer
   * @param code our error code ({@code UNAVAILABLE}, {@code RATE_LIMITED}, {@code NEEDS_REAUTH}, ...)
   * @param message a message safe to show (no secret, no provider body)
   */
  record ProviderError(Provider provider, String code, String message) {
    public ProviderError {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
