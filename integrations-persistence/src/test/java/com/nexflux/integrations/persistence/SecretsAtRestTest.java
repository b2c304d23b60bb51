package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static com.nexflux.integrations.persistence.Fixtures.event;
import static com.nexflux.integrations.persistence.Fixtures.passwordContext;
import static com.nexflux.integrations.persistence.Fixtures.provisionedUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.TestRecord;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stored form of a secret: never plaintext, and bound to its row and field. */
class SecretsAtRestTest {
  private static final String CANARY = "CANARY-mqtt-pw-5b1f";

  private DataSource ds;
  private PostgresPersistence persistence;
  private TinkSecretCipher cipher;

  @BeforeEach
  void setUp() {
    ds = TestDatabase.freshDataSource();
    persistence = new PostgresPersistence(ds);
    cipher = TinkSecretCipher.fromKeysetJson(TinkSecretCipher.generateKeysetJson());
  }

  private UserId saveWithPassword(String password) {
    UserId user = provisionedUser(ds);
    EncryptedSecret encrypted = cipher.encrypt(Secret.of(password), passwordContext(user));
    MqttIntegration integration = MqttIntegration.create(user,
        Fixtures.withAuth("wss://broker.example.com:8884/mqtt", "canary-user"), encrypted, T0);
    persistence.mqttRepository().save(integration, event(user, AuditEvent.Actions.CONNECT));
    return user;
  }

  /** Every column of every row of every table in the schema, cast to text. */
  private List<String> dumpEverything() {
    List<String> cells = new ArrayList<>();
    List<Map<String, Object>> columns = Sql.rows(ds, """
        SELECT c.table_name, c.column_name
          FROM information_schema.columns c
          JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name, c.ordinal_position""");
    assertThat(columns).extracting(r -> r.get("table_name")).contains("users", "user_integrations",
        "integration_audit_log", Migrations.HISTORY_TABLE);
    for (Map<String, Object> column : columns) {
      String sql = "SELECT \"" + column.get("column_name") + "\"::text AS v FROM \"" + column.get("table_name") + "\"";
      for (Map<String, Object> row : Sql.rows(ds, sql)) {
        cells.add(String.valueOf(row.get("v")));
      }
    }
    return cells;
  }

  @Test
  void thePasswordAppearsNowhereInTheDatabase() {
    UserId user = saveWithPassword(CANARY);
    long version = persistence.mqttRepository().find(user).orElseThrow().version();
    assertThat(persistence.mqttRepository().recordTest(user, version, new TestRecord(T0.plusSeconds(1), true, null),
        event(user, AuditEvent.Actions.TEST))).isTrue();
    persistence.auditLog().append(event(user, AuditEvent.Actions.DECRYPT_FAILED));

    byte[] canary = CANARY.getBytes(StandardCharsets.UTF_8);
    List<String> forbidden = List.of(CANARY,
        Base64.getEncoder().encodeToString(canary),
        Base64.getEncoder().withoutPadding().encodeToString(canary),
        Base64.getUrlEncoder().withoutPadding().encodeToString(canary),
        HexFormat.of().formatHex(canary),
        HexFormat.of().withUpperCase().formatHex(canary));
    List<String> cells = dumpEverything();
    assertThat(cells).hasSizeGreaterThan(30);
    for (String cell : cells) {
      for (String f : forbidden) {
        assertThat(cell).doesNotContain(f);
      }
    }

    // not vacuous: the stored ciphertext is there and decrypts to the canary
    EncryptedSecret stored = persistence.mqttRepository().find(user).orElseThrow().password().orElseThrow();
    assertThat(cells).anyMatch(c -> c.contains(stored.ciphertext()));
    assertThat(cipher.decrypt(stored, passwordContext(user)).reveal()).isEqualTo(CANARY);
  }

  @Test
  void aCiphertextCopiedIntoAnotherUsersRowFailsToDecrypt() {
    UserId alice = saveWithPassword(CANARY);
    UserId mallory = saveWithPassword("mallory's own password");

    int moved = Sql.exec(ds, """
        UPDATE user_integrations
           SET config = jsonb_set(config, '{password_encrypted}',
                 (SELECT config -> 'password_encrypted' FROM user_integrations WHERE user_id = ?))
         WHERE user_id = ?""", alice.value(), mallory.value());
    assertThat(moved).isEqualTo(1);

    EncryptedSecret copied = persistence.mqttRepository().find(mallory).orElseThrow().password().orElseThrow();
    assertThat(copied).isEqualTo(persistence.mqttRepository().find(alice).orElseThrow().password().orElseThrow());
    SecretUnreadableException e = catchThrowableOfType(SecretUnreadableException.class,
        () -> cipher.decrypt(copied, passwordContext(mallory)));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain(copied.ciphertext());
    assertThat(cipher.decrypt(copied, passwordContext(alice)).reveal()).isEqualTo(CANARY);
  }

  @Test
  void aCiphertextUsedForAnotherFieldFailsToDecrypt() {
    UserId alice = saveWithPassword(CANARY);
    EncryptedSecret stored = persistence.mqttRepository().find(alice).orElseThrow().password().orElseThrow();
    for (SecretContext other : List.of(new SecretContext(alice, Provider.MQTT, "access_token"),
        new SecretContext(alice, Provider.MQTT, "refresh_token"),
        new SecretContext(alice, Provider.GITHUB, "mqtt_password"))) {
      assertThat(catchThrowableOfType(SecretUnreadableException.class, () -> cipher.decrypt(stored, other)))
          .as("context %s", other).isNotNull();
    }
  }

  @Test
  void aFlippedBitInTheStoredCiphertextFailsToDecrypt() {
    UserId alice = saveWithPassword(CANARY);
    String stored = persistence.mqttRepository().find(alice).orElseThrow().password().orElseThrow().ciphertext();
    byte[] bytes = Base64.getDecoder().decode(stored);
    bytes[bytes.length / 2] ^= 0x40;
    Sql.exec(ds, "UPDATE user_integrations SET config = jsonb_set(config, '{password_encrypted}', to_jsonb(?::text))",
        Base64.getEncoder().encodeToString(bytes));
    EncryptedSecret tampered = persistence.mqttRepository().find(alice).orElseThrow().password().orElseThrow();
    assertThat(tampered.ciphertext()).isNotEqualTo(stored);
    assertThat(catchThrowableOfType(SecretUnreadableException.class,
        () -> cipher.decrypt(tampered, passwordContext(alice)))).isNotNull();
  }
}
