package com.nexflux.integrations.app.github;

import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.OAuthRegistration;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.github.GitHubApi;
import com.nexflux.integrations.core.github.GitHubIntegrationService;
import com.nexflux.integrations.core.github.GitHubIntegrations;
import com.nexflux.integrations.core.github.GitHubSyncService;
import com.nexflux.integrations.core.oauth.ConnectedAccounts;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.OAuthStatusSource;
import com.nexflux.integrations.core.oauth.Revocation;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.core.sync.JobScheduler;
import com.nexflux.integrations.core.sync.ProjectSource;
import com.nexflux.integrations.http.github.GitHubRoutes;
import com.nexflux.integrations.http.oauth.OAuthRoutes;
import com.nexflux.integrations.providers.github.OkHttpGitHubApi;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * GitHub: connect with OAuth, sign in, pick repositories, one-commit sync of projects. Available when the deployment
 * has an OAuth app ({@code GITHUB_CLIENT_ID}/{@code GITHUB_CLIENT_SECRET}); without one its routes answer 503
 * {@code PROVIDER_NOT_CONFIGURED} and the overview says {@code not_available}.
 */
public final class GitHubModule implements ProviderModule {
  /** GitHub's descriptor. */
  public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(Provider.GITHUB, "GitHub",
      List.of(ConnectionMethod.OAUTH_AUTHORIZATION_CODE),
      Set.of(Capability.LINK, Capability.SIGN_IN, Capability.PROJECT_EXPORT));

  private final OAuthProviderConfig config;
  private final GitHubApi apiOverride;
  private final ProjectSource projects;
  private final Duration autoSyncDebounce;
  private GitHubApi api;

  /**
   * @param config the OAuth app, or {@code null} when the deployment has none
   * @param api a replacement for the OkHttp REST client, or {@code null}
   * @param projects where project files come from, or {@code null} (no project is found)
   */
  public GitHubModule(OAuthProviderConfig config, GitHubApi api, ProjectSource projects, Duration autoSyncDebounce) {
    if (config != null && !config.provider().equals(Provider.GITHUB)) {
      throw new IllegalArgumentException("not a GitHub configuration");
    }
    this.config = config;
    this.apiOverride = api;
    this.projects = projects != null ? projects : (user, id) -> Optional.empty();
    this.autoSyncDebounce = Objects.requireNonNull(autoSyncDebounce, "autoSyncDebounce");
  }

  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  private synchronized GitHubApi api(SharedParts shared) {
    if (api == null) {
      api = apiOverride != null ? apiOverride
          : new OkHttpGitHubApi(shared.http(), config.apiBaseUrl(), config.clientId(), config.clientSecret(),
              shared.clock());
    }
    return api;
  }

  @Override
  public Optional<OAuthRegistration> oauth(SharedParts shared) {
    if (config == null) {
      return Optional.empty();
    }
    GitHubApi github = api(shared);
    ConnectedAccounts accounts = (provider, token) -> {
      GitHubAccount a = github.currentUser(token);
      Map<String, Object> profile = new LinkedHashMap<>();
      profile.put("username", a.login());
      profile.put("avatar_url", a.avatarUrl());
      profile.put("email", a.email());
      return new ConnectedAccounts.Account(Long.toString(a.id()), a.login(), profile);
    };
    Map<String, Object> initial = new LinkedHashMap<>();
    initial.put("auto_sync", false);
    initial.put("selected_repos", List.of());
    return Optional.of(new OAuthRegistration(config, accounts, initial,
        new Revocation.GitHubGrant(config.apiBaseUrl())));
  }

  @Override
  public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
    ProviderSlice.Builder slice = ProviderSlice.builder();
    if (config == null || oauth.isEmpty()) {
      return slice.routes(new GitHubRoutes(null), new OAuthRoutes(Provider.GITHUB, DESCRIPTOR.displayName(), null))
          .build();
    }
    OAuthEngine engine = oauth.get();
    var persistence = shared.persistence();
    var scheduler = shared.scheduler();
    GitHubApi github = api(shared);
    GitHubIntegrationService service = new GitHubIntegrationService(persistence.oauthConnections(), engine.tokens(),
        github, engine.disconnects(), persistence.syncJobs(), scheduler, projects, persistence.auditLog(),
        shared.clock(), Duration.ofSeconds(60), autoSyncDebounce);
    GitHubSyncService sync = new GitHubSyncService(persistence.syncJobs(), persistence.oauthConnections(),
        engine.tokens(), github, projects, scheduler, shared.clock(), 3);
    scheduler.handle(JobScheduler.SYNC_TASK, id -> sync.runJob(UUID.fromString(id)))
        .handle(JobScheduler.AUTO_SYNC_TASK, sync::runAutoSync);
    return slice.status(new OAuthStatusSource(persistence.oauthConnections(), Provider.GITHUB))
        .routes(new GitHubRoutes(service), new OAuthRoutes(Provider.GITHUB, DESCRIPTOR.displayName(), engine.flows()))
        .useCase(GitHubIntegrations.class, service)
        .useCase(GitHubSyncService.class, sync)
        .build();
  }
}
