package com.nexflux.integrations.core.domain;

import java.util.Objects;

/**
 * A ciphertext as stored (base64 text). It is only readable by the {@code SecretCipher} with the same
 * {@link SecretContext} it was written under.
 */
public record EncryptedSecret(String ciphertext) {
  public EncryptedSecret {
    Objects.requireNonNull(ciphertext, "ciphertext");
  }

  @Override
  public String toString() {
    return "EncryptedSecret[" + ciphertext.length() + " chars]";
  }
}
