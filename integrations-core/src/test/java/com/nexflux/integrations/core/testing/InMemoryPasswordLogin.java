package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.PasswordLoginClient;
import com.nexflux.integrations.core.oauth.TokenSet;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ThingsBoard-like login server in memory: {@link #login} accepts a registered username and password
 * ({@link #account}), otherwise {@link CredentialsRejectedException}; it issues {@code tb-at-<n>} (lifetime
 * {@link #setAccessLifetime}, default 2.5 h) and {@code tb-rt-<n>} (default 1 week). {@link #refresh} accepts a
 * refresh token it issued that has not expired on the clock (otherwise {@link OAuthGrantException}, as ThingsBoard's
 * {@code JWT_TOKEN_EXPIRED}) and answers a new pair. Calls and the servers they went to are recorded. Thread-safe.
 */
public final class InMemoryPasswordLogin implements PasswordLoginClient {
  private final Clock clock;
  private final AtomicInteger serial = new AtomicInteger();
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger refreshes = new AtomicInteger();
  private final Map<String, String> accounts = new HashMap<>(); // guarded by this
  private final Map<String, Instant> refreshTokens = new HashMap<>(); // guarded by this
  private final List<URI> servers = new ArrayList<>(); // guarded by this
  private volatile Duration accessLifetime = Duration.ofSeconds(9000);
  private volatile Duration refreshLifetime = Duration.ofDays(7);

  public InMemoryPasswordLogin(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Registers an account. */
  public synchronized InMemoryPasswordLogin account(String username, String password) {
    accounts.put(username, password);
    return this;
  }

  /** Makes {@code refreshToken} one this server accepts until {@code expiresAt}. */
  public synchronized InMemoryPasswordLogin registerRefreshToken(String refreshToken, Instant expiresAt) {
    refreshTokens.put(refreshToken, expiresAt);
    return this;
  }

  public void setAccessLifetime(Duration lifetime) {
    this.accessLifetime = Objects.requireNonNull(lifetime);
  }

  @Override
  public TokenSet login(URI server, String username, Secret password) {
    logins.incrementAndGet();
    synchronized (this) {
      servers.add(server);
      String expected = accounts.get(username);
      if (expected == null || !expected.equals(password.reveal())) {
        throw new CredentialsRejectedException("http_401");
      }
    }
    return issue();
  }

  @Override
  public TokenSet refresh(URI server, Secret refreshToken) {
    refreshes.incrementAndGet();
    synchronized (this) {
      servers.add(server);
      Instant expiresAt = refreshTokens.remove(refreshToken.reveal());
      if (expiresAt == null || !clock.instant().isBefore(expiresAt)) {
        throw new OAuthGrantException("jwt_token_expired");
      }
    }
    return issue();
  }

  private TokenSet issue() {
    int n = serial.incrementAndGet();
    Instant now = clock.instant();
    Instant refreshExpiresAt = now.plus(refreshLifetime);
    synchronized (this) {
      refreshTokens.put("tb-rt-" + n, refreshExpiresAt);
    }
    return new TokenSet(Secret.of("tb-at-" + n), Secret.of("tb-rt-" + n), now.plus(accessLifetime), refreshExpiresAt,
        List.of());
  }

  /** @return login calls */
  public int logins() {
    return logins.get();
  }

  /** @return refresh calls */
  public int refreshes() {
    return refreshes.get();
  }

  /** @return the servers called, in order */
  public synchronized List<URI> servers() {
    return List.copyOf(servers);
  }
}
