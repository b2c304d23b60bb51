package com.nexflux.integrations.core.github;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.sync.SyncJob;
import java.util.List;
import java.util.UUID;

/** The GitHub integration's use cases (API); each acts on the given user's own connection only. */
public interface GitHubIntegrations {
  /** @return the status, profile and repositories (repositories cached briefly per user) */
  GitHubView view(UserId userId);

  /**
   * Sets auto-sync and the selected repositories; ids are checked against the user's repositories.
   *
   * @param autoSync null keeps the current value
   * @param selectedRepos null keeps the current selection
   * @throws com.nexflux.integrations.core.error.ValidationException naming {@code selected_repos} for unknown ids
   * @throws com.nexflux.integrations.core.error.NotFoundException when GitHub is not connected
   */
  GitHubView updateSettings(UserId userId, Boolean autoSync, List<Long> selectedRepos, RequestContext context);

  /** Revokes the grant at GitHub, deletes the tokens locally even when GitHub fails, audit-logs it; idempotent. */
  void disconnect(UserId userId, RequestContext context);

  /**
   * Queues a sync of projects to one of the user's repositories.
   *
   * @throws com.nexflux.integrations.core.error.ValidationException for an unknown repository or project, or none
   */
  SyncJob requestSync(UserId userId, long repositoryId, List<String> projectIds, RequestContext context);

  /** @throws com.nexflux.integrations.core.error.NotFoundException for another user's or an unknown job */
  SyncJob job(UserId userId, UUID jobId);

  /** @return the user's recent jobs, newest first */
  List<SyncJob> jobs(UserId userId, int limit);

  /** A project changed: when auto-sync is on, a debounced sync to every selected repository is queued. */
  void projectChanged(UserId userId, String projectId);
}
