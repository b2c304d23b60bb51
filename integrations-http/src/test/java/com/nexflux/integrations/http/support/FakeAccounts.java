package com.nexflux.integrations.http.support;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.account.Accounts;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Admits everyone except the users in {@link #rejected}. */
public final class FakeAccounts implements Accounts {
  public final Set<UserId> admitted = ConcurrentHashMap.newKeySet();
  public final Set<UserId> rejected = ConcurrentHashMap.newKeySet();

  @Override
  public void admit(UserId userId) {
    if (rejected.contains(userId)) {
      throw new UnauthorizedException("unknown user");
    }
    admitted.add(userId);
  }
}
