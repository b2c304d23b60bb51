package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.error.IntegrationsException;

/**
 * An {@code id_token} failed verification (signature, issuer, audience, authorized party, expiry, nonce, or it is
 * missing or malformed). The message names the failed check and never contains the token.
 */
public final class IdTokenRejectedException extends IntegrationsException {
  private static final long serialVersionUID = 1L;
  private final String check;

  /** @param check the failed check: {@code missing}, {@code malformed}, {@code signature}, {@code iss}, ... */
  public IdTokenRejectedException(String check) {
    super("ID_TOKEN_INVALID", "The id_token was refused (" + check + ")");
    this.check = check;
  }

  /** @return the failed check */
  public String check() {
    return check;
  }
}
