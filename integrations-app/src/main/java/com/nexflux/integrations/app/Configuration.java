package com.nexflux.integrations.app;

import com.nexflux.integrations.app.arduino.ArduinoModule;
import com.nexflux.integrations.app.blynk.BlynkModule;
import com.nexflux.integrations.app.github.GitHubModule;
import com.nexflux.integrations.app.mqtt.MqttModule;
import com.nexflux.integrations.app.provider.Environment;
import com.nexflux.integrations.app.provider.ModuleFactory;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.thingsboard.ThingsBoardModule;
import com.nexflux.integrations.http.JwtAuthenticator;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The standalone server's settings, read from environment variables. Every variable is listed in the README. The
 * shared settings are read here; each provider reads its own through its {@link ModuleFactory} (one line in
 * {@link #PROVIDERS}), and every malformed variable of any of them is reported in one message.
 *
 * @param bindHost {@code BIND_HOST}; default {@code 127.0.0.1} in embedded mode (no {@code DATABASE_URL}: a development
 *     server with a demo token stays on this machine unless asked otherwise), {@code 0.0.0.0} with
 *     {@code DATABASE_URL}
 * @param port {@code PORT}, default 8005
 * @param databaseUrl {@code DATABASE_URL} ({@code postgres://...} or JDBC); {@code null} selects embedded PostgreSQL
 * @param databasePoolSize {@code DATABASE_POOL_SIZE}, default 10
 * @param dataDir {@code INTEGRATIONS_DATA_DIR}, default {@code ./data} (embedded mode)
 * @param keysetJson {@code INTEGRATIONS_KEYSET}: a Tink JSON keyset
 * @param keysetFile {@code INTEGRATIONS_KEYSET_FILE}: a file holding one
 * @param jwtSecret {@code AUTH_JWT_SECRET}: HS256 secret, at least 32 bytes
 * @param jwksUrl {@code AUTH_JWKS_URL}: JWKS of the token issuer (RS256/ES256); {@code https}, or {@code http} on a
 *     loopback address only
 * @param jwtIssuer {@code AUTH_JWT_ISSUER}: required {@code iss}; mandatory with {@code AUTH_JWKS_URL}
 * @param jwtAudience {@code AUTH_JWT_AUDIENCE}: required {@code aud}; mandatory with {@code AUTH_JWKS_URL}
 * @param outboundAllowedNetworks {@code OUTBOUND_ALLOWED_NETWORKS}: CIDRs let through the outbound guard
 * @param provisionUsers {@code USERS_AUTO_PROVISION}, default true
 * @param providers one module per provider of {@link #PROVIDERS}, each built from its own variables
 *     ({@code DEFAULT_MQTT_BROKER_URL} and {@code MQTT_TEST_*}, {@code GITHUB_*}, ...)
 * @param frontendUrl {@code FRONTEND_URL}: where OAuth callbacks send the browser, default {@code http://localhost:3000}
 * @param projectsDir {@code PROJECTS_DIR}: project files for GitHub sync, default {@code ./projects}
 * @param internalApiToken {@code INTERNAL_API_TOKEN}: bearer token of {@code /internal/**}; unset disables it
 * @param tokenRefreshWindowMinutes {@code TOKEN_REFRESH_WINDOW_MINUTES}: the sweeper refreshes tokens expiring
 *     within this window, default 15
 * @param signInProviders {@code SIGN_IN_PROVIDERS}: comma-separated provider keys a login page may offer for sign-in
 *     (e.g. {@code github}), default none
 * @param corsAllowedOrigins {@code CORS_ALLOWED_ORIGINS}: comma-separated exact origins of a frontend on another
 *     origin, default none (no CORS headers)
 * @param signInStartsPerMinute {@code SIGN_IN_RATE_LIMIT_PER_MINUTE}: sign-in starts per client address per minute,
 *     default 20
 * @param tokenRefreshConcurrency {@code TOKEN_REFRESH_CONCURRENCY}: token renewals at once per process (each holds a
 *     database connection while it waits on the provider), default 4; keep it below {@code DATABASE_POOL_SIZE}
 * @param tokenRefreshWaitMs {@code TOKEN_REFRESH_WAIT_MS}: how long a request waits for a renewal slot before 503
 *     {@code UNAVAILABLE}, default 10000
 * @param deviceInventoryTimeoutMs {@code DEVICE_INVENTORY_TIMEOUT_MS}: how long {@code GET /api/v1/users/me/devices}
 *     waits for each provider before listing it in {@code errors}, default 5000
 */
public record Configuration(
    String bindHost,
    int port,
    String databaseUrl,
    int databasePoolSize,
    Path dataDir,
    String keysetJson,
    Path keysetFile,
    String jwtSecret,
    String jwksUrl,
    String jwtIssuer,
    String jwtAudience,
    String outboundAllowedNetworks,
    boolean provisionUsers,
    List<ProviderModule> providers,
    String frontendUrl,
    Path projectsDir,
    String internalApiToken,
    int tokenRefreshWindowMinutes,
    List<String> signInProviders,
    List<String> corsAllowedOrigins,
    int signInStartsPerMinute,
    int tokenRefreshConcurrency,
    long tokenRefreshWaitMs,
    int deviceInventoryTimeoutMs) {

  /** The providers the standalone server reads from the environment, in the overview's order. */
  public static final List<ModuleFactory> PROVIDERS = List.of(MqttModule::fromEnvironment,
      GitHubModule::fromEnvironment, ArduinoModule::fromEnvironment, BlynkModule::fromEnvironment,
      ThingsBoardModule::fromEnvironment);

  public Configuration {
    providers = List.copyOf(providers);
    signInProviders = signInProviders == null ? List.of() : List.copyOf(signInProviders);
    corsAllowedOrigins = corsAllowedOrigins == null ? List.of() : List.copyOf(corsAllowedOrigins);
  }

  /** Thrown for a setting that cannot be used; its message is one line naming the variable. */
  public static final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
      super(message);
    }
  }

  /** {@code BIND_HOST}'s default in embedded (development) mode: loopback only. */
  public static final String EMBEDDED_BIND_HOST = "127.0.0.1";
  /** {@code BIND_HOST}'s default with {@code DATABASE_URL}: every interface. */
  public static final String DEFAULT_BIND_HOST = "0.0.0.0";

  /** @return whether the server runs its own embedded PostgreSQL */
  public boolean embeddedDatabase() {
    return databaseUrl == null;
  }

  /**
   * Reads the settings from an environment map.
   *
   * @throws ConfigurationException naming every variable that is malformed
   */
  public static Configuration fromEnvironment(Map<String, String> vars) {
    Environment env = new Environment(vars);
    int port = env.integer("PORT", 8005, 0, 65535);
    int pool = env.integer("DATABASE_POOL_SIZE", 10, 1, 500);
    boolean provision = env.bool("USERS_AUTO_PROVISION", true);
    String keysetFile = env.text("INTEGRATIONS_KEYSET_FILE");
    int refreshWindow = env.integer("TOKEN_REFRESH_WINDOW_MINUTES", 15, 1, 24 * 60);
    int refreshConcurrency = env.integer("TOKEN_REFRESH_CONCURRENCY", 4, 1, 1000);
    long refreshWait = env.integer("TOKEN_REFRESH_WAIT_MS", 10_000, 0, 120_000);
    int inventoryTimeout = env.integer("DEVICE_INVENTORY_TIMEOUT_MS", 5_000, 100, 60_000);
    String frontend = env.url("FRONTEND_URL", "http://localhost:3000");
    jwksProblems(env.text("AUTH_JWKS_URL"), env.text("AUTH_JWT_ISSUER"), env.text("AUTH_JWT_AUDIENCE"))
        .forEach(env::problem);
    int signInPerMinute = env.integer("SIGN_IN_RATE_LIMIT_PER_MINUTE", 20, 1, 100_000);
    List<String> signInProviders = new ArrayList<>();
    for (String key : env.list("SIGN_IN_PROVIDERS")) {
      if (!key.matches("[a-z][a-z0-9_]{0,31}")) {
        env.problem("SIGN_IN_PROVIDERS must list provider keys such as github");
        break;
      }
      signInProviders.add(key);
    }
    List<String> origins = new ArrayList<>();
    for (String origin : env.list("CORS_ALLOWED_ORIGINS")) {
      if (!origin.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
        env.problem("CORS_ALLOWED_ORIGINS must list exact origins such as https://app.example.com (no path, no *)");
        break;
      }
      origins.add(origin);
    }
    List<ProviderModule> providers = new ArrayList<>();
    for (ModuleFactory factory : PROVIDERS) {
      providers.add(factory.fromEnvironment(env));
    }
    if (!env.problems().isEmpty()) {
      throw new ConfigurationException(String.join("; ", env.problems()));
    }
    String databaseUrl = env.text("DATABASE_URL");
    String bindHost = env.text("BIND_HOST");
    return new Configuration(
        bindHost != null ? bindHost.trim() : databaseUrl == null ? EMBEDDED_BIND_HOST : DEFAULT_BIND_HOST,
        port,
        databaseUrl,
        pool,
        Path.of(env.text("INTEGRATIONS_DATA_DIR", "./data")),
        env.text("INTEGRATIONS_KEYSET"),
        keysetFile == null ? null : Path.of(keysetFile),
        env.text("AUTH_JWT_SECRET"),
        env.text("AUTH_JWKS_URL"),
        env.text("AUTH_JWT_ISSUER"),
        env.text("AUTH_JWT_AUDIENCE"),
        env.text("OUTBOUND_ALLOWED_NETWORKS", ""),
        provision,
        providers,
        frontend,
        Path.of(env.text("PROJECTS_DIR", "./projects")),
        env.text("INTERNAL_API_TOKEN"),
        refreshWindow,
        signInProviders,
        origins,
        signInPerMinute,
        refreshConcurrency,
        refreshWait,
        inventoryTimeout);
  }

  /** @return this provider's module */
  public <M extends ProviderModule> java.util.Optional<M> provider(Class<M> type) {
    return providers.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * What is wrong with a JWKS setup, one message per problem naming the variable; empty when {@code jwksUrl} is
   * {@code null} (HS256 or development mode) or everything is usable. Nothing is fetched or resolved.
   */
  static List<String> jwksProblems(String jwksUrl, String issuer, String audience) {
    List<String> problems = new ArrayList<>();
    if (jwksUrl == null) {
      return problems;
    }
    List<String> missing = new ArrayList<>();
    if (issuer == null || issuer.isBlank()) {
      missing.add("AUTH_JWT_ISSUER");
    }
    if (audience == null || audience.isBlank()) {
      missing.add("AUTH_JWT_AUDIENCE");
    }
    if (!missing.isEmpty()) {
      problems.add("AUTH_JWKS_URL requires " + String.join(" and ", missing)
          + " (the iss and aud that every token must carry)");
    }
    URL url;
    try {
      url = new URI(jwksUrl.trim()).toURL();
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
      problems.add("AUTH_JWKS_URL is not a valid URL");
      return problems;
    }
    try {
      JwtAuthenticator.checkJwksUrl(url);
    } catch (IllegalArgumentException e) {
      // the message never repeats the URL, which may carry credentials
      problems.add("AUTH_JWKS_URL must be an https URL (plain http only for a loopback address such as 127.0.0.1)");
    }
    return problems;
  }
}
