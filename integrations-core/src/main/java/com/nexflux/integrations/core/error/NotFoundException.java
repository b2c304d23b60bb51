package com.nexflux.integrations.core.error;

/** The resource does not exist for this caller (also used where revealing existence would leak). */
public final class NotFoundException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super("NOT_FOUND", message);
  }
}
