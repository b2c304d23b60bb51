package com.nexflux.integrations.core.account;

import com.nexflux.integrations.core.domain.UserId;

/** The {@code users} table (SPI). */
public interface UserDirectory {
  /** @return whether the user has a row */
  boolean exists(UserId userId);

  /** Creates the user's row if it is missing (idempotent, safe under concurrency). */
  void provision(UserId userId);
}
