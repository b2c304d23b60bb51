package com.nexflux.integrations.providers.http;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.util.Objects;

/**
 * Which token bucket a request draws from: one per connection to a provider (for example one user's Arduino Cloud
 * account). Put it on every request sent with a rate-limited client:
 * {@code new Request.Builder().url(url).tag(RateLimitKey.class, key)}. The value is kept in memory and may reach
 * debug logs, so it must never be a secret (hash a token first if the limit is per token).
 *
 * @param value the key, 1 to 200 characters
 */
public record RateLimitKey(String value) {
  /** @throws IllegalArgumentException when the value is blank or longer than 200 characters */
  public RateLimitKey {
    Objects.requireNonNull(value, "value");
    if (value.isBlank() || value.length() > 200) {
      throw new IllegalArgumentException("a rate-limit key has 1 to 200 characters and is not blank");
    }
  }

  /** @return the key of one user's connection to one provider, e.g. {@code arduino_cloud:<user id>} */
  public static RateLimitKey of(UserId user, Provider provider) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(provider, "provider");
    return new RateLimitKey(provider.key() + ":" + user.value());
  }
}
