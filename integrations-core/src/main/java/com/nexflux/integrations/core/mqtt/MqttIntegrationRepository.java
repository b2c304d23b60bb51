package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.UserId;
import java.util.Optional;

/**
 * Stores MQTT integrations (SPI). Every write takes the audit event that describes it and stores both in one
 * transaction: there is never a change without its audit row, nor an audit row without its change. Failures
 * surface as {@link com.nexflux.integrations.core.error.UnavailableException}.
 */
public interface MqttIntegrationRepository {
  /** @return the user's integration, if saved */
  Optional<MqttIntegration> find(UserId userId);

  /** Inserts or replaces the user's integration, with its audit row. */
  void save(MqttIntegration integration, AuditEvent audit);

  /**
   * Deletes the user's integration, with its audit row (written even when nothing was stored).
   *
   * @return whether something was deleted
   */
  boolean delete(UserId userId, AuditEvent audit);

  /**
   * Records a test of the saved settings, with its audit row, if the stored version is still
   * {@code expectedVersion} (settings saved meanwhile make the result stale; it is then dropped).
   *
   * @return whether the result was recorded
   */
  boolean recordTest(UserId userId, long expectedVersion, TestRecord test, AuditEvent audit);
}
