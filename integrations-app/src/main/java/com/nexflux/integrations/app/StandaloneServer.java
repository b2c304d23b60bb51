package com.nexflux.integrations.app;

import com.nexflux.integrations.app.Configuration.ConfigurationException;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.providers.projects.FileSystemProjectSource;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.http.Authenticator;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.DataSources;
import com.nexflux.integrations.persistence.EmbeddedDatabase;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server: configuration → database (external or embedded) → keyset → authentication → the
 * library facade → Javalin. {@link #stop()} drains requests and closes everything in reverse order.
 */
public final class StandaloneServer implements AutoCloseable {
  /** The demo user whose development token is printed in embedded mode without auth configuration. */
  public static final UserId DEMO_USER = new UserId(UUID.fromString("00000000-0000-4000-8000-000000000001"));
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneServer.class);
  private static final String KEYSET_FILE = "keyset.json";
  private static final String DEV_SECRET_FILE = "dev-jwt-secret";

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Javalin app;
  private final String devToken;

  private StandaloneServer(Javalin app, String devToken, List<AutoCloseable> resources) {
    this.app = app;
    this.devToken = devToken;
    this.resources.addAll(resources);
  }

  /**
   * Starts the server.
   *
   * @throws ConfigurationException for a setting that stops start-up; its message is one line
   */
  public static StandaloneServer start(Configuration config) {
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      DataSource dataSource;
      if (config.embeddedDatabase()) {
        createDataDir(config.dataDir());
        EmbeddedDatabase db = EmbeddedDatabase.start(config.dataDir().resolve("postgres"));
        opened.add(db);
        dataSource = db.dataSource();
      } else {
        var ds = DataSources.create(config.databaseUrl(), config.databasePoolSize());
        opened.add(ds);
        dataSource = ds;
      }
      String keyset = keyset(config);
      String[] devToken = {null};
      byte[][] hsSecret = {null};
      Authenticator authenticator = authenticator(config, devToken, hsSecret);
      NexfluxIntegrations.Builder builder = NexfluxIntegrations.builder();
      if (config.github() != null) {
        builder.github(githubConfig(config.github()))
            .frontendUrl(URI.create(config.frontendUrl()))
            .projectSource(new FileSystemProjectSource(config.projectsDir()))
            .tokenRefreshWindow(Duration.ofMinutes(config.tokenRefreshWindowMinutes()))
            .tokenRefreshConcurrency(config.tokenRefreshConcurrency())
            .tokenRefreshWait(Duration.ofMillis(config.tokenRefreshWaitMs()));
        if (hsSecret[0] != null) {
          builder.signInCompletion(new StandaloneSignIn(hsSecret[0], config.jwtIssuer(), config.jwtAudience(),
              URI.create(config.frontendUrl())));
        }
      }
      NexfluxIntegrations integrations = builder
          .dataSource(dataSource)
          .keyset(keyset)
          .defaultMqttBrokerUrl(config.defaultMqttBrokerUrl())
          .outboundAllowedNetworks(config.outboundAllowedNetworks())
          .mqttTestTimeout(Duration.ofMillis(config.mqttTestTimeoutMs()))
          .mqttTestsPerMinute(config.mqttTestsPerMinute())
          .provisionUsers(config.provisionUsers())
          .build();
      opened.add(integrations);
      Javalin app = integrations.httpApiBuilder(authenticator)
          .internalApiToken(config.internalApiToken())
          .publicBaseUrlIsHttps(config.github() != null && config.github().callbackUrl().startsWith("https:"))
          .build()
          .createServer();
      app.start(config.bindHost(), config.port());
      LOG.info("NexFlux Integrations listening on {}:{} ({} database)", config.bindHost(), app.port(),
          config.embeddedDatabase() ? "embedded" : "external");
      if (devToken[0] != null) {
        LOG.warn("DEVELOPMENT ONLY: no AUTH_JWT_SECRET or AUTH_JWKS_URL is set, so a development secret was "
            + "generated. Bearer token for the demo user {} (valid 24 h):\n{}", DEMO_USER, devToken[0]);
      }
      return new StandaloneServer(app, devToken[0], opened);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  /** @return the port the server listens on */
  public int port() {
    return app.port();
  }

  /** @return the development token printed at start-up, or {@code null} when auth is configured */
  public String devToken() {
    return devToken;
  }

  /** Drains in-flight requests, then closes the facade and the database. */
  public void stop() {
    app.stop();
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    java.util.Collections.reverse(reversed);
    closeAll(reversed);
    resources.clear();
  }

  @Override
  public void close() {
    stop();
  }

  private static void closeAll(List<AutoCloseable> list) {
    for (AutoCloseable c : list) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Error while closing {}: {}", c.getClass().getSimpleName(), e.getClass().getName());
      }
    }
  }

  static String keyset(Configuration config) {
    String json = config.keysetJson();
    String source = "INTEGRATIONS_KEYSET";
    if (json == null && config.keysetFile() != null) {
      source = "INTEGRATIONS_KEYSET_FILE";
      json = readFile(config.keysetFile(), "INTEGRATIONS_KEYSET_FILE");
    }
    if (json == null) {
      if (!config.embeddedDatabase()) {
        throw new ConfigurationException("INTEGRATIONS_KEYSET or INTEGRATIONS_KEYSET_FILE is required with "
            + "DATABASE_URL (create one with: java -jar integrations-app.jar generate-keyset)");
      }
      Path file = config.dataDir().resolve(KEYSET_FILE);
      source = file.toString();
      if (Files.exists(file)) {
        json = readFile(file, file.toString());
      } else {
        json = TinkSecretCipher.generateKeysetJson();
        writePrivate(file, json);
        LOG.warn("No INTEGRATIONS_KEYSET was given: generated a new keyset in {}. Back it up: without it the "
            + "stored secrets cannot be read.", file);
      }
    }
    try {
      TinkSecretCipher.fromKeysetJson(json);
    } catch (IntegrationsException e) {
      throw new ConfigurationException("The keyset from " + source + " is not a usable Tink AEAD keyset");
    }
    return json;
  }

  static OAuthProviderConfig githubConfig(Configuration.GitHub gh) {
    String oauthBase = gh.oauthBaseUrl().replaceAll("/+$", "");
    return new OAuthProviderConfig(Provider.GITHUB, gh.clientId(), Secret.of(gh.clientSecret()),
        URI.create(oauthBase + "/login/oauth/authorize"), URI.create(oauthBase + "/login/oauth/access_token"),
        URI.create(gh.callbackUrl()), List.of(gh.scopes().trim().split("\\s+")), List.of("read:user", "user:email"),
        URI.create(gh.apiBaseUrl().replaceAll("/+$", "")));
  }

  static Authenticator authenticator(Configuration config, String[] devTokenOut, byte[][] secretOut) {
    if (config.jwtSecret() != null && config.jwksUrl() != null) {
      throw new ConfigurationException("Set only one of AUTH_JWT_SECRET and AUTH_JWKS_URL");
    }
    if (config.jwtSecret() != null) {
      byte[] secret = config.jwtSecret().getBytes(StandardCharsets.UTF_8);
      if (secret.length < 32) {
        throw new ConfigurationException("AUTH_JWT_SECRET must be at least 32 bytes");
      }
      secretOut[0] = secret;
      return JwtAuthenticator.hs256(secret, config.jwtIssuer(), config.jwtAudience());
    }
    if (config.jwksUrl() != null) {
      try {
        return JwtAuthenticator.jwks(URI.create(config.jwksUrl()).toURL(), config.jwtIssuer(), config.jwtAudience());
      } catch (IllegalArgumentException | MalformedURLException e) {
        throw new ConfigurationException("AUTH_JWKS_URL is not a valid URL");
      }
    }
    if (!config.embeddedDatabase()) {
      throw new ConfigurationException("AUTH_JWT_SECRET or AUTH_JWKS_URL is required with DATABASE_URL");
    }
    Path file = config.dataDir().resolve(DEV_SECRET_FILE);
    byte[] secret;
    if (Files.exists(file)) {
      secret = Base64.getDecoder().decode(readFile(file, file.toString()).trim());
    } else {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      writePrivate(file, Base64.getEncoder().encodeToString(secret));
    }
    secretOut[0] = secret;
    devTokenOut[0] = JwtAuthenticator.issueHs256(secret, DEMO_USER, config.jwtIssuer(), config.jwtAudience(),
        Duration.ofHours(24));
    return JwtAuthenticator.hs256(secret, config.jwtIssuer(), config.jwtAudience());
  }

  private static void createDataDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigurationException("INTEGRATIONS_DATA_DIR " + dir + " cannot be created: " + e.getMessage());
    }
  }

  private static String readFile(Path file, String name) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException(name + " cannot be read: " + file);
    }
  }

  private static void writePrivate(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot write " + file + ": " + e.getMessage());
    }
  }
}
