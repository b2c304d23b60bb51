package com.nexflux.integrations.core.audit;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.UserId;

/** The user's own audit trail (API). */
public interface AuditTrail {
  /**
   * @param cursor {@code null} for the newest page
   * @param limit 1-100
   * @throws com.nexflux.integrations.core.error.ValidationException for a bad cursor or limit
   */
  Page<AuditEvent> list(UserId userId, String cursor, int limit);
}
