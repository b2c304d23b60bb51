package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.http.internal.ErrorResponses;
import com.nexflux.integrations.http.internal.InternalFailure;
import com.nexflux.integrations.http.internal.PayloadTooLargeException;
import com.nexflux.integrations.http.support.ApiFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Status codes and envelopes for every error kind, and {@code X-Request-Id} on each. */
class ErrorMappingTest {
  private static final String MQTT = "/api/v1/users/me/integrations/mqtt";
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void bodyOf70KibWithContentLength_is413() {
    String big = "{\"device_id\":\"" + "x".repeat(70 * 1024) + "\"}";
    HttpResponse<String> r = api.put(MQTT, big);
    error(r, 413, "PAYLOAD_TOO_LARGE");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void chunkedBodyOf70Kib_is413() {
    byte[] big = ("{\"device_id\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes();
    HttpResponse<String> r = api.send(api.authed(MQTT)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
    error(r, 413, "PAYLOAD_TOO_LARGE");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void bodyJustUnderTheLimit_isRead() {
    String body = "{\"device_id\":\"" + "x".repeat(60 * 1024) + "\"}";
    HttpResponse<String> r = api.put(MQTT, body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(api.mqtt.lastInput.deviceId()).hasSize(60 * 1024);
  }

  @Test
  void malformedJson_is400NamingBody() {
    JsonNode e = error(api.put(MQTT, "{\"enabled\": tru"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void malformedJson_neverEchoesThePassword() {
    HttpResponse<String> r = api.put(MQTT, "{\"password\":\"hunter2-secret\", \"enabled\": }");
    error(r, 400, "VALIDATION_FAILED");
    assertThat(r.body()).doesNotContain("hunter2");
  }

  @Test
  void unknownField_is400NamingIt() {
    JsonNode e = error(api.put(MQTT, "{\"broker_url\":\"ws://b:1\",\"colour\":\"red\"}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details")).hasSize(1);
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("colour");
    assertThat(e.get("details").get(0).get("message").asText()).isEqualTo("is not a known field");
  }

  @Test
  void wrongType_is400NamingTheField() {
    JsonNode e = error(api.put(MQTT, "{\"enabled\":\"yes\",\"password\":\"hunter2-secret\"}"), 400,
        "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("enabled");
    assertThat(e.get("details").get(0).get("message").asText()).isEqualTo("must be a boolean");
    assertThat(e.toString()).doesNotContain("hunter2");
  }

  @Test
  void numberForAString_is400_andTheValueIsNotEchoed() {
    HttpResponse<String> r = api.put(MQTT, "{\"password\":987654321}");
    JsonNode e = error(r, 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("password");
    assertThat(e.get("details").get(0).get("message").asText()).isEqualTo("must be a string");
    assertThat(r.body()).doesNotContain("987654321");
  }

  @Test
  void stringTrueForABoolean_isNotCoerced() {
    JsonNode e = error(api.put(MQTT, "{\"use_authentication\":\"true\"}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("use_authentication");
  }

  @Test
  void emptyBody_is400NamingBody() {
    JsonNode e = error(api.put(MQTT, ""), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void arrayBody_is400NamingBody() {
    JsonNode e = error(api.put(MQTT, "[{\"enabled\":true}]"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void duplicateKey_is400() {
    JsonNode e = error(api.put(MQTT, "{\"enabled\":true,\"enabled\":false}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void coreValidationErrors_listEveryField() {
    api.mqtt.failure = new ValidationException(List.of(
        new FieldError("broker_url", "must be a ws, wss, mqtt or mqtts URL"),
        new FieldError("device_id", "is required")));
    JsonNode e = error(api.put(MQTT, "{}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details")).hasSize(2);
    assertThat(e.get("details").get(1).get("field").asText()).isEqualTo("device_id");
    assertThat(e.get("details").get(1).get("message").asText()).isEqualTo("is required");
  }

  @Test
  void rateLimited_is429WithRetryAfterInWholeSeconds() {
    api.mqtt.failure = new RateLimitedException("Too many connection tests", Duration.ofMillis(1500));
    HttpResponse<String> r = api.post(MQTT + "/test", "");
    error(r, 429, "RATE_LIMITED");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
  }

  @Test
  void unavailable_is503() {
    api.mqtt.failure = new UnavailableException("The database is unavailable", new RuntimeException("pool"));
    JsonNode e = error(api.get(MQTT), 503, "UNAVAILABLE");
    assertThat(e.get("message").asText()).isEqualTo("The database is unavailable");
    assertThat(e.get("details")).isEmpty();
  }

  @Test
  void notConfigured_is503ProviderNotConfigured() {
    api.mqtt.failure = new NotConfiguredException("No default MQTT broker is configured");
    error(api.get(MQTT), 503, "PROVIDER_NOT_CONFIGURED");
  }

  @Test
  void notFound_is404() {
    api.mqtt.failure = new NotFoundException("No MQTT settings are saved");
    JsonNode e = error(api.post(MQTT + "/test", ""), 404, "NOT_FOUND");
    assertThat(e.get("message").asText()).isEqualTo("No MQTT settings are saved");
  }

  @Test
  void unreadableSecret_is500CredentialsUnreadable() {
    api.mqtt.failure = new SecretUnreadableException("tag mismatch", new RuntimeException("aead"));
    JsonNode e = error(api.post(MQTT + "/test", ""), 500, "CREDENTIALS_UNREADABLE");
    assertThat(e.get("message").asText()).isEqualTo("stored credentials could not be read; save the password again");
  }

  @Test
  void unexpectedException_is500WithoutStackTraceAndQuotesTheRequestId() {
    api.mqtt.failure = new IllegalStateException("boom: jdbc:postgresql://db/secret-details");
    HttpResponse<String> r = api.get(MQTT);
    JsonNode e = error(r, 500, "INTERNAL");
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(e.get("message").asText()).isEqualTo("Internal error; quote request id " + id);
    assertThat(r.body()).doesNotContain("boom", "IllegalStateException", "secret-details", "at com.", "Exception");
  }

  @Test
  void unknownRoute_is404InTheEnvelope() {
    error(api.send(api.request("/no/such/thing").GET()), 404, "NOT_FOUND");
  }

  @Test
  void unknownRouteUnderTheUserApi_is404ForAnAuthenticatedCaller() {
    error(api.get("/api/v1/users/me/integrations/nope"), 404, "NOT_FOUND");
  }

  @Test
  void wrongMethod_is405InTheEnvelopeWithAllow() {
    HttpResponse<String> r = api.send(api.authed(MQTT).method("PATCH", HttpRequest.BodyPublishers.noBody()));
    error(r, 405, "METHOD_NOT_ALLOWED");
    assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(
        allow -> assertThat(allow).contains("GET", "PUT", "DELETE"));
  }

  @Test
  void wrongMethodOnAPublicRoute_is405() {
    error(api.send(api.request("/health/live").POST(HttpRequest.BodyPublishers.noBody())), 405,
        "METHOD_NOT_ALLOWED");
  }

  @Test
  void apiAnswers_areNotCacheable() {
    assertThat(api.get(MQTT).headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(api.send(api.request(MQTT).GET()).headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  // ---- one table: every code's status comes from ErrorResponses.STATUS_BY_CODE, which docs/api.md repeats ----

  /** One instance of every exception the core (and this module) can throw at a handler. */
  private static Map<Class<?>, IntegrationsException> samples() {
    Map<Class<?>, IntegrationsException> m = new LinkedHashMap<>();
    m.put(ValidationException.class, new ValidationException(List.of(new FieldError("device_id", "is required"))));
    m.put(UnauthorizedException.class, new UnauthorizedException("token expired at 12:00 for sub 1234"));
    m.put(NotFoundException.class, new NotFoundException("No MQTT settings are saved"));
    m.put(RateLimitedException.class, new RateLimitedException("Too many connection tests", Duration.ofSeconds(3)));
    m.put(SecretUnreadableException.class, new SecretUnreadableException("tag mismatch", new RuntimeException()));
    m.put(UnavailableException.class, new UnavailableException("The database is unavailable", null));
    m.put(NotConfiguredException.class, new NotConfiguredException("GitHub is not configured"));
    m.put(ReauthRequiredException.class, new ReauthRequiredException(Provider.GITHUB));
    m.put(OAuthGrantException.class, new OAuthGrantException("bad_refresh_token"));
    m.put(OAuthProtocolException.class, new OAuthProtocolException("invalid_client for client id abc123"));
    m.put(com.nexflux.integrations.core.oauth.CredentialsRejectedException.class,
        new com.nexflux.integrations.core.oauth.CredentialsRejectedException("invalid_client"));
    m.put(com.nexflux.integrations.core.oauth.IdTokenRejectedException.class,
        new com.nexflux.integrations.core.oauth.IdTokenRejectedException("nonce"));
    // one sample per class; the other two codes of the class are checked in ArduinoEndToEndTest
    m.put(com.nexflux.integrations.core.arduino.OtaRefusedException.class,
        com.nexflux.integrations.core.arduino.OtaRefusedException.deviceOffline());
    m.put(com.nexflux.integrations.core.thingsboard.DeviceTimeoutException.class,
        new com.nexflux.integrations.core.thingsboard.DeviceTimeoutException());
    m.put(com.nexflux.integrations.core.blynk.BlynkRejectedException.class,
        new com.nexflux.integrations.core.blynk.BlynkRejectedException(
            com.nexflux.integrations.core.blynk.BlynkRejectedException.Reason.NO_DATASTREAM,
            "No datastream setup for that pin."));
    m.put(PayloadTooLargeException.class, new PayloadTooLargeException(65536));
    m.put(InternalFailure.class, InternalFailure.translate(new IllegalStateException("boom")));
    return m;
  }

  /** {@code | 409 | `NEEDS_REAUTH` | ...} rows of the error table in docs/api.md, code to status. */
  private static Map<String, Integer> documentedStatuses() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/api.md"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("docs/api.md above the working directory").isNotNull();
    Map<String, Integer> table = new TreeMap<>();
    Pattern row = Pattern.compile("^\\| (\\d{3}) \\| `([A-Z_]+)` \\|");
    for (String line : Files.readAllLines(dir.resolve("docs/api.md"))) {
      Matcher m = row.matcher(line);
      if (m.find()) {
        Integer before = table.put(m.group(2), Integer.parseInt(m.group(1)));
        assertThat(before).as("%s is in the table once", m.group(2)).isNull();
      }
    }
    return table;
  }

  /** Every concrete {@link IntegrationsException} subclass compiled into the core module, found by scanning it. */
  private static List<Class<?>> coreExceptionClasses() throws Exception {
    Path location = Path.of(IntegrationsException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        files.filter(f -> f.toString().endsWith(".class"))
            .forEach(f -> names.add(location.relativize(f).toString()));
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String n = e.nextElement().getName();
          if (n.endsWith(".class")) {
            names.add(n);
          }
        }
      }
    }
    List<Class<?>> found = new ArrayList<>();
    for (String n : names) {
      if (n.endsWith("module-info.class") || n.endsWith("package-info.class")) {
        continue;
      }
      String className = n.substring(0, n.length() - ".class".length()).replace('/', '.').replace('\\', '.');
      Class<?> c = Class.forName(className, false, IntegrationsException.class.getClassLoader());
      if (IntegrationsException.class.isAssignableFrom(c) && c != IntegrationsException.class
          && !Modifier.isAbstract(c.getModifiers())) {
        found.add(c);
      }
    }
    return found;
  }

  @Test
  void theDocumentedTable_isTheTableTheServerUses() throws IOException {
    assertThat(documentedStatuses()).isEqualTo(new TreeMap<>(ErrorResponses.STATUS_BY_CODE));
  }

  @Test
  void everyExceptionTheCoreDefines_hasASample() throws Exception {
    List<Class<?>> core = coreExceptionClasses();
    assertThat(core).as("the scan finds the core's exceptions").contains(NotFoundException.class,
        OAuthGrantException.class);
    assertThat(samples().keySet()).as("add a sample (and a docs/api.md row) for each new exception")
        .containsAll(core);
  }

  @Test
  void everyCode_isAnsweredWithItsOwnCode_andTheDocumentedStatus() throws Exception {
    Map<String, Integer> documented = documentedStatuses();
    for (IntegrationsException sample : samples().values()) {
      String code = sample.code();
      assertThat(documented).as("docs/api.md documents %s", code).containsKey(code);
      api.mqtt.failure = sample;
      HttpResponse<String> r = api.get(MQTT);
      JsonNode e = error(r, documented.get(code), code);
      assertThat(r.statusCode()).as(code).isEqualTo(ErrorResponses.STATUS_BY_CODE.get(code));
      assertThat(e.toString()).as(code).doesNotContain("bad_refresh_token", "abc123", "invalid_client", "boom",
          "12:00", "tag mismatch");
    }
  }

  @Test
  void specialBodiesAndHeaders_areKept() {
    api.mqtt.failure = samples().get(UnauthorizedException.class);
    HttpResponse<String> r = api.get(MQTT);
    assertThat(error(r, 401, "UNAUTHORIZED").get("message").asText()).isEqualTo("A valid bearer token is required");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");

    api.mqtt.failure = samples().get(RateLimitedException.class);
    assertThat(api.get(MQTT).headers().firstValue("Retry-After")).hasValue("3");

    api.mqtt.failure = samples().get(ValidationException.class);
    JsonNode v = error(api.get(MQTT), 400, "VALIDATION_FAILED");
    assertThat(v.get("details").get(0).get("field").asText()).isEqualTo("device_id");

    api.mqtt.failure = samples().get(OAuthGrantException.class);
    assertThat(error(api.get(MQTT), 409, "INVALID_GRANT").get("message").asText())
        .isEqualTo(ErrorResponses.GRANT_REFUSED_MESSAGE);
    api.mqtt.failure = samples().get(OAuthProtocolException.class);
    assertThat(error(api.get(MQTT), 502, "OAUTH_PROTOCOL_ERROR").get("message").asText())
        .isEqualTo(ErrorResponses.PROVIDER_ERROR_MESSAGE);
    api.mqtt.failure = samples().get(ReauthRequiredException.class);
    assertThat(error(api.get(MQTT), 409, "NEEDS_REAUTH").get("message").asText())
        .isEqualTo("The github connection must be authorized again");
  }

  @Test
  void aCodeOutsideTheTable_isAPlain500WithoutItsMessage() {
    for (String code : new String[] {"KEYSET_INVALID", "CRYPTO_UNAVAILABLE", "MIGRATION_FAILED", "SOMETHING_NEW"}) {
      api.mqtt.failure = new IntegrationsException(code, "detail that must not leak " + code);
      HttpResponse<String> r = api.get(MQTT);
      error(r, 500, "INTERNAL");
      assertThat(r.body()).as(code).doesNotContain("must not leak");
    }
  }

  @Test
  void codesFromTheCoreAreInTheTable_whateverTheirPackage() throws Exception {
    // guards the table against a new core exception whose code nobody added: it would silently become a 500
    TreeSet<String> missing = new TreeSet<>();
    for (IntegrationsException sample : samples().values()) {
      if (!ErrorResponses.STATUS_BY_CODE.containsKey(sample.code())) {
        missing.add(sample.code());
      }
    }
    assertThat(missing).isEmpty();
  }
}
