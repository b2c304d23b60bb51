package com.nexflux.integrations.app;

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
 * The standalone server's settings, read from environment variables. Every variable is listed in the README.
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
 * @param defaultMqttBrokerUrl {@code DEFAULT_MQTT_BROKER_URL}: broker for users without their own
 * @param mqttTestTimeoutMs {@code MQTT_TEST_TIMEOUT_MS}, default 5000
 * @param mqttTestsPerMinute {@code MQTT_TEST_RATE_LIMIT_PER_MINUTE}, default 10
 * @param outboundAllowedNetworks {@code OUTBOUND_ALLOWED_NETWORKS}: CIDRs let through the outbound guard
 * @param provisionUsers {@code USERS_AUTO_PROVISION}, default true
 * @param github GitHub OAuth settings ({@code GITHUB_*}), or {@code null} when GitHub is not configured
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
    String defaultMqttBrokerUrl,
    long mqttTestTimeoutMs,
    int mqttTestsPerMinute,
    String outboundAllowedNetworks,
    boolean provisionUsers,
    GitHub github,
    String frontendUrl,
    Path projectsDir,
    String internalApiToken,
    int tokenRefreshWindowMinutes,
    List<String> signInProviders,
    List<String> corsAllowedOrigins,
    int signInStartsPerMinute,
    int tokenRefreshConcurrency,
    long tokenRefreshWaitMs) {

  public Configuration {
    signInProviders = signInProviders == null ? List.of() : List.copyOf(signInProviders);
    corsAllowedOrigins = corsAllowedOrigins == null ? List.of() : List.copyOf(corsAllowedOrigins);
  }

  /**
   * GitHub OAuth app settings.
   *
   * @param clientId {@code GITHUB_CLIENT_ID}
   * @param clientSecret {@code GITHUB_CLIENT_SECRET}
   * @param callbackUrl {@code GITHUB_CALLBACK_URL}, default {@code http://localhost:8005/api/v1/auth/github/callback}
   * @param scopes {@code GITHUB_SCOPES} (space-separated), default {@code repo read:user user:email}
   * @param oauthBaseUrl {@code GITHUB_OAUTH_BASE_URL}, default {@code https://github.com}
   * @param apiBaseUrl {@code GITHUB_API_BASE_URL}, default {@code https://api.github.com}
   */
  public record GitHub(String clientId, String clientSecret, String callbackUrl, String scopes, String oauthBaseUrl,
      String apiBaseUrl) {
    @Override
    public String toString() {
      return "GitHub[clientId=" + clientId + ", callbackUrl=" + callbackUrl + ", scopes=" + scopes + "]";
    }
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
  public static Configuration fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    int port = intValue(env, "PORT", 8005, 0, 65535, problems);
    int pool = intValue(env, "DATABASE_POOL_SIZE", 10, 1, 500, problems);
    long timeout = intValue(env, "MQTT_TEST_TIMEOUT_MS", 5000, 100, 120_000, problems);
    int perMinute = intValue(env, "MQTT_TEST_RATE_LIMIT_PER_MINUTE", 10, 1, 100_000, problems);
    boolean provision = boolValue(env, "USERS_AUTO_PROVISION", true, problems);
    String keysetFile = blankToNull(env.get("INTEGRATIONS_KEYSET_FILE"));
    int refreshWindow = intValue(env, "TOKEN_REFRESH_WINDOW_MINUTES", 15, 1, 24 * 60, problems);
    int refreshConcurrency = intValue(env, "TOKEN_REFRESH_CONCURRENCY", 4, 1, 1000, problems);
    long refreshWait = intValue(env, "TOKEN_REFRESH_WAIT_MS", 10_000, 0, 120_000, problems);
    GitHub github = null;
    String ghId = blankToNull(env.get("GITHUB_CLIENT_ID"));
    String ghSecret = blankToNull(env.get("GITHUB_CLIENT_SECRET"));
    if (ghId != null && ghSecret != null) {
      github = new GitHub(ghId, ghSecret,
          url(env, "GITHUB_CALLBACK_URL", "http://localhost:8005/api/v1/auth/github/callback", problems),
          env.getOrDefault("GITHUB_SCOPES", "repo read:user user:email"),
          url(env, "GITHUB_OAUTH_BASE_URL", "https://github.com", problems),
          url(env, "GITHUB_API_BASE_URL", "https://api.github.com", problems));
    } else if (ghId != null || ghSecret != null) {
      problems.add("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together");
    }
    String frontend = url(env, "FRONTEND_URL", "http://localhost:3000", problems);
    problems.addAll(jwksProblems(blankToNull(env.get("AUTH_JWKS_URL")), blankToNull(env.get("AUTH_JWT_ISSUER")),
        blankToNull(env.get("AUTH_JWT_AUDIENCE"))));
    int signInPerMinute = intValue(env, "SIGN_IN_RATE_LIMIT_PER_MINUTE", 20, 1, 100_000, problems);
    List<String> signInProviders = new ArrayList<>();
    for (String key : list(env.get("SIGN_IN_PROVIDERS"))) {
      if (!key.matches("[a-z][a-z0-9_]{0,31}")) {
        problems.add("SIGN_IN_PROVIDERS must list provider keys such as github");
        break;
      }
      signInProviders.add(key);
    }
    List<String> origins = new ArrayList<>();
    for (String origin : list(env.get("CORS_ALLOWED_ORIGINS"))) {
      if (!origin.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
        problems.add("CORS_ALLOWED_ORIGINS must list exact origins such as https://app.example.com (no path, no *)");
        break;
      }
      origins.add(origin);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(String.join("; ", problems));
    }
    String databaseUrl = blankToNull(env.get("DATABASE_URL"));
    String bindHost = blankToNull(env.get("BIND_HOST"));
    return new Configuration(
        bindHost != null ? bindHost.trim() : databaseUrl == null ? EMBEDDED_BIND_HOST : DEFAULT_BIND_HOST,
        port,
        databaseUrl,
        pool,
        Path.of(env.getOrDefault("INTEGRATIONS_DATA_DIR", "./data")),
        blankToNull(env.get("INTEGRATIONS_KEYSET")),
        keysetFile == null ? null : Path.of(keysetFile),
        blankToNull(env.get("AUTH_JWT_SECRET")),
        blankToNull(env.get("AUTH_JWKS_URL")),
        blankToNull(env.get("AUTH_JWT_ISSUER")),
        blankToNull(env.get("AUTH_JWT_AUDIENCE")),
        blankToNull(env.get("DEFAULT_MQTT_BROKER_URL")),
        timeout,
        perMinute,
        env.getOrDefault("OUTBOUND_ALLOWED_NETWORKS", ""),
        provision,
        github,
        frontend,
        Path.of(env.getOrDefault("PROJECTS_DIR", "./projects")),
        blankToNull(env.get("INTERNAL_API_TOKEN")),
        refreshWindow,
        signInProviders,
        origins,
        signInPerMinute,
        refreshConcurrency,
        refreshWait);
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

  private static String url(Map<String, String> env, String name, String dflt, List<String> problems) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      return dflt;
    }
    try {
      java.net.URI u = new java.net.URI(v.trim());
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        problems.add(name + " must be an http or https URL");
        return dflt;
      }
      return v.trim();
    } catch (java.net.URISyntaxException e) {
      problems.add(name + " must be an http or https URL");
      return dflt;
    }
  }

  private static int intValue(Map<String, String> env, String name, int dflt, int min, int max, List<String> problems) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        problems.add(name + " must be between " + min + " and " + max);
        return dflt;
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(name + " must be a whole number");
      return dflt;
    }
  }

  private static boolean boolValue(Map<String, String> env, String name, boolean dflt, List<String> problems) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      return dflt;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    problems.add(name + " must be true or false");
    return dflt;
  }

  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
