package com.nexflux.integrations.core.account;

import com.nexflux.integrations.core.domain.UserId;

/** Admits authenticated users (API). */
public interface Accounts {
  /**
   * Makes sure the user has a row, creating it on first sight unless provisioning is off.
   *
   * @throws com.nexflux.integrations.core.error.UnauthorizedException for an unknown user when provisioning is off
   */
  void admit(UserId userId);
}
