package com.nexflux.integrations.core.audit;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.UserId;

/** The audit trail (SPI): append-only, readable per user, newest first. */
public interface AuditLog {
  /** Appends an event that has no state change of its own (e.g. a failed decryption). */
  void append(AuditEvent event);

  /**
   * @param userId whose events
   * @param cursor {@code null} for the newest page, else a {@link Page#nextCursor()} from this log
   * @param limit at most this many (1-100)
   * @throws com.nexflux.integrations.core.error.ValidationException for a cursor this log did not issue
   */
  Page<AuditEvent> list(UserId userId, String cursor, int limit);
}
