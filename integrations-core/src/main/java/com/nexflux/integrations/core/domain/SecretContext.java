package com.nexflux.integrations.core.domain;

import java.util.Objects;

/**
 * Where a secret lives: its owner, its provider and its field. Used as associated data, so a ciphertext
 * moved to another user's row or another field fails to decrypt.
 *
 * @param userId the owner
 * @param provider the integration
 * @param field the field name, e.g. {@code mqtt_password}, {@code access_token}
 */
public record SecretContext(UserId userId, Provider provider, String field) {
  public SecretContext {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(field, "field");
    if (field.isEmpty() || field.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("field must be non-empty and free of NUL");
    }
  }
}
