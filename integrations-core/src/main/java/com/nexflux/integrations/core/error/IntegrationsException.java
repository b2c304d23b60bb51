package com.nexflux.integrations.core.error;

/**
 * The one unchecked exception root of NexFlux Integrations. Every failure that crosses a port or leaves
 * the library is a subclass; adapters translate their libraries' exceptions into one of these before
 * they cross a port. Messages never contain a secret.
 */
public class IntegrationsException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  /**
   * @param code a stable, machine-readable error code such as {@code NOT_FOUND}
   * @param message a human-readable message that contains no secret
   */
  public IntegrationsException(String code, String message) {
    super(message);
    this.code = code;
  }

  /**
   * @param code a stable, machine-readable error code
   * @param message a human-readable message that contains no secret
   * @param cause the underlying failure (its message must not carry secrets either)
   */
  public IntegrationsException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** @return the stable error code, e.g. {@code VALIDATION_FAILED} */
  public String code() {
    return code;
  }
}
