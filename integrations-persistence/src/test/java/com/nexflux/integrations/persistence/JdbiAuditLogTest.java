package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbiAuditLogTest {
  private DataSource ds;
  private JdbiAuditLog log;
  private final UserId alice = new UserId(UUID.randomUUID());
  private final UserId bob = new UserId(UUID.randomUUID());

  @BeforeEach
  void setUp() {
    ds = TestDatabase.freshDataSource();
    log = new JdbiAuditLog(ds);
  }

  private static AuditEvent event(UserId user, Instant at, String action) {
    return new AuditEvent(UUID.randomUUID(), user, Provider.MQTT, action, AuditEvent.Outcome.SUCCESS, null,
        RequestContext.internal("req-1"), at, Map.of());
  }

  @Test
  void roundTripsEveryField() {
    AuditEvent event = new AuditEvent(UUID.randomUUID(), alice, Provider.MQTT, AuditEvent.Actions.TEST,
        AuditEvent.Outcome.FAILURE, "AUTH_FAILED", new RequestContext("req-42", "2001:db8::1", "curl/8.5.0"),
        T0, Map.of("broker_host", "broker.example.com", "protocol", "mqtt/5.0", "quote", "\"x\"\n\\"));
    log.append(event);
    assertThat(log.list(alice, null, 10)).isEqualTo(new Page<>(List.of(event), null));
    assertThat(Sql.scalar(ds, "SELECT outcome FROM integration_audit_log")).isEqualTo("failure");
  }

  @Test
  void listsNewestFirstAcrossPages() {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(event(alice, T0.plusSeconds(i), "a" + i));
    }
    // three entries at the very same instant: the id breaks the tie
    for (int i = 0; i < 3; i++) {
      events.add(event(alice, T0.plusSeconds(2), "same" + i));
    }
    events.forEach(log::append);
    log.append(event(bob, T0.plusSeconds(3), "bob"));

    List<AuditEvent> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    do {
      Page<AuditEvent> page = log.list(alice, cursor, 3);
      seen.addAll(page.items());
      pageSizes.add(page.items().size());
      cursor = page.nextCursor();
      if (seen.size() == 3) {
        // entries appended meanwhile do not shift later pages
        log.append(event(alice, T0.plusSeconds(100), "late"));
      }
    } while (cursor != null);

    List<AuditEvent> expected = new ArrayList<>(events);
    expected.sort(Comparator.comparing(AuditEvent::at).thenComparing(e -> e.id().toString()).reversed());
    assertThat(pageSizes).containsExactly(3, 3, 2);
    assertThat(seen).extracting(AuditEvent::id).containsExactlyElementsOf(
        expected.stream().map(AuditEvent::id).toList());
    assertThat(seen).allMatch(e -> e.userId().equals(alice));
    assertThat(log.list(alice, null, 1).items().get(0).action()).isEqualTo("late");
    assertThat(log.list(bob, null, 100).items()).extracting(AuditEvent::action).containsExactly("bob");
    assertThat(log.list(new UserId(UUID.randomUUID()), null, 5)).isEqualTo(new Page<>(List.of(), null));
  }

  @Test
  void aFullLastPageHasNoCursor() {
    log.append(event(alice, T0, "one"));
    log.append(event(alice, T0.plusSeconds(1), "two"));
    Page<AuditEvent> page = log.list(alice, null, 2);
    assertThat(page.items()).hasSize(2);
    assertThat(page.nextCursor()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not a cursor!", "AAAA", "AQ", "eyJpZCI6MX0"})
  void aCursorThatDoesNotDecodeIsAValidationError(String cursor) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> log.list(alice, cursor, 10));
    assertThat(e).isNotNull();
    assertThat(e.errors()).containsExactly(new FieldError("cursor", "is not a valid cursor"));
  }

  @Test
  void aCursorOfAnotherVersionOrRangeIsAValidationError() {
    log.append(event(alice, T0, "one"));
    log.append(event(alice, T0.plusSeconds(1), "two"));
    String good = log.list(alice, null, 1).nextCursor();
    byte[] bytes = Base64.getUrlDecoder().decode(good);
    bytes[0] = 2;
    String otherVersion = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    byte[] farFuture = ByteBuffer.allocate(25).put((byte) 1).putLong(Long.MAX_VALUE).array();
    for (String cursor : List.of(otherVersion, good + "AA",
        Base64.getUrlEncoder().withoutPadding().encodeToString(farFuture))) {
      assertThatThrownBy(() -> log.list(alice, cursor, 10)).isInstanceOf(ValidationException.class);
    }
    assertThat(log.list(alice, good, 10).items()).extracting(AuditEvent::action).containsExactly("one");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 101})
  void aLimitOutsideOneToHundredIsAValidationError(int limit) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> log.list(alice, null, limit));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("limit");
  }

  @Test
  void overlongFreeTextIsCutNotRejected() {
    String agent = "A".repeat(600) + "\0";
    String reason = "r".repeat(300);
    AuditEvent event = new AuditEvent(UUID.randomUUID(), alice, Provider.MQTT, AuditEvent.Actions.TEST,
        AuditEvent.Outcome.FAILURE, reason, new RequestContext("q".repeat(150), "i".repeat(80), agent),
        T0, Map.of("k", "nul\0here"));
    log.append(event);
    AuditEvent stored = log.list(alice, null, 1).items().get(0);
    assertThat(stored.context().userAgent()).isEqualTo("A".repeat(512));
    assertThat(stored.reason()).hasSize(200);
    assertThat(stored.context().requestId()).hasSize(100);
    assertThat(stored.context().ip()).hasSize(64);
    assertThat(stored.details()).containsEntry("k", "nul\uFFFDhere");
  }

  @Test
  void theAuditTableIsAppendOnly() {
    AuditEvent event = event(alice, T0, "kept");
    log.append(event);
    for (String sql : List.of("UPDATE integration_audit_log SET action = 'rewritten'",
        "DELETE FROM integration_audit_log", "TRUNCATE integration_audit_log")) {
      SQLException refused = Sql.tryExec(ds, sql);
      assertThat((Throwable) refused).as(sql).isNotNull();
      assertThat(refused.getMessage()).contains("append-only");
    }
    assertThat(log.list(alice, null, 10).items()).containsExactly(event);
  }

  @Test
  void aDuplicateEventIsUnavailableNotALibraryException() {
    AuditEvent event = event(alice, T0, "once");
    log.append(event);
    assertThatThrownBy(() -> log.append(event))
        .isInstanceOf(UnavailableException.class)
        .hasMessage("The database is unavailable");
    assertThat(log.list(alice, null, 10).items()).hasSize(1);
  }
}
