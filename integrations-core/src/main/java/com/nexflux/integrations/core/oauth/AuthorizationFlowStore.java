package com.nexflux.integrations.core.oauth;

import java.time.Instant;
import java.util.Optional;

/** Stores authorization flows between start and callback (SPI); shared by every server instance. */
public interface AuthorizationFlowStore {
  /** Stores a new flow. */
  void save(PendingAuthorization flow);

  /**
   * Atomically removes and returns the flow with this state hash (expired ones too, so the caller can say
   * "expired"); a second call for the same hash finds nothing. Single use by construction.
   */
  Optional<PendingAuthorization> consume(String stateHash);

  /** Deletes flows that expired before {@code now}; @return how many */
  int purgeExpired(Instant now);
}
