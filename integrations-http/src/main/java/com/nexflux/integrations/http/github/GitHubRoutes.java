package com.nexflux.integrations.http.github;

import com.nexflux.integrations.core.github.GitHubIntegrations;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;

/**
 * GitHub's routes: {@code GET|PUT|DELETE /api/v1/users/me/integrations/github}, {@code POST …/github/sync},
 * {@code GET …/github/syncs[/{id}]} and {@code POST /internal/v1/projects/changed}. Without the GitHub use cases
 * (the deployment has no GitHub credentials) they exist and answer 503 {@code PROVIDER_NOT_CONFIGURED}.
 */
public final class GitHubRoutes implements RouteModule {
  public static final String GITHUB = ApiKit.INTEGRATIONS + "/github";
  public static final String GITHUB_SYNC = GITHUB + "/sync";
  public static final String GITHUB_SYNCS = GITHUB + "/syncs";
  public static final String GITHUB_SYNC_JOB = GITHUB_SYNCS + "/{id}";
  public static final String INTERNAL_PROJECT_CHANGED = "/internal/v1/projects/changed";

  private final GitHubIntegrations github;

  /** @param github the GitHub use cases, or {@code null} when this deployment has no GitHub credentials */
  public GitHubRoutes(GitHubIntegrations github) {
    this.github = github;
  }

  @Override
  public void register(RouteRegistry routes, ApiKit kit) {
    GitHubHandlers h = new GitHubHandlers(github, kit.authentication(), kit.bodies(), kit.json());
    InternalHandlers internal = new InternalHandlers(github, kit.internalApiToken(), kit.bodies(), kit.json());
    routes.get(GITHUB, h::get);
    routes.put(GITHUB, h::put);
    routes.delete(GITHUB, h::delete);
    routes.post(GITHUB_SYNC, h::sync);
    routes.get(GITHUB_SYNCS, h::jobs);
    routes.get(GITHUB_SYNC_JOB, h::job);
    routes.post(INTERNAL_PROJECT_CHANGED, internal::projectChanged);
  }

  @Override
  public String openApi() {
    return OpenApiFragments.resource(GitHubRoutes.class, "openapi-github.json");
  }
}
