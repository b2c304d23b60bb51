package com.nexflux.integrations.http.internal;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.audit.AuditTrail;
import com.nexflux.integrations.core.provider.IntegrationsOverview;
import io.javalin.http.Context;
import java.util.Objects;

/** {@code /api/v1/users/me/integrations} and {@code …/integrations/audit}. */
public final class AccountHandlers {
  /** Page size when {@code limit} is not given. */
  public static final int DEFAULT_AUDIT_LIMIT = 50;

  private final IntegrationsOverview overview;
  private final AuditTrail auditTrail;
  private final BearerAuthentication auth;
  private final JsonResponses json;

  public AccountHandlers(IntegrationsOverview overview, AuditTrail auditTrail, BearerAuthentication auth,
      JsonResponses json) {
    this.overview = Objects.requireNonNull(overview, "overview");
    this.auditTrail = Objects.requireNonNull(auditTrail, "auditTrail");
    this.auth = auth;
    this.json = json;
  }

  /** {@code GET …/integrations}: every provider with the caller's status. */
  public void overview(Context ctx) {
    UserId user = auth.user(ctx);
    json.ok(ctx, Responses.Overview.of(overview.list(user)));
  }

  /** {@code GET …/integrations/audit?limit=&cursor=}: the caller's audit trail, newest first. */
  public void audit(Context ctx) {
    UserId user = auth.user(ctx);
    int limit = limit(ctx.queryParam("limit"));
    String cursor = ctx.queryParam("cursor");
    if (cursor != null && cursor.isBlank()) {
      cursor = null;
    }
    json.ok(ctx, Responses.AuditPage.of(auditTrail.list(user, cursor, limit)));
  }

  static int limit(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_AUDIT_LIMIT;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw ValidationException.of("limit", "must be an integer");
    }
  }
}
