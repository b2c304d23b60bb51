package com.nexflux.integrations.core.github;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/users/me/integrations/github}: the spec's shape plus {@code status}.
 *
 * @param connected whether tokens are stored and usable
 * @param username the GitHub login, or null
 * @param avatarUrl the avatar URL, or null
 * @param email the primary verified email, or null
 * @param connectedAt when the user connected, or null
 * @param repositories the user's repositories with their sync state (empty when not connected)
 * @param autoSync whether changed projects sync automatically to the selected repositories
 * @param scopes the granted scopes
 * @param status {@code connected}, {@code needs_reauth} or {@code not_configured}
 */
public record GitHubView(
    boolean connected,
    String username,
    String avatarUrl,
    String email,
    Instant connectedAt,
    List<Repository> repositories,
    boolean autoSync,
    List<String> scopes,
    String status) {

  public GitHubView {
    repositories = List.copyOf(repositories);
    scopes = List.copyOf(scopes);
  }

  /**
   * One repository.
   *
   * @param id GitHub's id
   * @param name the name
   * @param fullName {@code owner/name}
   * @param isPrivate whether private
   * @param synced whether it is selected for sync
   * @param lastSync when a sync to it last succeeded, or null
   */
  public record Repository(long id, String name, String fullName, boolean isPrivate, boolean synced,
      Instant lastSync) {}
}
