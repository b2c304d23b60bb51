package com.nexflux.integrations.core.domain;

import com.nexflux.integrations.core.error.UnauthorizedException;
import java.util.Objects;
import java.util.UUID;

/** A NexFlux user's id (the JWT {@code sub}), a UUID. */
public record UserId(UUID value) {
  public UserId {
    Objects.requireNonNull(value, "value");
  }

  /**
   * Parses a subject claim.
   *
   * @throws UnauthorizedException when the text is not a UUID
   */
  public static UserId parse(String text) {
    try {
      return new UserId(UUID.fromString(Objects.requireNonNull(text, "text")));
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException("subject is not a user id");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
