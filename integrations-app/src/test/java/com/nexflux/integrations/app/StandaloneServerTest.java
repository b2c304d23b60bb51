package com.nexflux.integrations.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nexflux.integrations.app.Configuration.ConfigurationException;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Start-up rules of the standalone server: embedded mode, keysets, authentication. */
class StandaloneServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private static Map<String, String> embedded(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("BIND_HOST", "127.0.0.1");
    env.put("PORT", "0");
    env.put("INTEGRATIONS_DATA_DIR", dir.toString());
    return env;
  }

  private HttpResponse<String> call(StandaloneServer s, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void embeddedMode_generatesKeysetAndDevToken_andKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
    String token;
    try (StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(embedded(dir)))) {
      token = s.devToken();
      assertThat(token).isNotBlank();
      HttpResponse<String> put = call(s, "PUT", "/api/v1/users/me/integrations/mqtt", token,
          "{\"broker_url\": \"mqtt://8.8.8.8:1883\", \"device_id\": \"dev-1\", \"use_authentication\": true,"
              + " \"username\": \"u\", \"password\": \"kept-across-restarts\"}");
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }
    Path keyset = dir.resolve("keyset.json");
    assertThat(keyset).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset))).isEqualTo("rw-------");
    String keysetBefore = Files.readString(keyset);
    try (StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(embedded(dir)))) {
      assertThat(Files.readString(keyset)).as("the keyset is generated once").isEqualTo(keysetBefore);
      HttpResponse<String> get = call(s, "GET", "/api/v1/users/me/integrations/mqtt", token, null);
      assertThat(get.statusCode()).as("the earlier dev token still verifies").isEqualTo(200);
      assertThat(get.body()).contains("\"broker_url\":\"mqtt://8.8.8.8:1883\"").contains("\"has_password\":true");
    }
  }

  @Test
  void externalDatabase_withoutKeyset_refusesToStart() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("AUTH_JWT_SECRET", "x".repeat(40));
    assertThatThrownBy(() -> StandaloneServer.start(Configuration.fromEnvironment(env)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("INTEGRATIONS_KEYSET");
  }

  @Test
  void externalDatabase_withoutAuthentication_refusesToStart() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
    assertThatThrownBy(() -> StandaloneServer.start(Configuration.fromEnvironment(env)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("AUTH_JWT_SECRET");
  }

  @Test
  void brokenKeyset_refusesToStart_withoutEchoingIt() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("AUTH_JWT_SECRET", "x".repeat(40));
    env.put("INTEGRATIONS_KEYSET", "{\"primaryKeyId\": 1, \"key\": [\"SECRET-MATERIAL\"]}");
    assertThatThrownBy(() -> StandaloneServer.start(Configuration.fromEnvironment(env)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("INTEGRATIONS_KEYSET")
        .hasMessageNotContaining("SECRET-MATERIAL");
  }

  @Test
  void shortJwtSecret_refusesToStart() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
    env.put("AUTH_JWT_SECRET", "too-short");
    assertThatThrownBy(() -> StandaloneServer.start(Configuration.fromEnvironment(env)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("at least 32 bytes");
  }

  @Test
  void keysetFile_isRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("k.json");
    Files.writeString(file, TinkSecretCipher.generateKeysetJson());
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
    env.put("INTEGRATIONS_KEYSET_FILE", file.toString());
    env.put("AUTH_JWT_SECRET", "y".repeat(40));
    env.put("BIND_HOST", "127.0.0.1");
    env.put("PORT", "0");
    try (StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(env))) {
      assertThat(s.devToken()).as("no dev token when auth is configured").isNull();
      assertThat(call(s, "GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void malformedSettings_areNamed() {
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PORT", "eighty", "USERS_AUTO_PROVISION", "maybe")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PORT")
        .hasMessageContaining("USERS_AUTO_PROVISION");
  }

  private static Map<String, String> jwksEnv(String url) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", "postgres://nobody:unused@127.0.0.1:1/none");
    env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
    env.put("AUTH_JWKS_URL", url);
    return env;
  }

  @Test
  void jwksMode_withoutIssuerAndAudience_refusesToStart_namingBoth() {
    assertThatThrownBy(() -> Configuration.fromEnvironment(jwksEnv("https://idp.example/.well-known/jwks.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("AUTH_JWKS_URL requires AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE");
  }

  @Test
  void jwksMode_withoutAudience_refusesToStart_namingIt() {
    Map<String, String> env = jwksEnv("https://idp.example/.well-known/jwks.json");
    env.put("AUTH_JWT_ISSUER", "https://idp.example");
    assertThatThrownBy(() -> Configuration.fromEnvironment(env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("AUTH_JWT_AUDIENCE")
        .hasMessageNotContaining("AUTH_JWT_ISSUER");
    env.remove("AUTH_JWT_ISSUER");
    env.put("AUTH_JWT_AUDIENCE", "nexflux-integrations");
    assertThatThrownBy(() -> Configuration.fromEnvironment(env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("AUTH_JWT_ISSUER")
        .hasMessageNotContaining("AUTH_JWT_AUDIENCE");
  }

  @Test
  void jwksMode_plainHttpToANonLoopbackHost_refusesToStart_withoutEchoingTheUrl() {
    for (String url : new String[] {"http://idp.example/.well-known/jwks.json", "http://10.1.2.3/jwks",
        "http://user:hunter2@idp.example/jwks", "http://0.0.0.0:8080/jwks", "ftp://127.0.0.1/jwks"}) {
      Map<String, String> env = jwksEnv(url);
      env.put("AUTH_JWT_ISSUER", "https://idp.example");
      env.put("AUTH_JWT_AUDIENCE", "nexflux-integrations");
      assertThatThrownBy(() -> Configuration.fromEnvironment(env)).as(url)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("AUTH_JWKS_URL must be an https URL")
          .hasMessageNotContaining("hunter2")
          .hasMessageNotContaining("idp.example/");
    }
    Map<String, String> env = jwksEnv("not a url at all");
    env.put("AUTH_JWT_ISSUER", "i");
    env.put("AUTH_JWT_AUDIENCE", "a");
    assertThatThrownBy(() -> Configuration.fromEnvironment(env))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("AUTH_JWKS_URL is not a valid URL");
  }

  @Test
  void jwksMode_httpsOrLoopbackHttp_withIssuerAndAudience_isAccepted() {
    for (String url : new String[] {"https://idp.example/.well-known/jwks.json", "http://127.0.0.1:9/jwks",
        "http://[::1]:9/jwks", "http://localhost:9/jwks"}) {
      Map<String, String> env = jwksEnv(url);
      env.put("AUTH_JWT_ISSUER", "https://idp.example");
      env.put("AUTH_JWT_AUDIENCE", "nexflux-integrations");
      assertThat(Configuration.fromEnvironment(env).jwksUrl()).isEqualTo(url);
    }
  }

  @Test
  void jwksMode_aConfigurationBuiltInCode_isCheckedAgainAtStartUp() {
    Map<String, String> env = jwksEnv("https://idp.example/.well-known/jwks.json");
    env.put("AUTH_JWT_ISSUER", "https://idp.example");
    env.put("AUTH_JWT_AUDIENCE", "nexflux-integrations");
    Configuration ok = Configuration.fromEnvironment(env);
    assertThatThrownBy(() -> StandaloneServer.authenticator(withAuth(ok, ok.jwksUrl(), null, "aud"),
        new String[1], new byte[1][]))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("AUTH_JWT_ISSUER");
    assertThatThrownBy(() -> StandaloneServer.authenticator(withAuth(ok, "http://idp.example/jwks", "iss", "aud"),
        new String[1], new byte[1][]))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("AUTH_JWKS_URL must be an https URL");
    assertThat(StandaloneServer.authenticator(ok, new String[1], new byte[1][])).isNotNull();
  }

  private static Configuration withAuth(Configuration c, String jwksUrl, String issuer, String audience) {
    return new Configuration(c.bindHost(), c.port(), c.databaseUrl(), c.databasePoolSize(), c.dataDir(),
        c.keysetJson(), c.keysetFile(), c.jwtSecret(), jwksUrl, issuer, audience, c.outboundAllowedNetworks(),
        c.provisionUsers(), c.providers(),
        c.frontendUrl(), c.projectsDir(), c.internalApiToken(), c.tokenRefreshWindowMinutes(), c.signInProviders(),
        c.corsAllowedOrigins(), c.signInStartsPerMinute(), c.tokenRefreshConcurrency(), c.tokenRefreshWaitMs(),
        c.deviceInventoryTimeoutMs());
  }

  @Test
  void jwksMode_onLoopbackHttp_verifiesTokens_pinsTyp_andRefusesHeaderKeys() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    byte[] body = new JWKSet(key).toPublicJWKSet().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AtomicInteger fetches = new AtomicInteger();
    HttpServer jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jwks.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    jwks.start();
    try {
      Map<String, String> env = new HashMap<>();
      env.put("DATABASE_URL", TestDatabase.createEmpty().jdbcUrl());
      env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
      env.put("AUTH_JWKS_URL", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
      env.put("AUTH_JWT_ISSUER", "https://platform.nexflux.test");
      env.put("AUTH_JWT_AUDIENCE", "nexflux-integrations");
      env.put("BIND_HOST", "127.0.0.1");
      env.put("PORT", "0");
      try (StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(env))) {
        assertThat(s.devToken()).isNull();
        assertThat(fetches.get()).as("nothing is fetched at start-up").isZero();
        String path = "/api/v1/users/me/integrations";
        JWSHeader.Builder at = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(new JOSEObjectType("at+jwt"));
        assertThat(call(s, "GET", path, rs256(key, at), null).statusCode()).isEqualTo(200);
        JWSHeader.Builder jose = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JOSE);
        assertThat(call(s, "GET", path, rs256(key, jose), null).statusCode()).isEqualTo(401);
        JWSHeader.Builder jku = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
            .jwkURL(URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json"));
        assertThat(call(s, "GET", path, rs256(key, jku), null).statusCode()).isEqualTo(401);
        JWSHeader.Builder x5u = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
            .x509CertURL(URI.create("https://127.0.0.1:9/cert.pem"));
        assertThat(call(s, "GET", path, rs256(key, x5u), null).statusCode()).isEqualTo(401);
        JWSHeader.Builder jwk = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").jwk(key.toPublicJWK());
        assertThat(call(s, "GET", path, rs256(key, jwk), null).statusCode()).isEqualTo(401);
      }
    } finally {
      jwks.stop(0);
    }
  }

  private static String rs256(RSAKey key, JWSHeader.Builder header) throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(header.build(), new JWTClaimsSet.Builder()
        .subject(UUID.randomUUID().toString())
        .issuer("https://platform.nexflux.test")
        .audience("nexflux-integrations")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)))
        .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  /** Runs {@code body} and returns it with every message StandaloneServer logged meanwhile. */
  private static <T> Map.Entry<T, String> logged(Supplier<T> body) {
    Logger logger = (Logger) LoggerFactory.getLogger(StandaloneServer.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      T result = body.get();
      StringBuilder text = new StringBuilder();
      appender.list.forEach(e -> text.append(e.getFormattedMessage()).append('\n'));
      return Map.entry(result, text.toString());
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void bindHostDefaults_loopbackInEmbeddedMode_everyInterfaceWithDatabaseUrl() {
    assertThat(Configuration.fromEnvironment(Map.of()).bindHost()).isEqualTo("127.0.0.1");
    assertThat(Configuration.fromEnvironment(Map.of("BIND_HOST", " ")).bindHost()).isEqualTo("127.0.0.1");
    assertThat(Configuration.fromEnvironment(Map.of("DATABASE_URL", "postgres://u:p@127.0.0.1:1/db")).bindHost())
        .isEqualTo("0.0.0.0");
    assertThat(Configuration.fromEnvironment(Map.of("BIND_HOST", "0.0.0.0")).bindHost()).isEqualTo("0.0.0.0");
    assertThat(Configuration.fromEnvironment(Map.of("BIND_HOST", "::1")).bindHost()).isEqualTo("::1");
    assertThat(Configuration.fromEnvironment(Map.of("BIND_HOST", "127.0.0.1",
        "DATABASE_URL", "postgres://u:p@127.0.0.1:1/db")).bindHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void embeddedMode_withoutBindHost_listensOnLoopback_writesThe0600TokenFile_andPrintsTheToken(@TempDir Path dir)
      throws Exception {
    Map<String, String> env = embedded(dir);
    env.remove("BIND_HOST");
    Path file = dir.resolve("dev-token.txt");
    Files.writeString(file, "stale token from an older run");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Map.Entry<StandaloneServer, String> started =
        logged(() -> StandaloneServer.start(Configuration.fromEnvironment(env)));
    try (StandaloneServer s = started.getKey()) {
      assertThat(s.listenAddress().getHostAddress()).isEqualTo("127.0.0.1");
      String token = s.devToken();
      assertThat(token).isNotBlank();
      assertThat(Files.readString(file)).isEqualTo(token + "\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as("replaced by a file created 0600, not the old 0644 one reused").isEqualTo("rw-------");
      assertThat(started.getValue()).contains(token).contains(file.toString());
      assertThat(call(s, "GET", "/api/v1/users/me/integrations", Files.readString(file).trim(), null).statusCode())
          .as("the file's token is accepted").isEqualTo(200);
      try (var stream = Files.list(dir)) {
        assertThat(stream.map(p -> p.getFileName().toString()))
            .as("no temporary file is left behind").noneMatch(n -> n.endsWith(".tmp"));
      }
    }
  }

  @Test
  void embeddedMode_withAuthenticationConfigured_writesNoTokenFile_andRemovesAnOldOne(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("dev-token.txt");
    Files.writeString(file, "old development token");
    Map<String, String> env = embedded(dir);
    env.put("AUTH_JWT_SECRET", "z".repeat(40));
    try (StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(env))) {
      assertThat(s.devToken()).isNull();
      assertThat(file).doesNotExist();
    }
  }

  @Test
  void devTokenNotice_printsTheTokenOnlyForALoopbackBinding() throws Exception {
    Path file = Path.of("/data/dev-token.txt");
    String token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    assertThat(StandaloneServer.devTokenNotice(true, "127.0.0.1", token, file))
        .contains(token).contains(file.toString());
    String hidden = StandaloneServer.devTokenNotice(false, "0.0.0.0", token, file);
    assertThat(hidden).doesNotContain(token).doesNotContain("eyJ")
        .contains(file.toString()).contains("BIND_HOST 0.0.0.0 is not a loopback address");

    for (String loopback : new String[] {"127.0.0.1", "127.8.9.10", "::1"}) {
      assertThat(StandaloneServer.isLoopback(InetAddress.getByName(loopback))).as(loopback).isTrue();
    }
    for (String other : new String[] {"0.0.0.0", "::", "192.0.2.10", "10.0.0.1", "2001:db8::1"}) {
      assertThat(StandaloneServer.isLoopback(InetAddress.getByName(other))).as(other).isFalse();
    }
  }

  @Test
  void writePrivate_createsTheFile0600_andReplacesAnExistingOneAtomically(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/secret.txt");
    StandaloneServer.writePrivate(file, "one");
    assertThat(Files.readString(file)).isEqualTo("one");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    StandaloneServer.writePrivate(file, "two");
    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var stream = Files.list(file.getParent())) {
      assertThat(stream.map(p -> p.getFileName().toString())).containsExactly("secret.txt");
    }
  }
}
