package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.PendingAuthorization;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link com.nexflux.integrations.core.oauth.AuthorizationFlowStore} in memory, shared by as many service
 * "instances" as a test likes. {@link #consume} is an atomic remove, so a state is usable once even under
 * concurrency. {@link #setDown(boolean)} makes every call throw {@link UnavailableException}. Thread-safe.
 */
public final class InMemoryFlowStore implements com.nexflux.integrations.core.oauth.AuthorizationFlowStore {
  private final ConcurrentHashMap<String, PendingAuthorization> flows = new ConcurrentHashMap<>();
  private final AtomicInteger consumeCalls = new AtomicInteger();
  private volatile boolean down;

  @Override
  public void save(PendingAuthorization flow) {
    Objects.requireNonNull(flow, "flow");
    failIfDown();
    if (flows.putIfAbsent(flow.stateHash(), flow) != null) {
      throw new IllegalStateException("duplicate state hash (primary key violation)");
    }
  }

  @Override
  public Optional<PendingAuthorization> consume(String stateHash) {
    Objects.requireNonNull(stateHash, "stateHash");
    consumeCalls.incrementAndGet();
    failIfDown();
    return Optional.ofNullable(flows.remove(stateHash));
  }

  @Override
  public int purgeExpired(Instant now) {
    failIfDown();
    int[] removed = {0};
    flows.values().removeIf(f -> {
      boolean expired = f.expiresAt().isBefore(now);
      if (expired) {
        removed[0]++;
      }
      return expired;
    });
    return removed[0];
  }

  // ---- test helpers (never fail) ----

  /** @return every stored flow */
  public List<PendingAuthorization> snapshot() {
    return List.copyOf(flows.values());
  }

  /** @return the flow stored under this hash, without consuming it */
  public Optional<PendingAuthorization> peek(String stateHash) {
    return Optional.ofNullable(flows.get(stateHash));
  }

  /** @return how many flows are stored */
  public int size() {
    return flows.size();
  }

  /** @return how often {@link #consume} was called */
  public int consumeCalls() {
    return consumeCalls.get();
  }

  /** While {@code true}, every call throws {@link UnavailableException}. */
  public void setDown(boolean down) {
    this.down = down;
  }

  private void failIfDown() {
    if (down) {
      throw new UnavailableException("database is down (simulated)", null);
    }
  }
}
