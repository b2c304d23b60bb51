package com.nexflux.integrations.core.oauth;

import java.util.Locale;

/** The state of an OAuth connection. */
public enum ConnectionStatus {
  /** Tokens are stored and usable (refreshed when needed). */
  CONNECTED,
  /** The provider refused the refresh token ({@code invalid_grant}); the user must connect again. */
  NEEDS_REAUTH;

  /** @return the API spelling */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
