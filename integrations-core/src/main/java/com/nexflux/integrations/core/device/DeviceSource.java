package com.nexflux.integrations.core.device;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.util.List;

/**
 * A provider's part of the device inventory. A user who has not connected the provider has no devices there (an
 * empty list, not an error). Failures are this project's exceptions ({@code UNAVAILABLE}, {@code RATE_LIMITED},
 * {@code NEEDS_REAUTH}, ...): the inventory reports them per provider and still answers with the others.
 */
public interface DeviceSource {
  /** @return the provider this source lists */
  Provider provider();

  /**
   * @param refresh whether to bypass a cache the source keeps
   * @return the user's devices at this provider, in the provider's order
   */
  List<DeviceSummary> devices(UserId user, boolean refresh);
}
