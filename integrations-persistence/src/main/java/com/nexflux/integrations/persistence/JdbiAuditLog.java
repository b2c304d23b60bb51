package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.audit.AuditLog;
import com.nexflux.integrations.persistence.internal.AuditCursor;
import com.nexflux.integrations.persistence.internal.AuditRows;
import com.nexflux.integrations.persistence.internal.Db;
import com.nexflux.integrations.persistence.internal.Timestamps;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link AuditLog} on the append-only {@code integration_audit_log} table.
 *
 * <p>Lists are newest first ({@code created_at DESC, id DESC}) with keyset pagination: the opaque cursor encodes
 * the {@code created_at} and id of a page's last entry, so entries appended meanwhile never shift a page. Free text
 * that is longer than its column ({@code reason} 200, {@code request_id} 100, {@code ip} 64, {@code user_agent}
 * 512 characters) is cut rather than rejected, and NUL characters are replaced, so an audit row never fails for its
 * content.
 */
public final class JdbiAuditLog implements AuditLog {
  /** The largest page {@link #list} returns. */
  public static final int MAX_LIMIT = 100;

  private static final String LIST_FIRST = "SELECT " + AuditRows.COLUMNS + """
       FROM integration_audit_log
      WHERE user_id = :user_id
      ORDER BY created_at DESC, id DESC
      LIMIT :limit
      """;

  private static final String LIST_AFTER = "SELECT " + AuditRows.COLUMNS + """
       FROM integration_audit_log
      WHERE user_id = :user_id
        AND (created_at, id) < (CAST(:cursor_at AS timestamptz), :cursor_id)
      ORDER BY created_at DESC, id DESC
      LIMIT :limit
      """;

  private final Jdbi jdbi;

  /** @param dataSource the database (a private JDBI is made on it; {@link PostgresPersistence} shares one) */
  public JdbiAuditLog(DataSource dataSource) {
    this(Db.jdbi(dataSource));
  }

  JdbiAuditLog(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails, including a
   *     duplicate event id
   */
  @Override
  public void append(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    Db.run(() -> jdbi.useTransaction(h -> AuditRows.insert(h, event)));
  }

  /**
   * {@inheritDoc}
   *
   * @throws ValidationException for a cursor this log did not issue (field {@code cursor}) or a limit outside
   *     1-{@value #MAX_LIMIT} (field {@code limit})
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public Page<AuditEvent> list(UserId userId, String cursor, int limit) {
    Objects.requireNonNull(userId, "userId");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + MAX_LIMIT);
    }
    AuditCursor after = cursor == null ? null : AuditCursor.decode(cursor);
    List<AuditEvent> rows = Db.call(() -> jdbi.withHandle(h -> {
      Query query = h.createQuery(after == null ? LIST_FIRST : LIST_AFTER)
          .bind("user_id", userId.value())
          .bind("limit", limit + 1);
      if (after != null) {
        query.bind("cursor_at", Timestamps.bind(after.at())).bind("cursor_id", after.id());
      }
      return query.map((rs, ctx) -> AuditRows.map(rs)).list();
    }));
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<AuditEvent> page = rows.subList(0, limit);
    AuditEvent last = page.get(page.size() - 1);
    return new Page<>(page, new AuditCursor(last.at(), last.id()).encode());
  }

  @Override
  public String toString() {
    return "JdbiAuditLog";
  }
}
