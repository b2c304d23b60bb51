package com.nexflux.integrations.core.sync;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.util.Objects;

/**
 * Where a sync writes: one of a user's targets at one provider (GitHub: a repository, its id as text).
 *
 * @param userId the owner
 * @param provider the destination's provider
 * @param targetId the provider's id of the target, 1-{@value #MAX_ID_CHARS} characters
 */
public record SyncTarget(UserId userId, Provider provider, String targetId) {
  /** The longest target id. */
  public static final int MAX_ID_CHARS = 200;

  public SyncTarget {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(targetId, "targetId");
    if (targetId.isBlank() || targetId.length() > MAX_ID_CHARS || targetId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("targetId must be 1-" + MAX_ID_CHARS + " characters");
    }
  }
}
