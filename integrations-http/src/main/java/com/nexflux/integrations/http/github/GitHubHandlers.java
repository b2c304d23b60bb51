package com.nexflux.integrations.http.github;

import com.nexflux.integrations.http.internal.BearerAuthentication;
import com.nexflux.integrations.http.internal.JsonResponses;
import com.nexflux.integrations.http.internal.RequestBodies;
import com.nexflux.integrations.http.internal.RequestScope;
import com.nexflux.integrations.http.internal.Responses;
import com.nexflux.integrations.http.internal.JsonFields;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.github.GitHubIntegrations;
import com.nexflux.integrations.core.github.GitHubView;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/users/me/integrations/github[/sync|/syncs|/syncs/{id}]}. Every route exists even when no
 * {@link GitHubIntegrations} was given; they then answer 503 {@code PROVIDER_NOT_CONFIGURED} (after authentication).
 */
public final class GitHubHandlers {
  /** Page size of {@code GET …/syncs} when {@code limit} is not given. */
  public static final int DEFAULT_JOBS_LIMIT = 20;
  /** The largest {@code limit} of {@code GET …/syncs}. */
  public static final int MAX_JOBS_LIMIT = 100;
  /** The longest project id accepted. */
  public static final int MAX_PROJECT_ID_CHARS = 200;

  static final String AUTO_SYNC = "auto_sync";
  static final String SELECTED_REPOS = "selected_repos";
  static final String REPOSITORY_ID = "repository_id";
  static final String PROJECT_IDS = "project_ids";

  private final GitHubIntegrations github;
  private final BearerAuthentication auth;
  private final RequestBodies bodies;
  private final JsonResponses json;

  /** @param github the use cases, or {@code null} when GitHub is not configured on this server */
  public GitHubHandlers(GitHubIntegrations github, BearerAuthentication auth, RequestBodies bodies,
      JsonResponses json) {
    this.github = github;
    this.auth = Objects.requireNonNull(auth, "auth");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** {@code GET …/github}: status, profile and repositories. */
  public void get(Context ctx) {
    UserId user = auth.user(ctx);
    json.ok(ctx, view(github().view(user)));
  }

  /**
   * {@code PUT …/github}: {@code {"auto_sync": bool, "selected_repos": [ids]}}, both optional (missing or null
   * keeps the current value); answers like {@code GET}.
   */
  public void put(Context ctx) {
    UserId user = auth.user(ctx);
    GitHubIntegrations github = github();
    JsonFields fields = JsonFields.of(bodies.object(bodies.read(ctx)), Set.of(AUTO_SYNC, SELECTED_REPOS));
    Boolean autoSync = fields.optionalBoolean(AUTO_SYNC);
    List<Long> selected = fields.optionalLongArray(SELECTED_REPOS);
    fields.check();
    json.ok(ctx, view(github.updateSettings(user, autoSync, selected, RequestScope.context(ctx))));
  }

  /** {@code DELETE …/github}: idempotent; {@code {"deleted":true}} whether or not GitHub was connected. */
  public void delete(Context ctx) {
    UserId user = auth.user(ctx);
    github().disconnect(user, RequestScope.context(ctx));
    json.ok(ctx, new Responses.Deleted(true));
  }

  /**
   * {@code POST …/github/sync}: {@code {"repository_id": id, "project_ids": [ids]}} → 202 with the queued job and
   * {@code Location: …/github/syncs/{id}}.
   */
  public void sync(Context ctx) {
    UserId user = auth.user(ctx);
    GitHubIntegrations github = github();
    JsonFields fields = JsonFields.of(bodies.object(bodies.read(ctx)), Set.of(REPOSITORY_ID, PROJECT_IDS));
    Long repositoryId = fields.requiredLong(REPOSITORY_ID);
    List<String> projectIds = fields.requiredStringArray(PROJECT_IDS, MAX_PROJECT_ID_CHARS);
    fields.check();
    SyncJob job = Objects.requireNonNull(
        github.requestSync(user, repositoryId, projectIds, RequestScope.context(ctx)), "the queued job");
    ctx.header("Location", GitHubRoutes.GITHUB_SYNCS + "/" + job.id());
    json.success(ctx, 202, GitHubResponses.Job.of(job));
  }

  /** {@code GET …/github/syncs/{id}}: one of the caller's jobs; 404 for anything else, a malformed id included. */
  public void job(Context ctx) {
    UserId user = auth.user(ctx);
    GitHubIntegrations github = github();
    String id = ctx.pathParam("id");
    if (!JsonFields.isCanonicalUuid(id)) {
      throw new NotFoundException("No such sync job");
    }
    SyncJob job = Objects.requireNonNull(github.job(user, UUID.fromString(id)), "the job");
    json.ok(ctx, GitHubResponses.Job.of(job));
  }

  /** {@code GET …/github/syncs?limit=}: the caller's recent jobs, newest first. */
  public void jobs(Context ctx) {
    UserId user = auth.user(ctx);
    GitHubIntegrations github = github();
    int limit = limit(ctx.queryParam("limit"));
    json.ok(ctx, GitHubResponses.Jobs.of(Objects.requireNonNull(github.jobs(user, limit), "the jobs")));
  }

  static int limit(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_JOBS_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw ValidationException.of("limit", "must be an integer");
    }
    if (limit < 1 || limit > MAX_JOBS_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + MAX_JOBS_LIMIT);
    }
    return limit;
  }

  private static GitHubResponses.GitHub view(GitHubView view) {
    return GitHubResponses.GitHub.of(Objects.requireNonNull(view, "the GitHub view"));
  }

  private GitHubIntegrations github() {
    if (github == null) {
      throw notConfigured();
    }
    return github;
  }

  static NotConfiguredException notConfigured() {
    return new NotConfiguredException("GitHub is not configured on this server");
  }
}
