package com.nexflux.integrations.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.MqttView;
import com.nexflux.integrations.core.github.GitHubView;
import com.nexflux.integrations.core.provider.IntegrationSummary;
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

  /** {@code GET/PUT …/mqtt}. Never a password. */
  @JsonPropertyOrder({"enabled", "broker_url", "username", "use_authentication", "device_id", "topic_prefix",
      "last_connected_at", "status", "configured", "has_password", "default_broker_url", "last_tested_at",
      "last_error"})
  public record Mqtt(
      @JsonProperty("enabled") boolean enabled,
      @JsonProperty("broker_url") String brokerUrl,
      @JsonProperty("username") String username,
      @JsonProperty("use_authentication") boolean useAuthentication,
      @JsonProperty("device_id") String deviceId,
      @JsonProperty("topic_prefix") String topicPrefix,
      @JsonProperty("last_connected_at") Instant lastConnectedAt,
      @JsonProperty("status") String status,
      @JsonProperty("configured") boolean configured,
      @JsonProperty("has_password") boolean hasPassword,
      @JsonProperty("default_broker_url") String defaultBrokerUrl,
      @JsonProperty("last_tested_at") Instant lastTestedAt,
      @JsonProperty("last_error") String lastError) {

    public static Mqtt of(MqttView v) {
      return new Mqtt(v.enabled(), v.brokerUrl(), v.username(), v.useAuthentication(), v.deviceId(),
          v.topicPrefix(), v.lastConnectedAt(), v.status() == null ? null : v.status().key(), v.configured(),
          v.hasPassword(), v.defaultBrokerUrl(), v.lastTestedAt(),
          v.lastError() == null ? null : v.lastError().name());
    }
  }

  /** {@code DELETE …/mqtt}. */
  public record Deleted(@JsonProperty("deleted") boolean deleted) {}

  /** {@code POST …/mqtt/test}. {@code error} is left out when the test succeeded. */
  @JsonPropertyOrder({"connected", "latency_ms", "broker_info", "error"})
  public record TestResult(
      @JsonProperty("connected") boolean connected,
      @JsonProperty("latency_ms") Long latencyMs,
      @JsonProperty("broker_info") Broker brokerInfo,
      @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_NULL) TestError error) {

    public static TestResult of(ConnectionTestResult result) {
      if (result instanceof ConnectionTestResult.Connected c) {
        BrokerInfo info = c.brokerInfo();
        return new TestResult(true, c.latencyMs(), new Broker(info.version(), info.protocol()), null);
      }
      ConnectionTestResult.Failed f = (ConnectionTestResult.Failed) result;
      return new TestResult(false, null, null, new TestError(f.code().name(), f.message()));
    }
  }

  /** What the broker told about itself. */
  @JsonPropertyOrder({"version", "protocol"})
  public record Broker(@JsonProperty("version") String version, @JsonProperty("protocol") String protocol) {}

  /** Why a connection test failed. */
  @JsonPropertyOrder({"code", "message"})
  public record TestError(@JsonProperty("code") String code, @JsonProperty("message") String message) {}

  /** {@code GET …/integrations}. */
  public record Overview(@JsonProperty("integrations") List<OverviewItem> integrations) {
    public static Overview of(List<IntegrationSummary> summaries) {
      return new Overview(summaries.stream().map(OverviewItem::of).toList());
    }
  }

  /** One provider in the overview. */
  @JsonPropertyOrder({"provider", "available", "configured", "enabled", "status", "connected_at"})
  public record OverviewItem(
      @JsonProperty("provider") String provider,
      @JsonProperty("available") boolean available,
      @JsonProperty("configured") boolean configured,
      @JsonProperty("enabled") boolean enabled,
      @JsonProperty("status") String status,
      @JsonProperty("connected_at") Instant connectedAt) {

    static OverviewItem of(IntegrationSummary s) {
      return new OverviewItem(s.provider().key(), s.available(), s.configured(), s.enabled(), s.status(),
          s.connectedAt());
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

  /** {@code GET/PUT …/github}: the spec's fields plus {@code status}. Never a token. */
  @JsonPropertyOrder({"connected", "username", "avatar_url", "email", "connected_at", "repositories", "auto_sync",
      "scopes", "status"})
  public record GitHub(
      @JsonProperty("connected") boolean connected,
      @JsonProperty("username") String username,
      @JsonProperty("avatar_url") String avatarUrl,
      @JsonProperty("email") String email,
      @JsonProperty("connected_at") Instant connectedAt,
      @JsonProperty("repositories") List<GitHubRepository> repositories,
      @JsonProperty("auto_sync") boolean autoSync,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("status") String status) {

    public static GitHub of(GitHubView v) {
      return new GitHub(v.connected(), v.username(), v.avatarUrl(), v.email(), v.connectedAt(),
          v.repositories().stream().map(GitHubRepository::of).toList(), v.autoSync(), v.scopes(), v.status());
    }
  }

  /** One repository of {@link GitHub}; {@code private} is the spec's name for {@code isPrivate}. */
  @JsonPropertyOrder({"id", "name", "full_name", "private", "synced", "last_sync"})
  public record GitHubRepository(
      @JsonProperty("id") long id,
      @JsonProperty("name") String name,
      @JsonProperty("full_name") String fullName,
      @JsonProperty("private") boolean isPrivate,
      @JsonProperty("synced") boolean synced,
      @JsonProperty("last_sync") Instant lastSync) {

    static GitHubRepository of(GitHubView.Repository r) {
      return new GitHubRepository(r.id(), r.name(), r.fullName(), r.isPrivate(), r.synced(), r.lastSync());
    }
  }

  /** One sync job ({@code POST …/github/sync}, {@code GET …/github/syncs/{id}}). Never the owner's id. */
  @JsonPropertyOrder({"id", "status", "repository_id", "project_ids", "commit_sha", "files_changed", "error",
      "created_at", "finished_at"})
  public record Job(
      @JsonProperty("id") UUID id,
      @JsonProperty("status") String status,
      @JsonProperty("repository_id") long repositoryId,
      @JsonProperty("project_ids") List<String> projectIds,
      @JsonProperty("commit_sha") String commitSha,
      @JsonProperty("files_changed") int filesChanged,
      @JsonProperty("error") String error,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("finished_at") Instant finishedAt) {

    public static Job of(SyncJob j) {
      return new Job(j.id(), j.status().key(), j.repositoryId(), j.projectIds(), j.commitSha(), j.filesChanged(),
          j.error(), j.createdAt(), j.finishedAt());
    }
  }

  /** {@code GET …/github/syncs}. */
  public record Jobs(@JsonProperty("items") List<Job> items) {
    public static Jobs of(List<SyncJob> jobs) {
      return new Jobs(jobs.stream().map(Job::of).toList());
    }
  }

  /** {@code GET /api/v1/auth/github/connect} with {@code Accept: application/json}. */
  public record Authorization(@JsonProperty("authorization_url") String authorizationUrl) {}

  /** {@code POST /internal/v1/projects/changed}. */
  public record Queued(@JsonProperty("queued") boolean queued) {}

  /** {@code GET /health/*}. */
  public record Health(@JsonProperty("status") String status) {
    public static final Health UP = new Health("up");
  }
}
