package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.account.UserDirectory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link UserDirectory} in memory that counts its calls (to check caching). Thread-safe.
 * {@link #setDown(boolean)} makes every call throw {@link UnavailableException}.
 */
public final class InMemoryUserDirectory implements UserDirectory {
  private final Set<UserId> users = ConcurrentHashMap.newKeySet();
  private final AtomicInteger existsCalls = new AtomicInteger();
  private final AtomicInteger provisionCalls = new AtomicInteger();
  private volatile boolean down;

  /** A directory holding {@code users}. */
  public InMemoryUserDirectory(UserId... users) {
    this.users.addAll(Set.of(users));
  }

  /** Adds a user row without counting a call. */
  public InMemoryUserDirectory add(UserId userId) {
    users.add(userId);
    return this;
  }

  @Override
  public boolean exists(UserId userId) {
    existsCalls.incrementAndGet();
    failIfDown();
    return users.contains(userId);
  }

  @Override
  public void provision(UserId userId) {
    provisionCalls.incrementAndGet();
    failIfDown();
    users.add(userId);
  }

  /** @return whether the user has a row (not counted) */
  public boolean contains(UserId userId) {
    return users.contains(userId);
  }

  /** @return how many rows there are */
  public int size() {
    return users.size();
  }

  /** @return how often {@link #exists} was called */
  public int existsCalls() {
    return existsCalls.get();
  }

  /** @return how often {@link #provision} was called */
  public int provisionCalls() {
    return provisionCalls.get();
  }

  /** @return {@link #existsCalls()} plus {@link #provisionCalls()} */
  public int calls() {
    return existsCalls.get() + provisionCalls.get();
  }

  /** While {@code true}, every call throws {@link UnavailableException}. */
  public void setDown(boolean down) {
    this.down = down;
  }

  private void failIfDown() {
    if (down) {
      throw new UnavailableException("user directory is down (simulated)", null);
    }
  }
}
