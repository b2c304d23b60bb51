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
import com.nexflux.integrations.core.github.GitHubSettings;
import com.nexflux.integrations.core.github.GitHubSettingsCodec;
import com.nexflux.integrations.core.github.GitHubSyncDestination;
import com.nexflux.integrations.core.oauth.ConnectedAccounts;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.OAuthStatusSource;
import com.nexflux.integrations.core.oauth.Revocation;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.core.sync.SyncService;
import com.nexflux.integrations.http.github.GitHubRoutes;
import com.nexflux.integrations.http.oauth.OAuthRoutes;
import com.nexflux.integrations.providers.github.OkHttpGitHubApi;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.Timeouts;
import java.time.Duration;
import java.util.List;
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
  private GitHubApi api;

  /**
   * Projects come from {@link SharedParts#projects()}; sync jobs run on the shared {@link SharedParts#sync()}.
   *
   * @param config the OAuth app, or {@code null} when the deployment has none
   * @param api a replacement for the OkHttp REST client, or {@code null}
   */
  public GitHubModule(OAuthProviderConfig config, GitHubApi api) {
    if (config != null && !config.provider().equals(Provider.GITHUB)) {
      throw new IllegalArgumentException("not a GitHub configuration");
    }
    this.config = config;
    this.apiOverride = api;
  }

  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  private synchronized GitHubApi api(SharedParts shared) {
    if (api == null) {
      api = apiOverride != null ? apiOverride
          : new OkHttpGitHubApi(shared.outbound().forFixedHosts(OutboundHttpClients.hostsOf(config.apiBaseUrl()),
              Timeouts.DEFAULT.withCall(Duration.ofMinutes(2))), config.apiBaseUrl(), config.clientId(),
              config.clientSecret(), shared.clock());
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
      return new ConnectedAccounts.Account(Long.toString(a.id()), a.login(),
          GitHubSettingsCodec.profile(GitHubSettings.Profile.of(a)));
    };
    return Optional.of(new OAuthRegistration(config, accounts, GitHubSettingsCodec.initial(),
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
    GitHubApi github = api(shared);
    SyncService sync = shared.sync().register(new GitHubSyncDestination(persistence.oauthConnections(),
        engine.tokens(), github, shared.clock(), 3));
    // executions scheduled under the task names of earlier releases still run after an upgrade
    shared.scheduler()
        .handle(GitHubSyncDestination.LEGACY_SYNC_TASK, id -> sync.runJob(UUID.fromString(id)))
        .handle(GitHubSyncDestination.LEGACY_AUTO_SYNC_TASK, id -> GitHubSyncDestination.legacyAutoSyncTarget(id)
            .ifPresent(sync::runAutoSync));
    GitHubIntegrationService service = new GitHubIntegrationService(persistence.oauthConnections(), engine.tokens(),
        github, engine.disconnects(), sync, persistence.syncJobs(), shared.projects(), shared.clock(),
        Duration.ofSeconds(60));
    return slice.status(new OAuthStatusSource(persistence.oauthConnections(), Provider.GITHUB))
        .routes(new GitHubRoutes(service), new OAuthRoutes(Provider.GITHUB, DESCRIPTOR.displayName(), engine.flows()))
        .useCase(GitHubIntegrations.class, service)
        .useCase(SyncService.class, sync)
        .build();
  }
}
