package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.error.IntegrationsException;

/** The user's connection needs a new authorization before it can be used (HTTP 409 {@code NEEDS_REAUTH}). */
public final class ReauthRequiredException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  public ReauthRequiredException(Provider provider) {
    super("NEEDS_REAUTH", "The " + provider.key() + " connection must be authorized again");
  }
}
