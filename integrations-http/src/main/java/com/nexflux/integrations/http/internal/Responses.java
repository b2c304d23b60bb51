package com.nexflux.integrations.http.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.IntegrationSummary;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code data} shapes of our answers. Names are spelled out with {@link JsonProperty}, so the wire format does
 * not depend on the mapper's naming strategy. Empty values are sent as explicit {@code null}s.
 */
public final class Responses {
  private Responses() {}

  /** {@code DELETE …/mqtt}. */
  public record Deleted(@JsonProperty("deleted") boolean deleted) {}

  /** {@code GET …/integrations}. */
  public record Overview(@JsonProperty("integrations") List<OverviewItem> integrations) {
    public static Overview of(List<IntegrationSummary> summaries) {
      return new Overview(summaries.stream().map(OverviewItem::of).toList());
    }
  }

  /**
   * One provider in the overview: the spec's fields, then what a frontend needs to draw it without a provider list of
   * its own ({@code slug}, {@code name}, {@code connect_by}, {@code capabilities}).
   */
  @JsonPropertyOrder({"provider", "available", "configured", "enabled", "status", "connected_at", "slug", "name",
      "connect_by", "capabilities"})
  public record OverviewItem(
      @JsonProperty("provider") String provider,
      @JsonProperty("available") boolean available,
      @JsonProperty("configured") boolean configured,
      @JsonProperty("enabled") boolean enabled,
      @JsonProperty("status") String status,
      @JsonProperty("connected_at") Instant connectedAt,
      @JsonProperty("slug") String slug,
      @JsonProperty("name") String name,
      @JsonProperty("connect_by") List<String> connectBy,
      @JsonProperty("capabilities") List<String> capabilities) {

    static OverviewItem of(IntegrationSummary s) {
      ProviderDescriptor d = s.descriptor();
      return new OverviewItem(s.provider().key(), s.available(), s.configured(), s.enabled(), s.status(),
          s.connectedAt(), s.provider().slug(), d.displayName(),
          d.connectBy().stream().map(ConnectionMethod::key).toList(),
          d.orderedCapabilities().stream().map(Capability::key).toList());
    }
  }

  /** {@code GET …/integrations/audit}. */
  @JsonPropertyOrder({"items", "next_cursor"})
  public record AuditPage(
      @JsonProperty("items") List<AuditItem> items,
      @JsonProperty("next_cursor") String nextCursor) {

    public static AuditPage of(Page<AuditEvent> page) {
      return new AuditPage(page.items().stream().map(AuditItem::of).toList(), page.nextCursor());
    }
  }

  /** One audit entry. */
  @JsonPropertyOrder({"id", "provider", "action", "outcome", "reason", "request_id", "ip", "user_agent",
      "created_at", "details"})
  public record AuditItem(
      @JsonProperty("id") UUID id,
      @JsonProperty("provider") String provider,
      @JsonProperty("action") String action,
      @JsonProperty("outcome") String outcome,
      @JsonProperty("reason") String reason,
      @JsonProperty("request_id") String requestId,
      @JsonProperty("ip") String ip,
      @JsonProperty("user_agent") String userAgent,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("details") Map<String, String> details) {

    static AuditItem of(AuditEvent e) {
      return new AuditItem(e.id(), e.provider().key(), e.action(), e.outcome().key(), e.reason(),
          e.context().requestId(), e.context().ip(), e.context().userAgent(), e.at(), e.details());
    }
  }

  /** {@code GET /health/*}. */
  public record Health(@JsonProperty("status") String status) {
    public static final Health UP = new Health("up");
  }
}
