package com.nexflux.integrations.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The standalone server's settings, read from environment variables. Every variable is listed in the README.
 *
 * @param bindHost {@code BIND_HOST}, default {@code 0.0.0.0}
 * @param port {@code PORT}, default 8005
 * @param databaseUrl {@code DATABASE_URL} ({@code postgres://...} or JDBC); {@code null} selects embedded PostgreSQL
 * @param databasePoolSize {@code DATABASE_POOL_SIZE}, default 10
 * @param dataDir {@code INTEGRATIONS_DATA_DIR}, default {@code ./data} (embedded mode)
 * @param keysetJson {@code INTEGRATIONS_KEYSET}: a Tink JSON keyset
 * @param keysetFile {@code INTEGRATIONS_KEYSET_FILE}: a file holding one
 * @param jwtSecret {@code AUTH_JWT_SECRET}: HS256 secret, at least 32 bytes
 * @param jwksUrl {@code AUTH_JWKS_URL}: JWKS of the token issuer (RS256/ES256)
 * @param jwtIssuer {@code AUTH_JWT_ISSUER}: required {@code iss}, optional
 * @param jwtAudience {@code AUTH_JWT_AUDIENCE}: required {@code aud}, optional
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
    int tokenRefreshConcurrency,
    long tokenRefreshWaitMs) {

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
    if (!problems.isEmpty()) {
      throw new ConfigurationException(String.join("; ", problems));
    }
    return new Configuration(
        env.getOrDefault("BIND_HOST", "0.0.0.0"),
        port,
        blankToNull(env.get("DATABASE_URL")),
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
        refreshConcurrency,
        refreshWait);
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

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
