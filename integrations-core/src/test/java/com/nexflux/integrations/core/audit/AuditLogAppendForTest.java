package com.nexflux.integrations.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link AuditLog#appendFor}: the row of a failure is written, or its own failure is kept on the original one. */
class AuditLogAppendForTest {
  private static final AuditEvent EVENT = new AuditEvent(UUID.randomUUID(), new UserId(UUID.randomUUID()),
      Provider.MQTT, AuditEvent.Actions.DECRYPT_FAILED, AuditEvent.Outcome.FAILURE, "decrypt_failed",
      RequestContext.internal("test"), Instant.parse("2026-01-15T09:00:00Z"), Map.of("field", "password"));

  private static final class Log implements AuditLog {
    final List<AuditEvent> rows = new ArrayList<>();
    RuntimeException failure;

    @Override
    public void append(AuditEvent event) {
      if (failure != null) {
        throw failure;
      }
      rows.add(event);
    }

    @Override
    public Page<AuditEvent> list(UserId userId, String cursor, int limit) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void theRowIsWritten_andTheOriginalFailureIsReturnedUntouched() {
    Log log = new Log();
    SecretUnreadableException original = new SecretUnreadableException("tag mismatch", null);
    assertThat(log.appendFor(EVENT, original)).isSameAs(original);
    assertThat(log.rows).containsExactly(EVENT);
    assertThat(original.getSuppressed()).isEmpty();
  }

  @Test
  void aRowThatCannotBeWritten_isNotSwallowed_butRidesOnTheOriginalFailure() {
    Log log = new Log();
    UnavailableException down = new UnavailableException("The database is unavailable", null);
    log.failure = down;
    SecretUnreadableException original = new SecretUnreadableException("tag mismatch", null);
    assertThat(log.appendFor(EVENT, original)).isSameAs(original);
    assertThat(original.getSuppressed()).containsExactly(down);
    assertThat(log.rows).isEmpty();
  }
}
