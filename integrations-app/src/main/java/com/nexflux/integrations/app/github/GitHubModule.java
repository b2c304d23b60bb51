package com.nexflux.integrations.app.github;

import com.nexflux.integrations.app.provider.Environment;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.OAuthRegistration;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
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
import java.net.URI;
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

  /** {@code GITHUB_CALLBACK_URL}'s default: the standalone server on its default port. */
  public static final String DEFAULT_CALLBACK_URL = "http://localhost:8005/api/v1/auth/github/callback";
  /** {@code GITHUB_SCOPES}'s default. */
  public static final String DEFAULT_SCOPES = "repo read:user user:email";

  /**
   * GitHub's variables: {@code GITHUB_CLIENT_ID} and {@code GITHUB_CLIENT_SECRET} (together, or neither: then GitHub
   * is listed but not available), {@code GITHUB_CALLBACK_URL} (default {@value #DEFAULT_CALLBACK_URL}),
   * {@code GITHUB_SCOPES} (space-separated, default {@value #DEFAULT_SCOPES}), {@code GITHUB_OAUTH_BASE_URL}
   * (default {@code https://github.com}; the authorize and token endpoints live under it) and
   * {@code GITHUB_API_BASE_URL} (default {@code https://api.github.com}; Enterprise: {@code https://HOST/api/v3}).
   */
  public static GitHubModule fromEnvironment(Environment env) {
    String id = env.text("GITHUB_CLIENT_ID");
    String secret = env.text("GITHUB_CLIENT_SECRET");
    if (id == null || secret == null) {
      if (id != null || secret != null) {
        env.problem("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together");
      }
      return new GitHubModule(null, null);
    }
    String callback = env.url("GITHUB_CALLBACK_URL", DEFAULT_CALLBACK_URL);
    String scopes = env.text("GITHUB_SCOPES", DEFAULT_SCOPES).trim();
    String oauthBase = env.url("GITHUB_OAUTH_BASE_URL", "https://github.com").replaceAll("/+$", "");
    String apiBase = env.url("GITHUB_API_BASE_URL", "https://api.github.com").replaceAll("/+$", "");
    return new GitHubModule(new OAuthProviderConfig(Provider.GITHUB, id.trim(), Secret.of(secret.trim()),
        URI.create(oauthBase + "/login/oauth/authorize"), URI.create(oauthBase + "/login/oauth/access_token"),
        URI.create(callback), List.of(scopes.split("\\s+")), List.of("read:user", "user:email"),
        URI.create(apiBase)), null);
  }

  /** @return the OAuth app, or empty when the deployment has none */
  public Optional<OAuthProviderConfig> config() {
    return Optional.ofNullable(config);
  }

  @Override
  public List<URI> callbackUrls() {
    return config == null ? List.of() : List.of(config.callbackUrl());
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
