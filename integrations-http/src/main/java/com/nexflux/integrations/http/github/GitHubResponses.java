package com.nexflux.integrations.http.github;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.github.GitHubSyncDestination;
import com.nexflux.integrations.core.github.GitHubView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The {@code data} shapes of the GitHub answers; names spelled out with {@link JsonProperty}. */
public final class GitHubResponses {
  private GitHubResponses() {}

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
      return new Job(j.id(), j.status().key(), GitHubSyncDestination.repositoryId(j), j.projectIds(), j.commitSha(), j.filesChanged(),
          j.error(), j.createdAt(), j.finishedAt());
    }
  }

  /** {@code GET …/github/syncs}. */
  public record Jobs(@JsonProperty("items") List<Job> items) {
    public static Jobs of(List<SyncJob> jobs) {
      return new Jobs(jobs.stream().map(Job::of).toList());
    }
  }

  /** {@code POST /internal/v1/projects/changed}. */
  public record Queued(@JsonProperty("queued") boolean queued) {}
}
