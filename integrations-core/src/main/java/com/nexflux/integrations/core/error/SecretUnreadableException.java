package com.nexflux.integrations.core.error;

/**
 * A stored ciphertext failed to decrypt: it was tampered with, copied from another row or field, or the
 * keyset lacks its key. The value is never used; the event is audit-logged as {@code crypto.decrypt_failed}.
 */
public final class SecretUnreadableException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  public SecretUnreadableException(String message, Throwable cause) {
    super("CREDENTIALS_UNREADABLE", message, cause);
  }
}
