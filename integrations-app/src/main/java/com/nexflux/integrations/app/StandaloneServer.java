package com.nexflux.integrations.app;

import com.nexflux.integrations.app.Configuration.ConfigurationException;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.providers.projects.FileSystemProjectSource;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.http.Authenticator;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.DataSources;
import com.nexflux.integrations.persistence.EmbeddedDatabase;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
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
  /** The development token's file in the data directory (mode 0600), rewritten at every start that makes one. */
  static final String DEV_TOKEN_FILE = "dev-token.txt";

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
      NexfluxIntegrations.Builder builder = NexfluxIntegrations.builder()
          .frontendUrl(URI.create(config.frontendUrl()))
          .projectSource(new FileSystemProjectSource(config.projectsDir()))
          .tokenRefreshWindow(Duration.ofMinutes(config.tokenRefreshWindowMinutes()))
          .tokenRefreshConcurrency(config.tokenRefreshConcurrency())
          .tokenRefreshWait(Duration.ofMillis(config.tokenRefreshWaitMs()))
          .deviceInventoryTimeout(Duration.ofMillis(config.deviceInventoryTimeoutMs()));
      config.providers().forEach(builder::provider);
      if (hsSecret[0] != null) {
        builder.signInCompletion(new StandaloneSignIn(hsSecret[0], config.jwtIssuer(), config.jwtAudience(),
            URI.create(config.frontendUrl())));
      }
      NexfluxIntegrations integrations = builder
          .dataSource(dataSource)
          .keyset(keyset)
          .outboundAllowedNetworks(config.outboundAllowedNetworks())
          .provisionUsers(config.provisionUsers())
          .signInProviders(config.signInProviders().stream().map(Provider::of)
              .collect(java.util.stream.Collectors.toSet()))
          .signInStartsPerMinute(config.signInStartsPerMinute())
          .build();
      opened.add(integrations);
      Javalin app = integrations.httpApiBuilder(authenticator)
          .internalApiToken(config.internalApiToken())
          .corsAllowedOrigins(config.corsAllowedOrigins())
          .publicBaseUrlIsHttps(config.providers().stream().flatMap(m -> m.callbackUrls().stream())
              .anyMatch(u -> "https".equals(u.getScheme())))
          .build()
          .createServer();
      Path tokenFile = config.embeddedDatabase() ? config.dataDir().resolve(DEV_TOKEN_FILE) : null;
      if (devToken[0] != null) {
        writePrivate(tokenFile, devToken[0] + "\n");
      } else if (tokenFile != null) {
        deleteQuietly(tokenFile); // authentication is configured now: an old development token would only mislead
      }
      app.start(config.bindHost(), config.port());
      StandaloneServer server = new StandaloneServer(app, devToken[0], opened);
      LOG.info("NexFlux Integrations listening on {}:{} ({} database)", config.bindHost(), app.port(),
          config.embeddedDatabase() ? "embedded" : "external");
      if (devToken[0] != null) {
        boolean loopback;
        try {
          loopback = isLoopback(server.listenAddress());
        } catch (IllegalStateException e) {
          loopback = false; // when in doubt, do not print the token
        }
        LOG.warn(devTokenNotice(loopback, config.bindHost(), devToken[0], tokenFile));
      }
      return server;
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  /** @return the port the server listens on */
  public int port() {
    return app.port();
  }

  /** @return the development token made at start-up, or {@code null} when auth is configured */
  public String devToken() {
    return devToken;
  }

  /** @return the address the HTTP connector is bound to (e.g. {@code 127.0.0.1}, or the wildcard {@code 0.0.0.0}) */
  public InetAddress listenAddress() {
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof ServerConnector c && c.getTransport() instanceof ServerSocketChannel channel) {
        try {
          return ((InetSocketAddress) channel.getLocalAddress()).getAddress();
        } catch (IOException e) {
          throw new IllegalStateException("the server's address cannot be read", e);
        }
      }
    }
    throw new IllegalStateException("the server has no listening connector");
  }

  /** Whether only this machine can reach an address: loopback, not the wildcard or any interface's address. */
  static boolean isLoopback(InetAddress address) {
    return address != null && address.isLoopbackAddress();
  }

  /**
   * The start-up line about the development token. The token itself is in it only when the server is bound to a
   * loopback address; otherwise anyone who can read the log (a shared terminal, a log shipper) would hold a token
   * for a server others can reach, so the line names the file instead.
   */
  static String devTokenNotice(boolean loopback, String bindHost, String token, Path tokenFile) {
    String head = "DEVELOPMENT ONLY: no AUTH_JWT_SECRET or AUTH_JWKS_URL is set, so a development secret was "
        + "generated. The bearer token for the demo user " + DEMO_USER + " (valid 24 h) is in " + tokenFile
        + " (mode 0600)";
    if (loopback) {
      return head + ":\n" + token;
    }
    return head + "; it is not printed because BIND_HOST " + bindHost + " is not a loopback address.";
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
      List<String> problems = Configuration.jwksProblems(config.jwksUrl(), config.jwtIssuer(), config.jwtAudience());
      if (!problems.isEmpty()) {
        throw new ConfigurationException(String.join("; ", problems));
      }
      try {
        return JwtAuthenticator.jwks(URI.create(config.jwksUrl().trim()).toURL(), config.jwtIssuer(),
            config.jwtAudience());
      } catch (IllegalArgumentException | MalformedURLException e) {
        throw new ConfigurationException("AUTH_JWKS_URL is not usable");
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

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete {} ({})", file, e.getClass().getSimpleName());
    }
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

  /**
   * Writes {@code content} to {@code file}, readable by the owner only: a temporary file in the same directory is
   * created with mode 0600 (the permission is part of the creation, never a later chmod, so no other user can
   * open it in between), filled, then renamed over {@code file} atomically. A reader sees the old content or the
   * new, never a partial file, and a file that existed with wider permissions is replaced, not reused.
   */
  static void writePrivate(Path file, String content) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | UnsupportedOperationException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
      throw new ConfigurationException("Cannot write " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
