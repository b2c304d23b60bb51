package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static com.nexflux.integrations.persistence.Fixtures.event;
import static com.nexflux.integrations.persistence.Fixtures.provisionedUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.MqttSettings;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.core.mqtt.TestRecord;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class JdbiMqttIntegrationRepositoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestDatabase db;
  private DataSource ds;
  private JdbiMqttIntegrationRepository repository;

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
    ds = db.dataSource();
    repository = new JdbiMqttIntegrationRepository(ds);
  }

  private long auditCount(UserId user) {
    return Sql.count(ds, "SELECT count(*) FROM integration_audit_log WHERE user_id = ?", user.value());
  }

  private Map<String, Object> row(UserId user) {
    List<Map<String, Object>> rows = Sql.rows(ds, """
        SELECT id, provider, enabled, config::text AS config, metadata::text AS metadata, access_token,
               refresh_token, token_expires_at, connected_at::text AS connected_at,
               last_used_at::text AS last_used_at, created_at::text AS created_at, updated_at::text AS updated_at
          FROM user_integrations WHERE user_id = ?""", user.value());
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private static JsonNode json(Object text) throws Exception {
    return JSON.readTree((String) text);
  }

  /** Every field the aggregate has, with sub-microsecond parts that storage drops. */
  private static MqttIntegration everyField(UserId user) {
    Instant connected = T0.plusNanos(789);
    Instant updated = T0.plus(Duration.ofDays(3)).plusNanos(1);
    TestRecord lastTest = new TestRecord(T0.plus(Duration.ofDays(2)), false, ProbeErrorCode.AUTH_FAILED);
    Instant lastConnected = T0.plus(Duration.ofDays(1));
    MqttSettings settings = new MqttSettings(false, Fixtures.url("wss://Broker.Example.com:8884/ws?token=abc"), true,
        "üser name", "device:01", "nexflux/Déviçe");
    return MqttIntegration.restore(user, settings, new EncryptedSecret("QUJDREVGRw=="), connected, updated, 7,
        lastTest, lastConnected);
  }

  @Test
  void roundTripsEveryField() throws Exception {
    UserId user = provisionedUser(ds);
    MqttIntegration saved = everyField(user);
    repository.save(saved, event(user, AuditEvent.Actions.CONNECT));

    MqttIntegration found = repository.find(user).orElseThrow();
    assertThat(found.userId()).isEqualTo(user);
    assertThat(found.settings()).isEqualTo(saved.settings());
    assertThat(found.settings().brokerUrl().text()).isEqualTo("wss://Broker.Example.com:8884/ws?token=abc");
    assertThat(found.settings().enabled()).isFalse();
    assertThat(found.password()).contains(new EncryptedSecret("QUJDREVGRw=="));
    assertThat(found.connectedAt()).isEqualTo(saved.connectedAt().truncatedTo(ChronoUnit.MICROS));
    assertThat(found.updatedAt()).isEqualTo(saved.updatedAt().truncatedTo(ChronoUnit.MICROS));
    assertThat(found.version()).isEqualTo(7);
    assertThat(found.lastTest()).contains(new TestRecord(T0.plus(Duration.ofDays(2)), false,
        ProbeErrorCode.AUTH_FAILED));
    assertThat(found.lastConnectedAt()).contains(T0.plus(Duration.ofDays(1)));
    assertThat(found.status()).isEqualTo(saved.status());

    Map<String, Object> row = row(user);
    assertThat(row.get("provider")).isEqualTo("mqtt");
    assertThat(row.get("enabled")).isEqualTo(false);
    assertThat(row.get("access_token")).isNull();
    assertThat(row.get("refresh_token")).isNull();
    assertThat(row.get("token_expires_at")).isNull();
    JsonNode config = json(row.get("config"));
    List<String> keys = new ArrayList<>();
    config.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("broker_url", "username", "password_encrypted", "use_authentication",
        "device_id", "topic_prefix");
    assertThat(config.get("broker_url").asText()).isEqualTo("wss://Broker.Example.com:8884/ws?token=abc");
    assertThat(config.get("username").asText()).isEqualTo("üser name");
    assertThat(config.get("password_encrypted").asText()).isEqualTo("QUJDREVGRw==");
    assertThat(config.get("use_authentication").asBoolean()).isTrue();
    assertThat(config.get("device_id").asText()).isEqualTo("device:01");
    assertThat(config.get("topic_prefix").asText()).isEqualTo("nexflux/Déviçe");
    JsonNode metadata = json(row.get("metadata"));
    assertThat(metadata.get("version").asLong()).isEqualTo(7);
    assertThat(metadata.at("/last_test/at").asText()).isEqualTo("2026-01-17T10:30:00.123456Z");
    assertThat(metadata.at("/last_test/success").asBoolean()).isFalse();
    assertThat(metadata.at("/last_test/error_code").asText()).isEqualTo("AUTH_FAILED");
    assertThat(metadata.get("last_connected_at").asText()).isEqualTo("2026-01-16T10:30:00.123456Z");
    // TIMESTAMP columns hold UTC wall-clock time
    assertThat(row.get("connected_at")).isEqualTo("2026-01-15 10:30:00.123456");
    assertThat(row.get("created_at")).isEqualTo("2026-01-15 10:30:00.123456");
    assertThat(row.get("updated_at")).isEqualTo("2026-01-18 10:30:00.123456");
    assertThat(row.get("last_used_at")).isEqualTo("2026-01-17 10:30:00.123456");
  }

  @Test
  void roundTripsWithoutAuthenticationOrTests() throws Exception {
    UserId user = provisionedUser(ds);
    MqttIntegration saved = MqttIntegration.create(user, Fixtures.withoutAuth("mqtt://broker.example.com"), null, T0);
    repository.save(saved, event(user, AuditEvent.Actions.CONNECT));

    MqttIntegration found = repository.find(user).orElseThrow();
    assertThat(found.settings()).isEqualTo(saved.settings());
    assertThat(found.settings().username()).isNull();
    assertThat(found.password()).isEmpty();
    assertThat(found.lastTest()).isEmpty();
    assertThat(found.lastConnectedAt()).isEmpty();
    assertThat(found.version()).isEqualTo(saved.version());
    JsonNode config = json(row(user).get("config"));
    assertThat(config.get("password_encrypted").isNull()).isTrue();
    assertThat(config.get("username").isNull()).isTrue();
    assertThat(row(user).get("last_used_at")).isNull();
  }

  @Test
  void readsBackTheSameInstantsWhateverTheJvmAndSessionTimeZones() {
    UserId user = provisionedUser(ds);
    TimeZone original = TimeZone.getDefault();
    try {
      // the driver sends the JVM zone as the session TimeZone, so both differ from UTC here
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
      repository.save(Fixtures.integration(user, T0), event(user, AuditEvent.Actions.CONNECT));
      assertThat(Sql.scalar(ds, "SHOW TimeZone")).isEqualTo("Pacific/Chatham");

      TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
      MqttIntegration found = repository.find(user).orElseThrow();
      assertThat(found.connectedAt()).isEqualTo(T0);
      assertThat(found.updatedAt()).isEqualTo(T0);

      PGSimpleDataSource otherSession = new PGSimpleDataSource();
      otherSession.setUrl(db.jdbcUrl());
      otherSession.setOptions("-c TimeZone=Asia/Kathmandu");
      assertThat(new JdbiMqttIntegrationRepository(otherSession).find(user).orElseThrow().connectedAt())
          .isEqualTo(T0);
    } finally {
      TimeZone.setDefault(original);
    }
    assertThat(row(user).get("connected_at")).isEqualTo("2026-01-15 10:30:00.123456");
    assertThat(new JdbiAuditLog(ds).list(user, null, 10).items().get(0).at()).isEqualTo(T0);
  }

  @Test
  void upsertKeepsIdCreatedAtAndConnectedAt() {
    UserId user = provisionedUser(ds);
    repository.save(Fixtures.integration(user, T0), event(user, AuditEvent.Actions.CONNECT));
    Map<String, Object> first = row(user);

    Instant later = T0.plus(Duration.ofHours(5));
    MqttIntegration replacement = MqttIntegration.create(user, Fixtures.withoutAuth("ws://other.example.com:9001"),
        null, later);
    repository.save(replacement, event(user, AuditEvent.Actions.UPDATE));

    Map<String, Object> second = row(user);
    assertThat(second.get("id")).isEqualTo(first.get("id"));
    assertThat(second.get("created_at")).isEqualTo(first.get("created_at"));
    assertThat(second.get("connected_at")).isEqualTo(first.get("connected_at"));
    assertThat(second.get("updated_at")).isEqualTo("2026-01-15 15:30:00.123456");
    MqttIntegration found = repository.find(user).orElseThrow();
    assertThat(found.connectedAt()).isEqualTo(T0);
    assertThat(found.updatedAt()).isEqualTo(later);
    assertThat(found.settings()).isEqualTo(replacement.settings());
    assertThat(found.password()).isEmpty();
    assertThat(Sql.count(ds, "SELECT count(*) FROM user_integrations")).isEqualTo(1);
    assertThat(auditCount(user)).isEqualTo(2);
  }

  @Test
  void saveWritesItsAuditRowInTheSameTransaction() {
    UserId user = provisionedUser(ds);
    MqttIntegration first = Fixtures.integration(user, T0);
    AuditEvent connect = event(user, AuditEvent.Actions.CONNECT);
    repository.save(first, connect);
    assertThat(new JdbiAuditLog(ds).list(user, null, 10).items()).containsExactly(connect);

    // the audit insert fails (duplicate id) after the upsert ran: the upsert must be rolled back with it
    MqttIntegration changed = first.update(Fixtures.withoutAuth("mqtt://changed.example.com"), null, true,
        T0.plusSeconds(60));
    AuditEvent duplicate = new AuditEvent(connect.id(), user, connect.provider(), AuditEvent.Actions.UPDATE,
        AuditEvent.Outcome.SUCCESS, null, connect.context(), T0.plusSeconds(60), Map.of());
    assertThatThrownBy(() -> repository.save(changed, duplicate))
        .isInstanceOf(UnavailableException.class)
        .hasMessage("The database is unavailable");

    MqttIntegration stored = repository.find(user).orElseThrow();
    assertThat(stored.version()).isEqualTo(first.version());
    assertThat(stored.settings()).isEqualTo(first.settings());
    assertThat(auditCount(user)).isEqualTo(1);
  }

  @Test
  void aFailureAfterTheAuditInsertLeavesNeitherChangeNorAudit() {
    UserId user = provisionedUser(ds);
    UserId existing = provisionedUser(ds);
    MqttIntegration existingIntegration = Fixtures.integration(existing, T0);
    repository.save(existingIntegration, event(existing, AuditEvent.Actions.CONNECT));
    Sql.exec(ds, """
        CREATE FUNCTION test_fail_after_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'forced failure after the audit insert'; END $$""");
    Sql.exec(ds, "CREATE TRIGGER test_fail AFTER INSERT ON integration_audit_log "
        + "FOR EACH ROW EXECUTE FUNCTION test_fail_after_audit()");

    assertThatThrownBy(() -> repository.save(Fixtures.integration(user, T0), event(user, AuditEvent.Actions.CONNECT)))
        .isInstanceOf(UnavailableException.class);
    assertThat(repository.find(user)).isEmpty();

    assertThatThrownBy(() -> repository.delete(existing, event(existing, AuditEvent.Actions.DISCONNECT)))
        .isInstanceOf(UnavailableException.class);
    assertThat(repository.find(existing)).isPresent();

    assertThatThrownBy(() -> repository.recordTest(existing, existingIntegration.version(), new TestRecord(T0.plusSeconds(5), true, null),
        event(existing, AuditEvent.Actions.TEST)))
        .isInstanceOf(UnavailableException.class);
    assertThat(repository.find(existing).orElseThrow().lastTest()).isEmpty();
    assertThat(row(existing).get("last_used_at")).isNull();

    assertThat(auditCount(user)).isZero();
    assertThat(auditCount(existing)).isEqualTo(1);
  }

  @Test
  void savingForAnUnknownUserFailsWithoutAudit() {
    UserId stranger = new UserId(UUID.randomUUID());
    assertThatThrownBy(() -> repository.save(Fixtures.integration(stranger, T0),
        event(stranger, AuditEvent.Actions.CONNECT)))
        .isInstanceOf(UnavailableException.class);
    assertThat(auditCount(stranger)).isZero();
  }

  @Test
  void recordTestWithAStaleVersionWritesNothing() {
    UserId user = provisionedUser(ds);
    MqttIntegration saved = Fixtures.integration(user, T0);
    repository.save(saved, event(user, AuditEvent.Actions.CONNECT));
    Map<String, Object> before = row(user);

    boolean recorded = repository.recordTest(user, saved.version() + 1, new TestRecord(T0.plusSeconds(9), true, null),
        event(user, AuditEvent.Actions.TEST));

    assertThat(recorded).isFalse();
    assertThat(row(user)).isEqualTo(before);
    assertThat(repository.find(user).orElseThrow().lastTest()).isEmpty();
    assertThat(auditCount(user)).isEqualTo(1);
    assertThat(repository.recordTest(new UserId(UUID.randomUUID()), 1, new TestRecord(T0, true, null),
        event(user, AuditEvent.Actions.TEST))).isFalse();
    assertThat(auditCount(user)).isEqualTo(1);
  }

  @Test
  void recordTestStoresTheOutcomeAndLastUse() {
    UserId user = provisionedUser(ds);
    MqttIntegration saved = Fixtures.integration(user, T0);
    repository.save(saved, event(user, AuditEvent.Actions.CONNECT));

    Instant success = T0.plusSeconds(30);
    assertThat(repository.recordTest(user, saved.version(), new TestRecord(success, true, null),
        event(user, AuditEvent.Actions.TEST))).isTrue();
    MqttIntegration afterSuccess = repository.find(user).orElseThrow();
    assertThat(afterSuccess).usingRecursiveComparison().isEqualTo(saved.withTest(new TestRecord(success, true, null)));
    assertThat(afterSuccess.lastConnectedAt()).contains(success);
    assertThat(row(user).get("last_used_at")).isEqualTo("2026-01-15 10:30:30.123456");

    Instant failure = T0.plusSeconds(90);
    assertThat(repository.recordTest(user, saved.version(),
        new TestRecord(failure, false, ProbeErrorCode.CONNECTION_REFUSED),
        event(user, AuditEvent.Actions.TEST))).isTrue();
    MqttIntegration afterFailure = repository.find(user).orElseThrow();
    assertThat(afterFailure.lastTest()).contains(new TestRecord(failure, false, ProbeErrorCode.CONNECTION_REFUSED));
    assertThat(afterFailure.lastConnectedAt()).contains(success);
    assertThat(afterFailure.version()).isEqualTo(saved.version());
    assertThat(afterFailure.updatedAt()).isEqualTo(T0);
    assertThat(row(user).get("last_used_at")).isEqualTo("2026-01-15 10:31:30.123456");
    assertThat(auditCount(user)).isEqualTo(3);
  }

  @Test
  void deleteRemovesTheRowAndAuditsEvenWhenNothingExisted() {
    UserId user = provisionedUser(ds);
    repository.save(Fixtures.integration(user, T0), event(user, AuditEvent.Actions.CONNECT));

    assertThat(repository.delete(user, event(user, AuditEvent.Actions.DISCONNECT))).isTrue();
    assertThat(repository.find(user)).isEmpty();
    assertThat(repository.delete(user, event(user, AuditEvent.Actions.DISCONNECT))).isFalse();
    assertThat(auditCount(user)).isEqualTo(3);
  }

  @Test
  void aUserNeverSeesOrTouchesAnotherUsersRow() {
    UserId alice = provisionedUser(ds);
    UserId bob = provisionedUser(ds);
    MqttIntegration alices = Fixtures.integration(alice, T0);
    repository.save(alices, event(alice, AuditEvent.Actions.CONNECT));

    assertThat(repository.find(bob)).isEmpty();
    assertThat(repository.recordTest(bob, alices.version(), new TestRecord(T0, true, null),
        event(bob, AuditEvent.Actions.TEST))).isFalse();
    assertThat(repository.delete(bob, event(bob, AuditEvent.Actions.DISCONNECT))).isFalse();
    assertThat(repository.find(alice)).isPresent();
    assertThat(repository.find(alice).orElseThrow().lastTest()).isEmpty();

    repository.save(Fixtures.integration(bob, T0.plusSeconds(1)), event(bob, AuditEvent.Actions.CONNECT));
    assertThat(repository.find(alice).orElseThrow().connectedAt()).isEqualTo(T0);
    assertThat(repository.find(bob).orElseThrow().connectedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void deletingTheUserCascadesButKeepsTheAuditTrail() {
    UserId user = provisionedUser(ds);
    repository.save(Fixtures.integration(user, T0), event(user, AuditEvent.Actions.CONNECT));
    Sql.exec(ds, "DELETE FROM users WHERE id = ?", user.value());
    assertThat(repository.find(user)).isEmpty();
    assertThat(auditCount(user)).isEqualTo(1);
  }

  @Test
  void anUnreadableRowIsReportedWithoutLibraryExceptions() {
    UserId user = provisionedUser(ds);
    repository.save(Fixtures.integration(user, T0), event(user, AuditEvent.Actions.CONNECT));
    Sql.exec(ds, "UPDATE user_integrations SET config = jsonb_set(config, '{broker_url}', '\"http://x\"')");
    assertThatThrownBy(() -> repository.find(user))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("unreadable");
  }
}
