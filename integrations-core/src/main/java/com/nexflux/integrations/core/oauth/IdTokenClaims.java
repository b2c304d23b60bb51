package com.nexflux.integrations.core.oauth;

import java.util.Objects;

/**
 * What a verified {@code id_token} says about the account.
 *
 * @param issuer {@code iss}
 * @param subject {@code sub}: the provider's stable account id
 * @param verifiedEmail {@code email}, only when {@code email_verified} is {@code true}; else {@code null} (an
 *     unverified address is never trusted)
 * @param name {@code name}, or {@code null}
 * @param picture {@code picture}, or {@code null}
 */
public record IdTokenClaims(String issuer, String subject, String verifiedEmail, String name, String picture) {
  public IdTokenClaims {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
  }
}
