package com.nexflux.integrations.persistence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The {@code integration_audit_log} table: inserting and reading rows. */
public final class AuditRows {
  /** Column widths of the table (V1). Longer values are cut, never rejected: an audit row must not fail. */
  static final int PROVIDER_MAX = 50;
  static final int ACTION_MAX = 100;
  static final int OUTCOME_MAX = 20;
  static final int REASON_MAX = 200;
  static final int REQUEST_ID_MAX = 100;
  static final int IP_MAX = 64;
  static final int USER_AGENT_MAX = 512;

  private static final String INSERT = """
      INSERT INTO integration_audit_log
        (id, user_id, provider, action, outcome, reason, request_id, ip, user_agent, created_at, details)
      VALUES
        (:id, :user_id, :provider, :action, :outcome, :reason, :request_id, :ip, :user_agent,
         CAST(:created_at AS timestamptz), :details)
      """;

  /** The columns {@link #map} reads. */
  public static final String COLUMNS =
      "id, user_id, provider, action, outcome, reason, request_id, ip, user_agent, created_at, details::text AS details";

  private AuditRows() {}

  /** Inserts {@code event} on {@code handle} (inside the caller's transaction, if any). */
  public static void insert(Handle handle, AuditEvent event) {
    ObjectNode details = Jsonb.object();
    event.details().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> details.put(Text.noNul(e.getKey()), Text.noNul(e.getValue())));
    RequestContext context = event.context();
    handle.createUpdate(INSERT)
        .bind("id", event.id())
        .bind("user_id", event.userId().value())
        .bind("provider", Text.clip(event.provider().key(), PROVIDER_MAX))
        .bind("action", Text.clip(event.action(), ACTION_MAX))
        .bind("outcome", Text.clip(event.outcome().key(), OUTCOME_MAX))
        .bind("reason", Text.clip(event.reason(), REASON_MAX))
        .bind("request_id", Text.clip(context.requestId(), REQUEST_ID_MAX))
        .bind("ip", Text.clip(context.ip(), IP_MAX))
        .bind("user_agent", Text.clip(context.userAgent(), USER_AGENT_MAX))
        .bind("created_at", Timestamps.bind(event.at()))
        .bind("details", Jsonb.bind(details))
        .execute();
  }

  /** Reads one row selected with {@link #COLUMNS}. */
  public static AuditEvent map(ResultSet rs) throws SQLException {
    UUID id = rs.getObject("id", UUID.class);
    try {
      String providerKey = rs.getString("provider");
      Provider provider = Provider.fromKey(providerKey)
          .orElseThrow(() -> new IllegalStateException("unknown provider"));
      AuditEvent.Outcome outcome = AuditEvent.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT));
      Instant at = Timestamps.read(rs, "created_at");
      JsonNode detailsNode = Jsonb.parse(rs.getString("details"));
      Map<String, String> details = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : detailsNode.properties()) {
        if (!e.getValue().isNull()) {
          details.put(e.getKey(), e.getValue().asText());
        }
      }
      return new AuditEvent(id, new UserId(rs.getObject("user_id", UUID.class)), provider, rs.getString("action"),
          outcome, rs.getString("reason"),
          new RequestContext(rs.getString("request_id"), rs.getString("ip"), rs.getString("user_agent")),
          at, details);
    } catch (RuntimeException e) {
      throw Db.unreadable("audit log entry", e);
    }
  }
}
