package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.error.IntegrationsException;

/**
 * The provider refused credentials the <em>user</em> gave: their own client id and secret in a client credentials
 * grant ({@code invalid_client}, HTTP 401), or their username and password at a login. The user has to enter them
 * again; {@link TokenService} marks the connection {@code needs_reauth}. (A refusal of the deployment's own OAuth
 * app is an {@link OAuthProtocolException}, an operator problem.)
 */
public final class CredentialsRejectedException extends IntegrationsException {
  private static final long serialVersionUID = 1L;
  private final String providerError;

  /** @param providerError the provider's error code ({@code invalid_client}) or {@code http_401} */
  public CredentialsRejectedException(String providerError) {
    // the provider's own error code is kept for logs (providerError()), never sent to the client
    super("CREDENTIALS_REJECTED", "The provider refused the stored credentials; enter them again");
    this.providerError = providerError;
  }

  /** @return the provider's error code */
  public String providerError() {
    return providerError;
  }
}
