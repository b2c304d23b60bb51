package com.nexflux.integrations.core.error;

/** The caller is not authenticated, or is unknown and may not be provisioned. */
public final class UnauthorizedException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedException(String message) {
    super("UNAUTHORIZED", message);
  }
}
