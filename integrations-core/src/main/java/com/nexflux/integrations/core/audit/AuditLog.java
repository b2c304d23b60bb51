package com.nexflux.integrations.core.audit;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.UserId;

/** The audit trail (SPI): append-only, readable per user, newest first. */
public interface AuditLog {
  /** Appends an event that has no state change of its own (e.g. a failed decryption). */
  void append(AuditEvent event);

  /**
   * Appends the audit row of a failure that changed nothing (a failed decryption), where the failure itself is what
   * the caller must see: when the row cannot be written, that is not swallowed but logged (action, provider and the
   * writer's exception class; never a secret) and attached to {@code failure} as a suppressed exception.
   *
   * @return {@code failure}, for {@code throw log.appendFor(event, e)}
   */
  default <E extends RuntimeException> E appendFor(AuditEvent event, E failure) {
    try {
      append(event);
    } catch (RuntimeException e) {
      java.util.logging.Logger.getLogger(AuditLog.class.getName()).warning("Could not write the audit row ["
          + "action=" + event.action() + ", provider=" + (event.provider() == null ? "-" : event.provider().key())
          + "]: " + e.getClass().getName());
      failure.addSuppressed(e);
    }
    return failure;
  }

  /**
   * @param userId whose events
   * @param cursor {@code null} for the newest page, else a {@link Page#nextCursor()} from this log
   * @param limit at most this many (1-100)
   * @throws com.nexflux.integrations.core.error.ValidationException for a cursor this log did not issue
   */
  Page<AuditEvent> list(UserId userId, String cursor, int limit);
}
