package com.nexflux.integrations.core.thingsboard;

import com.nexflux.integrations.core.domain.Secret;
import java.util.Objects;

/**
 * What a call to ThingsBoard authenticates with, sent as {@code X-Authorization}: {@code Bearer <jwt>} for a login's
 * access token, {@code ApiKey <key>} for a 4.x API key. {@link #toString()} never shows the value.
 */
public record ThingsBoardCredential(Kind kind, Secret value) {
  /** The two ways ThingsBoard takes a credential. */
  public enum Kind {
    /** A JWT access token of {@code POST /api/auth/login}. */
    BEARER("Bearer "),
    /** An API key (ThingsBoard 4.x). */
    API_KEY("ApiKey ");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }
  }

  public ThingsBoardCredential {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }

  /** @return the {@code X-Authorization} header value (a secret: never log it) */
  public String header() {
    return kind.prefix + value.reveal();
  }

  @Override
  public String toString() {
    return "ThingsBoardCredential[" + kind + ", [redacted]]";
  }
}
