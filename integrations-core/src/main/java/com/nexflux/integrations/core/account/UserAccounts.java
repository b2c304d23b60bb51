package com.nexflux.integrations.core.account;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnauthorizedException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Admits authenticated users, provisioning their {@code users} row on first sight unless a hosting service
 * turned provisioning off. Users seen recently are remembered (bounded), so most requests cost no query.
 */
public final class UserAccounts implements Accounts {
  private static final int REMEMBERED = 10_000;
  private final UserDirectory directory;
  private final boolean provision;
  private final Map<UserId, Boolean> known = Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<UserId, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      });

  public UserAccounts(UserDirectory directory, boolean provision) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.provision = provision;
  }

  @Override
  public void admit(UserId userId) {
    if (known.containsKey(userId)) {
      return;
    }
    if (provision) {
      directory.provision(userId);
    } else if (!directory.exists(userId)) {
      throw new UnauthorizedException("unknown user");
    }
    known.put(userId, Boolean.TRUE);
  }
}
