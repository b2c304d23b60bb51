package com.nexflux.integrations.core.error;

/** A dependency (the database, an outside service) is down or timed out. Stored data is unchanged. */
public final class UnavailableException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message, Throwable cause) {
    super("UNAVAILABLE", message, cause);
  }
}
