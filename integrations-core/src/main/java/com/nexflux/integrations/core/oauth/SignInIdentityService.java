package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** {@link SignInIdentities} on the {@link IdentityRepository}; the removal and its audit row share a transaction. */
public final class SignInIdentityService implements SignInIdentities {
  /** The audit action of removing a sign-in identity. */
  public static final String REMOVE_ACTION = "auth.identity_remove";

  private final IdentityRepository identities;
  private final Clock clock;

  public SignInIdentityService(IdentityRepository identities, Clock clock) {
    this.identities = Objects.requireNonNull(identities, "identities");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public List<IdentityRepository.Identity> list(UserId userId) {
    return identities.list(Objects.requireNonNull(userId, "userId"));
  }

  @Override
  public boolean remove(UserId userId, Provider provider, RequestContext context) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(context, "context");
    List<IdentityRepository.Identity> before = identities.list(userId);
    boolean existed = before.stream().anyMatch(i -> i.provider().equals(provider));
    AuditEvent audit = new AuditEvent(UUID.randomUUID(), userId, provider, REMOVE_ACTION,
        AuditEvent.Outcome.SUCCESS, null, context, clock.instant(), Map.of("existed", Boolean.toString(existed)));
    return identities.delete(userId, provider, audit);
  }
}
