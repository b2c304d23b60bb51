package com.nexflux.integrations.app.provider;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.oauth.ConnectedAccounts;
import com.nexflux.integrations.core.oauth.ConnectionDisconnect;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.oauth.RefreshLimiter;
import com.nexflux.integrations.core.oauth.OAuthFlowService;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.PasswordLoginClient;
import com.nexflux.integrations.core.oauth.RefreshSweeper;
import com.nexflux.integrations.core.oauth.Revocation;
import com.nexflux.integrations.core.oauth.SignInCompletion;
import com.nexflux.integrations.core.oauth.TokenService;
import com.nexflux.integrations.core.provider.OverviewEntry;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.Timeouts;
import com.nexflux.integrations.core.oauth.AddressRateLimiter;
import com.nexflux.integrations.providers.oauth.NimbusIdTokenVerifier;
import com.nexflux.integrations.providers.oauth.ScribeOAuthClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;
import java.util.Set;

/**
 * The providers of a deployment, in the overview's order. Built in the composition root; hands each provider's
 * pieces to the facade, the overview, the routes, the OpenAPI document and the background jobs. A module registered
 * under a key that is already listed replaces that entry in place (a real module replacing a placeholder).
 */
public final class ProviderRegistry {
  /** The allow-list of an OAuth client with nothing to call: a reserved name (RFC 2606) that never resolves. */
  private static final String NO_HOST = "no-oauth-endpoint.invalid";

  private final List<ProviderModule> modules;

  private ProviderRegistry(List<ProviderModule> modules) {
    this.modules = List.copyOf(modules);
  }

  /** @return a registry of these modules, later ones replacing earlier ones with the same key */
  public static ProviderRegistry of(List<ProviderModule> modules) {
    Map<Provider, ProviderModule> byKey = new LinkedHashMap<>();
    for (ProviderModule m : modules) {
      byKey.put(Objects.requireNonNull(m.descriptor(), "descriptor").provider(), m);
    }
    return new ProviderRegistry(new ArrayList<>(byKey.values()));
  }

  /** @return the modules, in the overview's order */
  public List<ProviderModule> modules() {
    return modules;
  }

  /**
   * What the OAuth engine needs besides the modules' registrations.
   *
   * @param signInProviders the providers a sign-in may use ({@code SIGN_IN_PROVIDERS}, empty by default)
   * @param signInStartsPerMinute sign-in starts allowed per client address per minute (per instance)
   * @param tokenRefreshConcurrency token renewals at once per process ({@link RefreshLimiter}); keep it well below
   *     the database pool size
   * @param tokenRefreshWait how long an on-demand caller waits for a renewal slot before {@code UNAVAILABLE}
   */
  public record EngineOptions(SignInCompletion signIn, Duration tokenRefreshWindow, Set<Provider> signInProviders,
      int signInStartsPerMinute, int tokenRefreshConcurrency, Duration tokenRefreshWait) {
    public EngineOptions {
      Objects.requireNonNull(tokenRefreshWindow, "tokenRefreshWindow");
      Objects.requireNonNull(tokenRefreshWait, "tokenRefreshWait");
      signInProviders = Set.copyOf(signInProviders);
      if (signInStartsPerMinute < 1) {
        throw new IllegalArgumentException("signInStartsPerMinute must be at least 1");
      }
    }

    /**
     * Options without sign-in providers, 20 sign-in starts per address per minute, and
     * {@link RefreshLimiter#DEFAULT_PERMITS} renewals waiting at most {@link RefreshLimiter#DEFAULT_MAX_WAIT}.
     */
    public EngineOptions(SignInCompletion signIn, Duration tokenRefreshWindow) {
      this(signIn, tokenRefreshWindow, Set.of(), 20, RefreshLimiter.DEFAULT_PERMITS, RefreshLimiter.DEFAULT_MAX_WAIT);
    }
  }

  /** The built providers. */
  public record Built(List<ProviderDescriptor> descriptors, List<ProviderSlice> slices, Optional<OAuthEngine> oauth) {
    /** @return one overview entry per provider, in order */
    public List<OverviewEntry> overviewEntries() {
      List<OverviewEntry> out = new ArrayList<>();
      for (int i = 0; i < descriptors.size(); i++) {
        out.add(new OverviewEntry(descriptors.get(i), slices.get(i).status()));
      }
      return out;
    }

    /** @return every provider's part of the device inventory, in order */
    public List<com.nexflux.integrations.core.device.DeviceSource> deviceSources() {
      return slices.stream().flatMap(s -> s.devices().stream()).toList();
    }

    /** @return every provider's route modules, in order */
    public List<RouteModule> routes() {
      return slices.stream().flatMap(s -> s.routes().stream()).toList();
    }

    /** @return the first slice's use case of this type */
    public <T> Optional<T> useCase(Class<T> type) {
      return slices.stream().map(s -> s.useCase(type)).flatMap(Optional::stream).findFirst();
    }
  }

  /**
   * Builds every module: their OAuth registrations first, then the OAuth engine when any module registered (with
   * {@code FRONTEND_URL} required then), then each slice.
   *
   * @throws IllegalStateException when an OAuth provider is registered without a frontend URL
   */
  public Built build(SharedParts shared, EngineOptions options) {
    Map<Provider, OAuthProviderConfig> configs = new LinkedHashMap<>();
    Map<Provider, ConnectedAccounts> resolvers = new LinkedHashMap<>();
    Map<Provider, Map<String, Object>> initial = new LinkedHashMap<>();
    Map<Provider, GrantStrategy> grants = new LinkedHashMap<>();
    for (ProviderModule m : modules) {
      Optional<OAuthRegistration> r = m.oauth(shared);
      if (r.isPresent()) {
        Provider p = m.descriptor().provider();
        if (!r.get().config().provider().equals(p)) {
          throw new IllegalStateException("module " + p.key() + " registered another provider's OAuth config");
        }
        configs.put(p, r.get().config());
        if (r.get().accounts() != null) {
          resolvers.put(p, r.get().accounts());
        }
        initial.put(p, r.get().initialConfig());
        grants.put(p, new GrantStrategy.AuthorizationCode(r.get().config(), r.get().revocation()));
      }
    }
    PasswordLoginClient logins = null;
    for (ProviderModule m : modules) {
      Optional<TokenRegistration> t = m.tokens(shared);
      if (t.isPresent()) {
        Provider p = m.descriptor().provider();
        if (grants.containsKey(p)) {
          throw new IllegalStateException("module " + p.key() + " registered both an OAuth and a token registration");
        }
        grants.put(p, t.get().grant());
        if (t.get().logins() != null) {
          if (logins != null) {
            throw new IllegalStateException("only one password login provider is supported (" + p.key() + ")");
          }
          logins = t.get().logins();
        }
      }
    }
    Optional<OAuthEngine> engine = Optional.empty();
    if (!grants.isEmpty()) {
      engine = Optional.of(engine(shared, options, configs, resolvers, initial, grants, logins));
    }
    List<ProviderDescriptor> descriptors = new ArrayList<>();
    List<ProviderSlice> slices = new ArrayList<>();
    for (ProviderModule m : modules) {
      descriptors.add(m.descriptor());
      slices.add(Objects.requireNonNull(m.build(shared, engine), "slice"));
    }
    return new Built(descriptors, slices, engine);
  }

  private static OAuthEngine engine(SharedParts shared, EngineOptions options,
      Map<Provider, OAuthProviderConfig> configs, Map<Provider, ConnectedAccounts> resolvers,
      Map<Provider, Map<String, Object>> initial, Map<Provider, GrantStrategy> grants, PasswordLoginClient logins) {
    var persistence = shared.persistence();
    java.util.Set<String> oauthHosts = OutboundHttpClients.hostsOf(oauthEndpoints(configs, grants));
    // only API keys or password logins (their own clients): the OAuth client has no host to call at all
    OkHttpClient tokenHttp = shared.outbound().forFixedHosts(oauthHosts.isEmpty() ? java.util.Set.of(NO_HOST)
        : oauthHosts, Timeouts.DEFAULT);
    ScribeOAuthClient client = new ScribeOAuthClient(tokenHttp, shared.clock());
    ConnectedAccounts accounts = (provider, token) -> {
      ConnectedAccounts resolver = resolvers.get(provider);
      if (resolver == null) {
        throw new NotConfiguredException(provider.key() + " is not an OAuth provider of this deployment");
      }
      return resolver.resolve(provider, token);
    };
    OAuthFlowService flows = null;
    if (!configs.isEmpty()) {
      var frontend = shared.frontendUrl()
          .orElseThrow(() -> new IllegalStateException("frontendUrl is required with an OAuth provider"));
      flows = new OAuthFlowService(configs, client, persistence.authorizationFlows(),
          persistence.oauthConnections(), persistence.identities(), accounts, options.signIn(), shared.cipher(),
          persistence.auditLog(), shared.clock(), frontend, initial,
          idTokenVerifier(shared, configs), options.signInProviders(),
          new AddressRateLimiter(options.signInStartsPerMinute(), Duration.ofMinutes(1), shared.clock()));
    }
    TokenService tokens = new TokenService(grants, client, logins, persistence.oauthConnections(), shared.cipher(),
        persistence.auditLog(), shared.clock(),
        new RefreshLimiter(options.tokenRefreshConcurrency(), options.tokenRefreshWait()));
    ConnectionDisconnect disconnects = new ConnectionDisconnect(grants, tokens, client,
        persistence.oauthConnections(), shared.cipher(), shared.clock());
    RefreshSweeper sweeper = new RefreshSweeper(tokens, persistence.oauthConnections(), shared.clock(),
        options.tokenRefreshWindow(), 200);
    shared.scheduler()
        .recurring("oauth-token-refresh", Duration.ofMinutes(1), () -> sweeper.sweepFor(Duration.ofSeconds(50)))
        .recurring("oauth-flow-purge", Duration.ofMinutes(10),
            () -> persistence.authorizationFlows().purgeExpired(shared.clock().instant()));
    return new OAuthEngine(flows, tokens, sweeper, disconnects);
  }

  /**
   * The ID token verifier on the guarded client of the OIDC providers' JWKS hosts (fixed hosts from configuration,
   * never from a token); {@code null} when no provider is OIDC.
   */
  private static NimbusIdTokenVerifier idTokenVerifier(SharedParts shared, Map<Provider, OAuthProviderConfig> configs) {
    java.net.URI[] jwks = configs.values().stream().filter(c -> c.oidc() != null).map(c -> c.oidc().jwksUri())
        .toArray(java.net.URI[]::new);
    if (jwks.length == 0) {
      return null;
    }
    return new NimbusIdTokenVerifier(shared.outbound().forFixedHosts(OutboundHttpClients.hostsOf(jwks),
        Timeouts.DEFAULT.withCall(Duration.ofSeconds(10))), shared.clock());
  }

  /** The token endpoints and the revocation endpoints: the only hosts the OAuth client may call. */
  private static java.net.URI[] oauthEndpoints(Map<Provider, OAuthProviderConfig> configs,
      Map<Provider, GrantStrategy> grants) {
    List<java.net.URI> out = new ArrayList<>();
    configs.values().forEach(c -> out.add(c.tokenEndpoint()));
    for (GrantStrategy g : grants.values()) {
      Revocation revocation = g.revocation();
      if (g instanceof GrantStrategy.ClientCredentials cc) {
        out.add(cc.tokenEndpoint());
        out.addAll(cc.connectionEndpoints());
      }
      if (revocation instanceof Revocation.Rfc7009 r) {
        out.add(r.endpoint());
      } else if (revocation instanceof Revocation.GitHubGrant r) {
        out.add(r.apiBaseUrl());
      }
    }
    return out.toArray(java.net.URI[]::new);
  }
}
