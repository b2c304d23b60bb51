package com.nexflux.integrations.core.domain;

import java.util.Objects;

/**
 * A secret value (a password, a token). {@link #toString()} never shows the value, so a secret that ends
 * up in a log line or an exception message by mistake stays hidden. Only {@link #reveal()} gives it out.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps a plaintext secret. */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value"));
  }

  /** @return the plaintext; call it only where the value must leave the process (a broker, a provider) */
  public String reveal() {
    return value;
  }

  /** @return whether the secret is the empty string */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && java.security.MessageDigest.isEqual(
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        other.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0; // secrets are not meant as keys; a constant avoids leaking through hashes
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
