package com.nexflux.integrations.http.internal;

import com.nexflux.integrations.core.error.IntegrationsException;

/** The request body is larger than the adapter accepts (HTTP 413 {@code PAYLOAD_TOO_LARGE}). */
public final class PayloadTooLargeException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  public PayloadTooLargeException(long limitBytes) {
    super("PAYLOAD_TOO_LARGE", "The request body is larger than " + limitBytes + " bytes");
  }
}
