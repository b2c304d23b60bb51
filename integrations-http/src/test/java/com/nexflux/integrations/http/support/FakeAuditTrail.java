package com.nexflux.integrations.http.support;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.audit.AuditTrail;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One page with one event; records the paging arguments. */
public final class FakeAuditTrail implements AuditTrail {
  public static final UUID EVENT_ID = UUID.fromString("3f1c2d8e-1111-4222-8333-944455556666");
  public volatile String lastCursor;
  public volatile Integer lastLimit;

  @Override
  public Page<AuditEvent> list(UserId userId, String cursor, int limit) {
    lastCursor = cursor;
    lastLimit = limit;
    AuditEvent event = new AuditEvent(EVENT_ID, userId, Provider.MQTT, AuditEvent.Actions.CONNECT,
        AuditEvent.Outcome.SUCCESS, null, new RequestContext("req-1", "127.0.0.1", "curl/8"),
        Instant.parse("2026-01-15T10:30:00Z"), Map.of("broker_host", "broker.example.com"));
    return new Page<>(List.of(event), "next-page");
  }
}
