package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.TestRecord;
import com.nexflux.integrations.core.mqtt.MqttIntegrationRepository;
import com.nexflux.integrations.persistence.internal.AuditRows;
import com.nexflux.integrations.persistence.internal.Db;
import com.nexflux.integrations.persistence.internal.Jsonb;
import com.nexflux.integrations.persistence.internal.MqttRows;
import com.nexflux.integrations.persistence.internal.Timestamps;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link MqttIntegrationRepository} on the spec's {@code user_integrations} table (one row per user with
 * {@code provider = 'mqtt'}).
 *
 * <p>Row layout: {@code enabled} column; {@code config} JSONB with exactly {@code broker_url, username,
 * password_encrypted, use_authentication, device_id, topic_prefix} ({@code password_encrypted} is the
 * {@link com.nexflux.integrations.core.domain.EncryptedSecret} text, JSON null when none); {@code metadata} JSONB
 * with {@code version}, {@code last_test {at, success, error_code}} and {@code last_connected_at} (the aggregate's
 * last successful test; the spec table has no column for it). {@code connected_at} and {@code created_at} are set
 * on the first save and kept by later saves, as is the row id; {@code updated_at} follows the aggregate;
 * {@code last_used_at} is the time of the last recorded test, whatever its outcome. Timestamps are UTC wall-clock
 * time (see the package documentation).
 *
 * <p>Each write stores its audit event in the same transaction. Every failure, including a database that is down
 * or a missing {@code users} row, surfaces as {@link com.nexflux.integrations.core.error.UnavailableException}.
 */
public final class JdbiMqttIntegrationRepository implements MqttIntegrationRepository {
  private static final String FIND = """
      SELECT enabled, config::text AS config, metadata::text AS metadata,
             timezone('UTC', COALESCE(connected_at, created_at, updated_at)) AS connected_at,
             timezone('UTC', COALESCE(updated_at, connected_at, created_at)) AS updated_at
        FROM user_integrations
       WHERE user_id = :user_id AND provider = 'mqtt'
      """;

  private static final String UPSERT = """
      INSERT INTO user_integrations
        (user_id, provider, enabled, config, metadata, connected_at, last_used_at, created_at, updated_at)
      VALUES
        (:user_id, 'mqtt', :enabled, :config, :metadata,
         timezone('UTC', CAST(:connected_at AS timestamptz)),
         timezone('UTC', CAST(:last_used_at AS timestamptz)),
         timezone('UTC', CAST(:connected_at AS timestamptz)),
         timezone('UTC', CAST(:updated_at AS timestamptz)))
      ON CONFLICT (user_id, provider) DO UPDATE
         SET enabled = EXCLUDED.enabled,
             config = EXCLUDED.config,
             metadata = EXCLUDED.metadata,
             updated_at = EXCLUDED.updated_at
      """;

  private static final String DELETE = """
      DELETE FROM user_integrations WHERE user_id = :user_id AND provider = 'mqtt'
      """;

  private static final String RECORD_TEST = """
      UPDATE user_integrations
         SET metadata = COALESCE(metadata, '{}'::jsonb) || :patch,
             last_used_at = timezone('UTC', CAST(:at AS timestamptz))
       WHERE user_id = :user_id AND provider = 'mqtt' AND metadata ->> 'version' = :version
      """;

  private final Jdbi jdbi;

  /** @param dataSource the database (a private JDBI is made on it; {@link PostgresPersistence} shares one) */
  public JdbiMqttIntegrationRepository(DataSource dataSource) {
    this(Db.jdbi(dataSource));
  }

  JdbiMqttIntegrationRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails or the stored row
   *     cannot be read back
   */
  @Override
  public Optional<MqttIntegration> find(UserId userId) {
    Objects.requireNonNull(userId, "userId");
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(FIND)
        .bind("user_id", userId.value())
        .map((rs, ctx) -> MqttRows.restore(userId, (Boolean) rs.getObject("enabled"), rs.getString("config"),
            rs.getString("metadata"), Timestamps.read(rs, "connected_at"), Timestamps.read(rs, "updated_at")))
        .findOne()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails (nothing is stored)
   */
  @Override
  public void save(MqttIntegration integration, AuditEvent audit) {
    Objects.requireNonNull(integration, "integration");
    Objects.requireNonNull(audit, "audit");
    Db.run(() -> jdbi.useTransaction(h -> {
      h.createUpdate(UPSERT)
          .bind("user_id", integration.userId().value())
          .bind("enabled", integration.settings().enabled())
          .bind("config", Jsonb.bind(MqttRows.config(integration)))
          .bind("metadata", Jsonb.bind(MqttRows.metadata(integration)))
          .bind("connected_at", Timestamps.bind(integration.connectedAt()))
          .bind("last_used_at", Timestamps.bind(integration.lastTest().map(TestRecord::at).orElse(null)))
          .bind("updated_at", Timestamps.bind(integration.updatedAt()))
          .execute();
      AuditRows.insert(h, audit);
    }));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails (nothing is deleted)
   */
  @Override
  public boolean delete(UserId userId, AuditEvent audit) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(audit, "audit");
    return Db.call(() -> jdbi.inTransaction(h -> {
      int deleted = h.createUpdate(DELETE).bind("user_id", userId.value()).execute();
      AuditRows.insert(h, audit);
      return deleted > 0;
    }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The version check is {@code metadata->>'version' = expectedVersion} in the {@code UPDATE} itself, so a save
   * that commits meanwhile makes it match no row. A stale result writes neither the test nor the audit row.
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails (nothing is written)
   */
  @Override
  public boolean recordTest(UserId userId, long expectedVersion, TestRecord test, AuditEvent audit) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(audit, "audit");
    return Db.call(() -> jdbi.inTransaction(h -> {
      int updated = h.createUpdate(RECORD_TEST)
          .bind("patch", Jsonb.bind(MqttRows.testPatch(test)))
          .bind("at", Timestamps.bind(test.at()))
          .bind("user_id", userId.value())
          .bind("version", Long.toString(expectedVersion))
          .execute();
      if (updated == 0) {
        return false;
      }
      AuditRows.insert(h, audit);
      return true;
    }));
  }

  @Override
  public String toString() {
    return "JdbiMqttIntegrationRepository";
  }
}
