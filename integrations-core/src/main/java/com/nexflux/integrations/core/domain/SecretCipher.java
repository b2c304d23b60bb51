package com.nexflux.integrations.core.domain;

import com.nexflux.integrations.core.error.SecretUnreadableException;

/**
 * Encrypts secrets for storage (SPI). Implementations use authenticated encryption with the context as
 * associated data, so a ciphertext decrypts only under the context it was written with.
 */
public interface SecretCipher {
  /** Encrypts {@code plaintext} bound to {@code context}. */
  EncryptedSecret encrypt(Secret plaintext, SecretContext context);

  /**
   * Decrypts a stored value.
   *
   * @throws SecretUnreadableException when it was tampered with, moved from another row or field, or its key
   *     is gone; the plaintext is never guessed
   */
  Secret decrypt(EncryptedSecret ciphertext, SecretContext context);
}
