package com.nexflux.integrations.app;

import com.nexflux.integrations.app.github.GitHubModule;
import com.nexflux.integrations.app.mqtt.MqttModule;
import com.nexflux.integrations.app.provider.NotYetAvailable;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderRegistry;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.core.account.Accounts;
import com.nexflux.integrations.core.account.UserAccounts;
import com.nexflux.integrations.core.audit.AuditTrail;
import com.nexflux.integrations.core.audit.AuditTrailService;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.SecretCipher;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.github.GitHubApi;
import com.nexflux.integrations.core.github.GitHubIntegrations;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.EffectiveMqttSettings;
import com.nexflux.integrations.core.mqtt.MqttBrokerProbe;
import com.nexflux.integrations.core.mqtt.MqttIntegrations;
import com.nexflux.integrations.core.net.CidrRange;
import com.nexflux.integrations.core.net.HostResolver;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.oauth.AccessTokens;
import com.nexflux.integrations.core.oauth.OAuthFlows;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.RefreshLimiter;
import com.nexflux.integrations.core.oauth.RefreshSweeper;
import com.nexflux.integrations.core.oauth.SignInCompletion;
import com.nexflux.integrations.core.oauth.SignInIdentities;
import com.nexflux.integrations.core.oauth.SignInIdentityService;
import com.nexflux.integrations.core.device.DeviceInventory;
import com.nexflux.integrations.core.device.DeviceInventoryService;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.IntegrationsOverview;
import com.nexflux.integrations.core.provider.OverviewService;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.core.sync.ProjectSource;
import com.nexflux.integrations.core.sync.SyncService;
import com.nexflux.integrations.http.Authenticator;
import com.nexflux.integrations.http.IntegrationsApi;
import com.nexflux.integrations.http.device.DeviceRoutes;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.persistence.DbSchedulerJobScheduler;
import com.nexflux.integrations.persistence.Migrations;
import com.nexflux.integrations.persistence.PostgresPersistence;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;

/**
 * The library facade: what a NexFlux JVM service embeds. Build it from the host's {@link DataSource} and a
 * Tink keyset; it runs the migrations, wires every adapter by hand and hands out the use cases.
 *
 * <pre>{@code
 * NexfluxIntegrations integrations = NexfluxIntegrations.builder()
 *     .dataSource(dataSource)
 *     .keyset(keysetJson)
 *     .defaultMqttBrokerUrl("wss://broker.nexflux.example/mqtt")
 *     .build();
 * EffectiveMqttSettings mqtt = integrations.effectiveSettings(userId);
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops its background threads; it does not close the data source.
 */
public final class NexfluxIntegrations implements AutoCloseable {
  private final PostgresPersistence persistence;
  private final OverviewService overview;
  private final DeviceInventory devices;
  private final AuditTrailService auditTrail;
  private final UserAccounts accounts;
  private final ExecutorService blocking;
  private final ProviderRegistry.Built providers;
  private final SharedParts shared;
  private final MqttIntegrations mqtt;
  private final OkHttpClient http;
  private final SignInIdentities identities;

  private NexfluxIntegrations(Builder b) {
    this.persistence = new PostgresPersistence(b.dataSource);
    SecretCipher cipher = TinkSecretCipher.fromKeysetJson(b.keysetJson);
    this.blocking = newBlockingExecutor(b.blockingThreads);
    OutboundGuard guard = new OutboundGuard(b.resolver, b.allowedNetworks);
    this.http = new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false).build();
    this.shared = new SharedParts(b.dataSource, persistence, cipher, b.clock, guard, b.resolver, blocking, http,
        b.frontendUrl, b.instanceName, b.schedulerPollInterval, b.projects, b.autoSyncDebounce);
    List<ProviderModule> modules = new ArrayList<>();
    modules.add(new MqttModule(b.defaultBroker, b.testTimeout, b.testsPerMinute, b.probe));
    modules.add(new GitHubModule(b.github, b.githubApi));
    modules.addAll(NOT_YET_AVAILABLE);
    modules.addAll(b.extraModules);
    this.providers = ProviderRegistry.of(modules).build(shared,
        new ProviderRegistry.EngineOptions(b.signIn, b.tokenRefreshWindow, b.signInProviders,
            b.signInStartsPerMinute, b.tokenRefreshConcurrency, b.tokenRefreshWait));
    this.mqtt = providers.useCase(MqttIntegrations.class)
        .orElseThrow(() -> new IllegalStateException("the registry has no MQTT module"));
    this.overview = new OverviewService(providers.overviewEntries());
    this.devices = new DeviceInventoryService(providers.deviceSources(), blocking, b.deviceInventoryTimeout, b.clock);
    this.auditTrail = new AuditTrailService(persistence.auditLog());
    this.accounts = new UserAccounts(persistence.userDirectory(), b.provisionUsers);
    this.identities = new SignInIdentityService(persistence.identities(), b.clock);
    if (b.startBackgroundJobs) {
      shared.schedulerIfCreated().ifPresent(DbSchedulerJobScheduler::start);
    }
  }

  /** The providers this release lists but does not build yet (the spec's overview). */
  private static final List<ProviderModule> NOT_YET_AVAILABLE = List.of(
      new NotYetAvailable(new ProviderDescriptor(Provider.ARDUINO_CLOUD, "Arduino Cloud",
          List.of(ConnectionMethod.CLIENT_CREDENTIALS), Set.of(Capability.LINK, Capability.DEVICES))),
      new NotYetAvailable(new ProviderDescriptor(Provider.GOOGLE, "Google",
          List.of(ConnectionMethod.OAUTH_AUTHORIZATION_CODE),
          Set.of(Capability.LINK, Capability.SIGN_IN, Capability.PROJECT_EXPORT, Capability.PROJECT_IMPORT))),
      new NotYetAvailable(new ProviderDescriptor(Provider.BLYNK, "Blynk",
          List.of(ConnectionMethod.API_KEY, ConnectionMethod.CLIENT_CREDENTIALS), Set.of(Capability.DEVICES))),
      new NotYetAvailable(new ProviderDescriptor(Provider.THINGSBOARD, "ThingsBoard",
          List.of(ConnectionMethod.PASSWORD_LOGIN, ConnectionMethod.API_KEY), Set.of(Capability.DEVICES))),
      new NotYetAvailable(new ProviderDescriptor(Provider.ONEDRIVE, "OneDrive",
          List.of(ConnectionMethod.OAUTH_AUTHORIZATION_CODE),
          Set.of(Capability.LINK, Capability.PROJECT_EXPORT, Capability.PROJECT_IMPORT))));

  /**
   * @return the use case of this type that a provider module offers (e.g. {@code MqttIntegrations},
   *     {@code GitHubIntegrations}, or a host-registered module's own)
   */
  public <T> Optional<T> useCase(Class<T> type) {
    return providers.useCase(Objects.requireNonNull(type, "type"));
  }

  /** @return the descriptors of every provider, in the overview's order */
  public List<ProviderDescriptor> providers() {
    return providers.descriptors();
  }

  /** @return the GitHub integration's use cases */
  public Optional<GitHubIntegrations> github() {
    return useCase(GitHubIntegrations.class);
  }

  /** @return the OAuth flows (connect, callback, sign-in), when an OAuth provider is configured */
  public Optional<OAuthFlows> oauthFlows() {
    return providers.oauth().map(OAuthEngine::flows); // empty when no provider uses the browser flow
  }

  /** @return fresh access tokens for users' OAuth connections, when an OAuth provider is configured */
  public Optional<AccessTokens> accessTokens() {
    return providers.oauth().map(OAuthEngine::tokens);
  }

  /** @return the users' sign-in identities (list, remove) */
  public SignInIdentities signInIdentities() {
    return identities;
  }

  /** @return the token refresh sweeper (it also runs every minute in the background) */
  public Optional<RefreshSweeper> refreshSweeper() {
    return providers.oauth().map(OAuthEngine::sweeper);
  }

  /** @return the sync service of every provider (for hosts that run jobs themselves), when one is built */
  public Optional<SyncService> syncRunner() {
    return useCase(SyncService.class);
  }

  /**
   * A project changed: with auto-sync on, a debounced sync to the user's selected repositories is queued. A no-op
   * when GitHub is not configured.
   */
  public void projectChanged(UserId userId, String projectId) {
    github().ifPresent(g -> g.projectChanged(userId, projectId));
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the MQTT use cases */
  public MqttIntegrations mqtt() {
    return mqtt;
  }

  /** @return the per-user overview of every provider */
  public IntegrationsOverview overview() {
    return overview;
  }

  /** @return every user's devices across the device platforms, asked in parallel ({@code GET /api/v1/users/me/devices}) */
  public DeviceInventory devices() {
    return devices;
  }

  /** @return the users' audit trails */
  public AuditTrail auditTrail() {
    return auditTrail;
  }

  /** @return user admission (provisioning of the {@code users} row) */
  public Accounts accounts() {
    return accounts;
  }

  /**
   * The broker, credentials and topics to use for a user: the user's own when saved and enabled, else the
   * default broker.
   */
  public EffectiveMqttSettings effectiveSettings(UserId userId) {
    return mqtt.effectiveSettings(userId);
  }

  /** Checks the database; throws {@link com.nexflux.integrations.core.error.UnavailableException} when down. */
  public void checkReady() {
    persistence.health().check();
  }

  /**
   * The HTTP API over these use cases, to mount on a host's Javalin ({@link IntegrationsApi#mount}) or to run
   * standalone ({@link IntegrationsApi#createServer()}).
   */
  public IntegrationsApi httpApi(Authenticator authenticator) {
    return httpApiBuilder(authenticator).build();
  }

  /** Like {@link #httpApi}, for adding HTTP options (internal API token, HTTPS cookies) before building. */
  public IntegrationsApi.Builder httpApiBuilder(Authenticator authenticator) {
    return IntegrationsApi.builder()
        .routes(providers.routes().toArray(RouteModule[]::new))
        .routes(new DeviceRoutes(devices))
        .overview(overview)
        .auditTrail(auditTrail)
        .accounts(accounts)
        .authenticator(authenticator)
        .signInIdentities(identities)
        .readiness(this::checkReady);
  }

  /** Stops background threads. Tests in flight finish with a timeout result. */
  @Override
  public void close() {
    shared.schedulerIfCreated().ifPresent(DbSchedulerJobScheduler::close);
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    blocking.shutdown();
    try {
      if (!blocking.awaitTermination(5, TimeUnit.SECONDS)) {
        blocking.shutdownNow();
      }
    } catch (InterruptedException e) {
      blocking.shutdownNow();
      Thread.currentThread().interrupt();
    }
    List<AutoCloseable> owned = new ArrayList<>();
    providers.slices().forEach(slice -> owned.addAll(slice.closeables()));
    java.util.Collections.reverse(owned);
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort: the others are still closed
      }
    }
  }

  private static ExecutorService newBlockingExecutor(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, "nexflux-integrations-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(10_000), tf, new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Builds a {@link NexfluxIntegrations}; {@link #build()} validates everything at once. */
  public static final class Builder {
    private DataSource dataSource;
    private String keysetJson;
    private BrokerUrl defaultBroker;
    private List<CidrRange> allowedNetworks = List.of();
    private Duration testTimeout = Duration.ofMillis(5000);
    private int testsPerMinute = 10;
    private boolean provisionUsers = true;
    private boolean migrate = true;
    private Clock clock = Clock.systemUTC();
    private HostResolver resolver = HostResolver.SYSTEM;
    private MqttBrokerProbe probe;
    private int blockingThreads = 16;
    private OAuthProviderConfig github;
    private GitHubApi githubApi;
    private URI frontendUrl;
    private ProjectSource projects;
    private SignInCompletion signIn;
    private Duration tokenRefreshWindow = Duration.ofMinutes(15);
    private int tokenRefreshConcurrency = RefreshLimiter.DEFAULT_PERMITS;
    private Duration tokenRefreshWait = RefreshLimiter.DEFAULT_MAX_WAIT;
    private Duration autoSyncDebounce = Duration.ofSeconds(30);
    private Duration schedulerPollInterval = DbSchedulerJobScheduler.DEFAULT_POLLING_INTERVAL;
    private String instanceName = "integrations-" + UUID.randomUUID().toString().substring(0, 8);
    private boolean startBackgroundJobs = true;
    private Set<Provider> signInProviders = Set.of();
    private int signInStartsPerMinute = 20;
    private Duration deviceInventoryTimeout = Duration.ofSeconds(5);
    private final List<ProviderModule> extraModules = new ArrayList<>();

    private Builder() {}

    /**
     * Registers a provider module (a provider of the host's own, or a replacement for a listed one: a module whose
     * key is already listed takes that entry's place in the overview).
     */
    public Builder provider(ProviderModule module) {
      this.extraModules.add(Objects.requireNonNull(module, "module"));
      return this;
    }

    /** Enables GitHub (connect, sign-in, sync) with this OAuth app; needs {@link #frontendUrl}. */
    public Builder github(OAuthProviderConfig value) {
      if (value != null && !value.provider().equals(Provider.GITHUB)) {
        throw new IllegalArgumentException("not a GitHub configuration");
      }
      this.github = value;
      return this;
    }

    /** Replaces the OkHttp GitHub REST client (for hosts with their own egress). */
    public Builder githubApi(GitHubApi value) {
      this.githubApi = Objects.requireNonNull(value, "githubApi");
      return this;
    }

    /** Where OAuth callbacks send the browser ({@code FRONTEND_URL}); required with an OAuth provider. */
    public Builder frontendUrl(URI value) {
      this.frontendUrl = Objects.requireNonNull(value, "frontendUrl");
      return this;
    }

    /** Where project files come from for GitHub sync. */
    public Builder projectSource(ProjectSource value) {
      this.projects = Objects.requireNonNull(value, "projectSource");
      return this;
    }

    /** Completes "sign in with GitHub" in the host's way; without it sign-in is not offered. */
    public Builder signInCompletion(SignInCompletion value) {
      this.signIn = value;
      return this;
    }

    /**
     * The providers a login page may offer for sign-in ({@code SIGN_IN_PROVIDERS}); default none. A sign-in also
     * needs {@link #signInCompletion}; connecting an integration never signs anyone in.
     */
    public Builder signInProviders(Set<Provider> value) {
      this.signInProviders = Set.copyOf(value);
      return this;
    }

    /** Sign-in starts allowed per client address per minute (per instance); default 20. */
    public Builder signInStartsPerMinute(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("signInStartsPerMinute must be at least 1");
      }
      this.signInStartsPerMinute = value;
      return this;
    }

    /**
     * How many token renewals run at once in this process (each holds a pooled database connection while it waits
     * on the provider); default 4. Keep it well below the database pool size, so a slow provider cannot starve the
     * API.
     */
    public Builder tokenRefreshConcurrency(int value) {
      if (value < 1 || value > 1000) {
        throw new IllegalArgumentException("tokenRefreshConcurrency must be between 1 and 1000");
      }
      this.tokenRefreshConcurrency = value;
      return this;
    }

    /** How long an on-demand caller waits for a renewal slot before {@code UNAVAILABLE}; default 10 s. */
    public Builder tokenRefreshWait(Duration value) {
      Objects.requireNonNull(value, "tokenRefreshWait");
      if (value.isNegative()) {
        throw new IllegalArgumentException("tokenRefreshWait must not be negative");
      }
      this.tokenRefreshWait = value;
      return this;
    }

    /** How long the device inventory waits for each provider before listing it as unavailable; default 5 s. */
    public Builder deviceInventoryTimeout(Duration value) {
      Objects.requireNonNull(value, "deviceInventoryTimeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("deviceInventoryTimeout must be positive");
      }
      this.deviceInventoryTimeout = value;
      return this;
    }

    /** The sweeper refreshes tokens expiring within this window; default 15 minutes. */
    public Builder tokenRefreshWindow(Duration value) {
      this.tokenRefreshWindow = Objects.requireNonNull(value, "tokenRefreshWindow");
      return this;
    }

    /** How long auto-sync waits for more changes before syncing; default 30 s. */
    public Builder autoSyncDebounce(Duration value) {
      this.autoSyncDebounce = Objects.requireNonNull(value, "autoSyncDebounce");
      return this;
    }

    /** How often the job scheduler polls PostgreSQL for due work; default 5 s. */
    public Builder schedulerPollInterval(Duration value) {
      this.schedulerPollInterval = Objects.requireNonNull(value, "schedulerPollInterval");
      return this;
    }

    /** This instance's name in the job scheduler's table; default random. */
    public Builder instanceName(String value) {
      this.instanceName = Objects.requireNonNull(value, "instanceName");
      return this;
    }

    /** Whether to start the background scheduler (sync jobs, token sweeper); default true. */
    public Builder startBackgroundJobs(boolean value) {
      this.startBackgroundJobs = value;
      return this;
    }

    /** The PostgreSQL data source (required). Not closed by the facade. */
    public Builder dataSource(DataSource value) {
      this.dataSource = Objects.requireNonNull(value, "dataSource");
      return this;
    }

    /** The Tink AEAD keyset, as Tink JSON (required). */
    public Builder keyset(String tinkJson) {
      this.keysetJson = Objects.requireNonNull(tinkJson, "keyset");
      return this;
    }

    /** The broker for users without their own ({@code DEFAULT_MQTT_BROKER_URL}); optional. */
    public Builder defaultMqttBrokerUrl(String url) {
      if (url == null) {
        this.defaultBroker = null;
        return this;
      }
      BrokerUrl.Result r = BrokerUrl.parse("default_mqtt_broker_url", url);
      if (r.error() != null) {
        throw new IllegalArgumentException("default MQTT broker URL " + r.error().message());
      }
      this.defaultBroker = r.url();
      return this;
    }

    /** Networks the outbound guard lets through ({@code OUTBOUND_ALLOWED_NETWORKS}); empty by default. */
    public Builder outboundAllowedNetworks(List<CidrRange> networks) {
      this.allowedNetworks = List.copyOf(networks);
      return this;
    }

    /** Same as {@link #outboundAllowedNetworks(List)}, from comma-separated CIDRs. */
    public Builder outboundAllowedNetworks(String cidrs) {
      return outboundAllowedNetworks(OutboundGuard.parseNetworks(cidrs));
    }

    /** The bound on a whole connection test; default 5 s. */
    public Builder mqttTestTimeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("mqttTestTimeout must be positive");
      }
      this.testTimeout = value;
      return this;
    }

    /** Connection tests allowed per user per minute; default 10. */
    public Builder mqttTestsPerMinute(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("mqttTestsPerMinute must be at least 1");
      }
      this.testsPerMinute = value;
      return this;
    }

    /** Whether an unknown authenticated user gets a {@code users} row on first sight; default true. */
    public Builder provisionUsers(boolean value) {
      this.provisionUsers = value;
      return this;
    }

    /** Whether {@link #build()} applies the Flyway migrations; default true. */
    public Builder migrate(boolean value) {
      this.migrate = value;
      return this;
    }

    /** The clock; default UTC system clock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The host-name resolver used by the outbound guard; default the system resolver. */
    public Builder hostResolver(HostResolver value) {
      this.resolver = Objects.requireNonNull(value, "hostResolver");
      return this;
    }

    /** Replaces the HiveMQ-based broker probe (for hosts with their own egress). */
    public Builder brokerProbe(MqttBrokerProbe value) {
      this.probe = Objects.requireNonNull(value, "brokerProbe");
      return this;
    }

    /** Threads for blocking work around connection tests (DNS, recording); default 16. */
    public Builder blockingThreads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("blockingThreads must be at least 1");
      }
      this.blockingThreads = value;
      return this;
    }

    /**
     * @throws IllegalStateException when the data source or keyset is missing
     * @throws IntegrationsException when the keyset is unusable or the database cannot be migrated
     */
    public NexfluxIntegrations build() {
      if (dataSource == null) {
        throw new IllegalStateException("dataSource is required");
      }
      if (keysetJson == null) {
        throw new IllegalStateException("keyset is required");
      }
      if (github != null && frontendUrl == null) {
        throw new IllegalStateException("frontendUrl is required with an OAuth provider");
      }
      if (migrate) {
        Migrations.migrate(dataSource);
      }
      return new NexfluxIntegrations(this);
    }
  }
}
