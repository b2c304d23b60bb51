package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.error.IntegrationsException;

/**
 * The provider refused a grant: {@code invalid_grant} for a dead refresh token, {@code bad_verification_code} for
 * a used or expired authorization code. The user has to authorize again.
 */
public final class OAuthGrantException extends IntegrationsException {
  private static final long serialVersionUID = 1L;
  private final String providerError;

  /** @param providerError the provider's error code, e.g. {@code invalid_grant} */
  public OAuthGrantException(String providerError) {
    super("INVALID_GRANT", "The provider refused the grant (" + providerError + ")");
    this.providerError = providerError;
  }

  /** @return the provider's error code */
  public String providerError() {
    return providerError;
  }
}
