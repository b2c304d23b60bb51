package com.nexflux.integrations.core.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One audit-log entry. It never holds a secret: details are plain, non-secret facts (the broker host, the
 * error code).
 *
 * @param id unique id
 * @param userId the user whose integration it concerns
 * @param provider the integration
 * @param action what happened, e.g. {@code integration.connect}
 * @param outcome {@code success} or {@code failure}
 * @param reason a short reason code for a failure, or {@code null}
 * @param context request id, client address and user agent
 * @param at when it happened
 * @param details extra non-secret facts
 */
public record AuditEvent(
    UUID id,
    UserId userId,
    Provider provider,
    String action,
    Outcome outcome,
    String reason,
    RequestContext context,
    Instant at,
    Map<String, String> details) {

  /** Whether the audited action succeeded. */
  public enum Outcome {
    SUCCESS,
    FAILURE;

    /** @return the stored spelling, lower case */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public AuditEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(at, "at");
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** Action names used by this release. */
  public static final class Actions {
    public static final String CONNECT = "integration.connect";
    public static final String UPDATE = "integration.update";
    public static final String DISCONNECT = "integration.disconnect";
    public static final String TEST = "integration.test";
    public static final String DECRYPT_FAILED = "crypto.decrypt_failed";

    private Actions() {}
  }
}
