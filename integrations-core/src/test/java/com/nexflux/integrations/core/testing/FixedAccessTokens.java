package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.oauth.AccessTokens;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An {@link AccessTokens} with fixed tokens per user and provider; {@link NotFoundException} for a user without
 * one, or the failure set with {@link #failWith}. Counts calls. Thread-safe.
 */
public final class FixedAccessTokens implements AccessTokens {
  private record Key(UserId userId, Provider provider) {}

  private final Map<Key, Secret> tokens = new HashMap<>();
  private final Map<Key, Supplier<? extends RuntimeException>> failures = new HashMap<>();
  private int calls;

  /** No tokens. */
  public FixedAccessTokens() {}

  /** Hands out {@code token} for the user's connection to {@code provider}. */
  public synchronized FixedAccessTokens put(UserId userId, Provider provider, String token) {
    tokens.put(new Key(userId, provider), Secret.of(token));
    return this;
  }

  /** Forgets the user's token. */
  public synchronized void remove(UserId userId, Provider provider) {
    tokens.remove(new Key(userId, provider));
  }

  /** Every call for the user fails with this (e.g. a ReauthRequiredException); null to stop. */
  public synchronized void failWith(UserId userId, Provider provider, Supplier<? extends RuntimeException> failure) {
    Key key = new Key(userId, provider);
    if (failure == null) {
      failures.remove(key);
    } else {
      failures.put(key, failure);
    }
  }

  /** @return how often {@link #accessToken} was called */
  public synchronized int calls() {
    return calls;
  }

  @Override
  public synchronized Secret accessToken(UserId userId, Provider provider) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    calls++;
    Key key = new Key(userId, provider);
    Supplier<? extends RuntimeException> failure = failures.get(key);
    if (failure != null) {
      throw failure.get();
    }
    Secret token = tokens.get(key);
    if (token == null) {
      throw new NotFoundException("No " + provider.key() + " connection");
    }
    return token;
  }
}
