package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.error.IntegrationsException;

/**
 * The provider's answer is unusable or says our client is misconfigured: not a bearer token, no access token,
 * not JSON, {@code invalid_client}, {@code redirect_uri_mismatch}. An operator problem, never a reason to ask
 * the user to re-authorize.
 */
public final class OAuthProtocolException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  public OAuthProtocolException(String reason) {
    super("OAUTH_PROTOCOL_ERROR", reason);
  }
}
