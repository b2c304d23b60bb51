package com.nexflux.integrations.app.blynk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nexflux.integrations.core.blynk.BlynkDeviceSource;
import com.nexflux.integrations.core.blynk.BlynkIntegrationService;
import com.nexflux.integrations.core.blynk.BlynkServers;
import com.nexflux.integrations.core.blynk.BlynkSettingsInput;
import com.nexflux.integrations.core.blynk.BlynkSettingsInput.DeviceInput;
import com.nexflux.integrations.core.blynk.BlynkStatusSource;
import com.nexflux.integrations.core.blynk.BlynkView;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.testing.FixedResolver;
import com.nexflux.integrations.persistence.PostgresPersistence;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nexflux.integrations.providers.blynk.OkHttpBlynkApi;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.Timeouts;
import com.nexflux.integrations.providers.testing.FakeBlynk;
import com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Blynk's use cases on real parts: PostgreSQL, the Tink cipher, the guarded OkHttp client and the fake Blynk whose
 * regions are host names mapped to 127.0.0.1 ({@code blynk.cloud}, {@code fra1.blynk.cloud}, ...). Every token is a
 * canary that must never appear in a log line, an error, an audit row or a database dump.
 */
class BlynkIntegrationTest {
  private static final RequestContext CTX = new RequestContext("req-blynk", "127.0.0.1", "test");
  private static final String CANARY = "CANARY";
  private static FakeBlynk blynk;
  private static TestDatabase db;
  private static BlynkIntegrationService service;
  private static BlynkServers servers;
  private static PostgresPersistence persistence;
  private static final FixedResolver RESOLVER = new FixedResolver();

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final List<Throwable> failures = new ArrayList<>();
  private Level rootLevel;

  @BeforeAll
  static void start() {
    blynk = FakeBlynk.start();
    for (String host : List.of("blynk.cloud", "fra1.blynk.cloud", "lon1.blynk.cloud", "ny3.blynk.cloud",
        "evil.test")) {
      RESOLVER.map(host, "127.0.0.1");
    }
    db = TestDatabase.create();
    persistence = new PostgresPersistence(db.dataSource());
    servers = BlynkServers.at(URI.create(blynk.url("blynk.cloud")));
    OkHttpClient base = new OkHttpClient.Builder().socketFactory(new LoopbackOnlySocketFactory()).build();
    OkHttpClient client = new OutboundHttpClients(base, new OutboundGuard(RESOLVER, List.of()), RESOLVER)
        .fixedHosts(servers.hosts()).timeouts(Timeouts.DEFAULT).maxRedirects(0).redacting("token").build();
    service = new BlynkIntegrationService(persistence.oauthConnections(), persistence.auditLog(),
        TinkSecretCipher.fromKeysetJson(TinkSecretCipher.generateKeysetJson()),
        new OkHttpBlynkApi(client, servers, Clock.systemUTC()), servers, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    blynk.close();
  }

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
  }

  @AfterEach
  void noTokenAnywhere() {
    LoggerFactory.getLogger("com.nexflux.integrations.providers.blynk").debug("capture probe");
    root.detachAppender(logs);
    root.setLevel(rootLevel);
    assertThat(logs.list).as("the capture sees DEBUG lines of our packages")
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).isEqualTo("capture probe"));
    assertThat(logs.list).allSatisfy(e -> {
      assertThat(e.getFormattedMessage()).doesNotContain(CANARY);
      if (e.getThrowableProxy() != null) {
        assertThat(e.getThrowableProxy().getMessage()).doesNotContain(CANARY);
      }
    });
    assertThat(failures).allSatisfy(f -> assertThat(String.valueOf(f.getMessage())).doesNotContain(CANARY));
    DataSource ds = db.dataSource();
    assertThat(Sql.rows(ds, "SELECT * FROM user_integrations").toString()).doesNotContain(CANARY);
    assertThat(Sql.rows(ds, "SELECT * FROM integration_audit_log").toString()).doesNotContain(CANARY);
  }

  private static String token() {
    return CANARY + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
  }

  private static UserId user() {
    UserId u = new UserId(UUID.randomUUID());
    Sql.exec(db.dataSource(), "INSERT INTO users (id) VALUES (?)", u.value());
    return u;
  }

  private static DeviceInput device(String name, String token) {
    return new DeviceInput(name, token == null ? null : Secret.of(token));
  }

  private static long rows(UserId u) {
    return Sql.count(db.dataSource(), "SELECT count(*) FROM user_integrations WHERE user_id = ? AND provider = "
        + "'blynk'", u.value());
  }

  private <T extends Throwable> T failure(Class<T> type, Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      failures.add(t);
      assertThat(t).isInstanceOf(type);
      return type.cast(t);
    }
    throw new AssertionError("expected " + type.getSimpleName());
  }

  private static List<String> fields(ValidationException e) {
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void putChecksEveryToken_storesThemEncryptedOneByOne_andAuditsTheConnect() {
    UserId u = user();
    String lamp = token();
    String fan = token();
    blynk.addDevice(lamp, "blynk.cloud", 0, 1).value(1, "42");
    blynk.addDevice(fan, "blynk.cloud", 2).online(false);
    int checks = blynk.calls("isHardwareConnected");

    BlynkView saved = service.put(u, new BlynkSettingsInput(null, List.of(device("Lamp", lamp),
        device("Fan", fan))), CTX);

    assertThat(blynk.calls("isHardwareConnected") - checks).isEqualTo(2);
    assertThat(saved.status()).isEqualTo("connected");
    assertThat(saved.server()).isEqualTo("blynk.cloud");
    assertThat(saved.devices()).extracting(BlynkView.Device::name, BlynkView.Device::online)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Lamp", true),
            org.assertj.core.groups.Tuple.tuple("Fan", false));
    String config = (String) Sql.scalar(db.dataSource(), "SELECT config::text FROM user_integrations "
        + "WHERE user_id = ? AND provider = 'blynk'", u.value());
    assertThat(config).contains("auth_token_encrypted").contains("Lamp").contains("Fan");
    List<Map<String, Object>> audit = Sql.rows(db.dataSource(), "SELECT action, outcome FROM "
        + "integration_audit_log WHERE user_id = ? AND provider = 'blynk'", u.value());
    assertThat(audit).singleElement().satisfies(r -> {
      assertThat(r.get("action")).isEqualTo("integration.connect");
      assertThat(r.get("outcome")).isEqualTo("success");
    });

    BlynkView view = service.get(u);
    assertThat(view.devices().get(0).values()).containsEntry("v1", 42).containsEntry("v0", 0);
    assertThat(view.devices().get(1).online()).isFalse();
    assertThat(view.fetchedAt()).isNotNull();
    assertThat(new BlynkStatusSource(persistence.oauthConnections()).statusOf(u).status()).isEqualTo("connected");
    assertThat(new BlynkDeviceSource(service).devices(u, true))
        .extracting(DeviceSummary::id, DeviceSummary::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Lamp", "online"),
            org.assertj.core.groups.Tuple.tuple("Fan", "offline"));
  }

  @Test
  void aWrongTokenStoresNothing_andIsNamed() {
    UserId u = user();
    String good = token();
    blynk.addDevice(good, "blynk.cloud", 1);

    ValidationException e = failure(ValidationException.class, () -> service.put(u, new BlynkSettingsInput(null,
        List.of(device("Good", good), device("Bad", token()))), CTX));

    assertThat(fields(e)).containsExactly("devices[1].auth_token");
    assertThat(e.errors().get(0).message()).contains("Invalid token.");
    assertThat(rows(u)).isZero();
    assertThat(Sql.count(db.dataSource(), "SELECT count(*) FROM integration_audit_log WHERE user_id = ?",
        u.value())).isZero();
  }

  @Test
  void everyFailingFieldIsReportedAtOnce_beforeBlynkIsAsked() {
    UserId u = user();
    List<DeviceInput> many = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      many.add(device("d" + i, "t" + i));
    }
    int before = blynk.received().size();
    ValidationException tooMany = failure(ValidationException.class,
        () -> service.put(u, new BlynkSettingsInput(null, many), CTX));
    assertThat(fields(tooMany)).containsExactly("devices");

    ValidationException e = failure(ValidationException.class, () -> service.put(u, new BlynkSettingsInput(
        "blynk.example.org", List.of(device("", "x"), device("A", null), device("B", "has space"),
            device("b", "ok"), device("a/b", "ok"))), CTX));

    assertThat(fields(e)).containsExactly("server", "devices[0].name", "devices[1].auth_token",
        "devices[2].auth_token", "devices[3].name", "devices[4].name");
    assertThat(blynk.received()).hasSize(before);
    assertThat(rows(u)).isZero();
  }

  @Test
  void a308ToTheRightRegionIsFollowed_andRemembered() {
    UserId u = user();
    String t = token();
    blynk.addDevice(t, "fra1.blynk.cloud", 3).value(3, "7");

    BlynkView saved = service.put(u, new BlynkSettingsInput("blynk.cloud", List.of(device("Plant", t))), CTX);

    assertThat(saved.server()).isEqualTo("fra1.blynk.cloud");
    assertThat((String) Sql.scalar(db.dataSource(), "SELECT config->>'server' FROM user_integrations "
        + "WHERE user_id = ? AND provider = 'blynk'", u.value())).isEqualTo("fra1.blynk.cloud");
    long global = blynk.callsTo("blynk.cloud");
    BlynkView view = service.get(u);
    assertThat(view.server()).isEqualTo("fra1.blynk.cloud");
    assertThat(view.devices().get(0).values()).containsEntry("v3", 7);
    assertThat(blynk.callsTo("blynk.cloud")).as("the remembered region is asked directly").isEqualTo(global);
  }

  @Test
  void aRedirectElsewhereIsRefused_andNothingIsStored() {
    UserId u = user();
    String t = token();
    blynk.addDevice(t, "blynk.cloud", 1).redirectTo(308, blynk.url("evil.test") + "/external/api/isHardwareConnected");

    failure(UnavailableException.class, () -> service.put(u, new BlynkSettingsInput(null,
        List.of(device("X", t))), CTX));

    assertThat(blynk.callsTo("evil.test")).isZero();
    assertThat(rows(u)).isZero();
  }

  @Test
  void anOmittedTokenIsKept_onlyForTheSameNameOnAnUnchangedServer() {
    UserId u = user();
    String t = token();
    blynk.addDevice(t, "blynk.cloud", 1);
    service.put(u, new BlynkSettingsInput(null, List.of(device("Lamp", t))), CTX);

    BlynkView kept = service.put(u, new BlynkSettingsInput(null, List.of(device("Lamp", null))), CTX);
    assertThat(kept.devices()).singleElement().satisfies(d -> assertThat(d.online()).isTrue());
    assertThat(failure(ValidationException.class, () -> service.put(u, new BlynkSettingsInput(null,
        List.of(device("Renamed", null))), CTX)).errors()).extracting(FieldError::field)
        .containsExactly("devices[0].auth_token");
    assertThat(failure(ValidationException.class, () -> service.put(u, new BlynkSettingsInput("lon1.blynk.cloud",
        List.of(device("Lamp", null))), CTX)).errors()).extracting(FieldError::field)
        .containsExactly("devices[0].auth_token");
    List<Object> actions = Sql.rows(db.dataSource(), "SELECT action FROM integration_audit_log WHERE user_id = ? "
        + "ORDER BY created_at", u.value()).stream().map(r -> r.get("action")).toList();
    assertThat(actions).containsExactly("integration.connect", "integration.update");
  }

  @Test
  void pinsAreWritten_andBlynksRefusalsNameThePin() {
    UserId u = user();
    String t = token();
    FakeBlynk.Device d = blynk.addDevice(t, "blynk.cloud", 1, 2);
    service.put(u, new BlynkSettingsInput(null, List.of(device("Lamp", t))), CTX);

    service.writePin(u, "Lamp", "V1", "255", CTX);
    Map<String, String> two = new LinkedHashMap<>();
    two.put("V1", "3");
    two.put("v2", "on");
    service.writePins(u, "Lamp", two, CTX);
    assertThat(d.value(1)).isEqualTo("3");
    assertThat(d.value(2)).isEqualTo("on");

    ValidationException none = failure(ValidationException.class, () -> service.writePin(u, "Lamp", "V9", "1", CTX));
    assertThat(none.errors()).singleElement().satisfies(f -> {
      assertThat(f.field()).isEqualTo("pin");
      assertThat(f.message()).isEqualTo("V9: No datastream setup for that pin.");
    });
    ValidationException format = failure(ValidationException.class,
        () -> service.writePin(u, "Lamp", "V256", "1", CTX));
    assertThat(fields(format)).containsExactly("pin");
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("V1", "1");
    bad.put("X7", "1");
    assertThat(fields(failure(ValidationException.class, () -> service.writePins(u, "Lamp", bad, CTX))))
        .containsExactly("values.X7");
    failure(NotFoundException.class, () -> service.writePin(u, "Nope", "V1", "1", CTX));
    List<Object> outcomes = Sql.rows(db.dataSource(), "SELECT outcome FROM integration_audit_log WHERE user_id = ? "
        + "AND action = 'integration.device_write' ORDER BY created_at", u.value()).stream().map(r -> r.get("outcome")).toList();
    assertThat(outcomes).containsExactly("success", "success", "failure");
  }

  @Test
  void aTokenBlynkNoLongerAccepts_isNeedsReauth() {
    UserId u = user();
    String t = token();
    blynk.addDevice(t, "blynk.cloud", 1);
    service.put(u, new BlynkSettingsInput(null, List.of(device("Lamp", t))), CTX);
    blynk.removeDevice(t);

    BlynkView view = service.get(u);
    assertThat(view.status()).isEqualTo("needs_reauth");
    assertThat(view.devices().get(0).error()).isEqualTo("token_rejected");
    assertThat(new BlynkStatusSource(persistence.oauthConnections()).statusOf(u).status())
        .isEqualTo("needs_reauth");
    failure(ReauthRequiredException.class, () -> service.writePin(u, "Lamp", "V1", "1", CTX));
  }

  @Test
  void userBNeverSeesUserAsDevices() {
    UserId a = user();
    UserId b = user();
    String t = token();
    blynk.addDevice(t, "blynk.cloud", 1);
    service.put(a, new BlynkSettingsInput(null, List.of(device("Secret lab", t))), CTX);

    assertThat(service.get(b).connected()).isFalse();
    assertThat(service.get(b).devices()).isEmpty();
    assertThat(new BlynkDeviceSource(service).devices(b, true)).isEmpty();
    failure(NotFoundException.class, () -> service.writePin(b, "Secret lab", "V1", "1", CTX));
    assertThat(failure(ValidationException.class, () -> service.put(b, new BlynkSettingsInput(null,
        List.of(device("Secret lab", null))), CTX)).errors()).extracting(FieldError::field)
        .containsExactly("devices[0].auth_token");
  }

  @Test
  void aTokenMovedToAnotherDeviceEntryDoesNotDecrypt() {
    UserId u = user();
    String t1 = token();
    String t2 = token();
    blynk.addDevice(t1, "blynk.cloud", 1);
    blynk.addDevice(t2, "blynk.cloud", 1);
    service.put(u, new BlynkSettingsInput(null, List.of(device("One", t1), device("Two", t2))), CTX);
    // swap the two ciphertexts in the row: each is bound to its own entry
    Sql.exec(db.dataSource(), "UPDATE user_integrations SET config = jsonb_set(jsonb_set(config, "
        + "'{devices,0,auth_token_encrypted}', config->'devices'->1->'auth_token_encrypted'), "
        + "'{devices,1,auth_token_encrypted}', config->'devices'->0->'auth_token_encrypted') "
        + "WHERE user_id = ? AND provider = 'blynk'", u.value());

    BlynkView view = service.get(u);
    assertThat(view.devices()).extracting(BlynkView.Device::error)
        .containsExactly("credentials_unreadable", "credentials_unreadable");
    assertThat(view.status()).isEqualTo("error");
  }

  @Test
  void deleteForgetsEverything_isIdempotent_andAudited() {
    UserId u = user();
    String t = token();
    blynk.addDevice(t, "blynk.cloud", 1);
    service.put(u, new BlynkSettingsInput(null, List.of(device("Lamp", t))), CTX);

    service.delete(u, CTX);
    service.delete(u, CTX);

    assertThat(rows(u)).isZero();
    assertThat(service.get(u).status()).isEqualTo("not_configured");
    assertThat(Sql.count(db.dataSource(), "SELECT count(*) FROM integration_audit_log WHERE user_id = ? AND "
        + "action = 'integration.disconnect'", u.value())).isEqualTo(2);
    assertThat(Provider.BLYNK.slug()).isEqualTo("blynk");
  }
}
