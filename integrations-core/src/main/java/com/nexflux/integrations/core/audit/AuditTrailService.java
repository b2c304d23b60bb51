package com.nexflux.integrations.core.audit;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.ValidationException;

/** Reads the caller's own audit trail. */
public final class AuditTrailService implements AuditTrail {
  /** The largest page. */
  public static final int MAX_LIMIT = 100;
  private final AuditLog log;

  public AuditTrailService(AuditLog log) {
    this.log = log;
  }

  @Override
  public Page<AuditEvent> list(UserId userId, String cursor, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return log.list(userId, cursor, limit);
  }
}
