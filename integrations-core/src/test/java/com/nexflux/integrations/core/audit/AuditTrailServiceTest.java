package com.nexflux.integrations.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.testing.InMemoryAuditLog;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditTrailServiceTest {
  final InMemoryAuditLog log = new InMemoryAuditLog();
  final AuditTrailService trail = new AuditTrailService(log);
  final UserId alice = new UserId(UUID.randomUUID());

  @Test
  void refuses_a_limit_outside_1_to_100() {
    for (int bad : new int[] {0, -1, 101}) {
      var e = catchThrowableOfType(() -> trail.list(alice, null, bad), ValidationException.class);
      assertThat(e.errors()).singleElement().satisfies(fe -> assertThat(fe.field()).isEqualTo("limit"));
    }
  }

  @Test
  void accepts_1_and_100() {
    log.append(new AuditEvent(UUID.randomUUID(), alice, Provider.MQTT, "integration.connect",
        AuditEvent.Outcome.SUCCESS, null, RequestContext.internal("r"), Instant.EPOCH, Map.of()));
    assertThat(trail.list(alice, null, 1).items()).hasSize(1);
    assertThat(trail.list(alice, null, 100).items()).hasSize(1);
  }

  @Test
  void refuses_a_cursor_the_log_did_not_issue() {
    assertThatThrownBy(() -> trail.list(alice, "not-a-cursor", 10)).isInstanceOf(ValidationException.class);
  }
}
