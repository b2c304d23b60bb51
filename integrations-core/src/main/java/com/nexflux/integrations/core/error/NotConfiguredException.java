package com.nexflux.integrations.core.error;

/** A provider this deployment has no credentials or settings for (HTTP 503 {@code PROVIDER_NOT_CONFIGURED}). */
public final class NotConfiguredException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  public NotConfiguredException(String message) {
    super("PROVIDER_NOT_CONFIGURED", message);
  }
}
