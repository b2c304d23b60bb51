package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.IdentityRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link IdentityRepository} in memory: one user per (provider, account id). {@link #findOrCreate} is atomic
 * (two first sign-ins of one account end with one user) and, when a {@link InMemoryUserDirectory} is attached,
 * adds the new user's row there too. Thread-safe.
 */
public final class InMemoryIdentities implements IdentityRepository {
  private record Account(Provider provider, String accountId) {}

  private final Map<Account, UserId> links = new LinkedHashMap<>(); // guarded by this
  private final InMemoryUserDirectory users;
  private int created;
  private final List<AuditEvent> signInAudits = new ArrayList<>(); // guarded by this

  /** Identities without a user directory. */
  public InMemoryIdentities() {
    this(null);
  }

  /** Identities that add created users to {@code users}. */
  public InMemoryIdentities(InMemoryUserDirectory users) {
    this.users = users;
  }

  @Override
  public synchronized Optional<UserId> findUser(Provider provider, String accountId) {
    return Optional.ofNullable(links.get(new Account(provider, accountId)));
  }

  @Override
  public synchronized Linked signIn(Provider provider, String accountId, UserId newUser,
      java.util.function.Function<Linked, AuditEvent> audit) {
    Objects.requireNonNull(newUser, "newUser");
    Account account = new Account(Objects.requireNonNull(provider), Objects.requireNonNull(accountId));
    UserId existing = links.get(account);
    if (existing != null) {
      Linked found = new Linked(existing, false);
      if (audit != null) {
        signInAudits.add(Objects.requireNonNull(audit.apply(found)));
      }
      return found;
    }
    Linked linked = new Linked(newUser, true);
    AuditEvent row = audit == null ? null : Objects.requireNonNull(audit.apply(linked));
    if (row != null) {
      signInAudits.add(row);
    }
    links.put(account, newUser);
    created++;
    if (users != null) {
      users.add(newUser);
    }
    return linked;
  }

  /** @return the audit rows written with sign-ins, in order */
  public synchronized List<AuditEvent> signInAudits() {
    return List.copyOf(signInAudits);
  }

  @Override
  public synchronized boolean linkIfAbsent(Provider provider, String accountId, UserId userId) {
    Objects.requireNonNull(userId, "userId");
    return links.putIfAbsent(new Account(Objects.requireNonNull(provider), Objects.requireNonNull(accountId)),
        userId) == null;
  }

  @Override
  public synchronized List<Identity> list(UserId userId) {
    List<Identity> out = new ArrayList<>();
    links.forEach((a, u) -> {
      if (u.equals(userId)) {
        out.add(new Identity(a.provider(), a.accountId(), Instant.EPOCH));
      }
    });
    return out;
  }

  /** Audit rows written by {@link #delete}. */
  public final List<AuditEvent> deleteAudits = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public synchronized boolean delete(UserId userId, Provider provider, AuditEvent audit) {
    deleteAudits.add(Objects.requireNonNull(audit, "audit"));
    return links.entrySet().removeIf(e -> e.getKey().provider().equals(provider) && e.getValue().equals(userId));
  }

  /** @return how many users {@link #findOrCreate} created */
  public synchronized int created() {
    return created;
  }

  /** @return how many accounts are linked */
  public synchronized int size() {
    return links.size();
  }
}
