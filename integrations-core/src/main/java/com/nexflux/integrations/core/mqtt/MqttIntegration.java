package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's stored MQTT integration: settings, the encrypted password, and what the last test found.
 * Created with {@link #create}, read back with {@link #restore}.
 */
public final class MqttIntegration {
  private final UserId userId;
  private final MqttSettings settings;
  private final EncryptedSecret password;
  private final Instant connectedAt;
  private final Instant updatedAt;
  private final long version;
  private final TestRecord lastTest;
  private final Instant lastConnectedAt;

  private MqttIntegration(UserId userId, MqttSettings settings, EncryptedSecret password, Instant connectedAt,
      Instant updatedAt, long version, TestRecord lastTest, Instant lastConnectedAt) {
    this.userId = Objects.requireNonNull(userId, "userId");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.password = password;
    this.connectedAt = Objects.requireNonNull(connectedAt, "connectedAt");
    this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
    this.version = version;
    this.lastTest = lastTest;
    this.lastConnectedAt = lastConnectedAt;
    if (password != null && !settings.useAuthentication()) {
      throw new IllegalArgumentException("a password needs use_authentication");
    }
  }

  /**
   * A first save. The version starts from the clock, so a test that was running when an earlier integration
   * was deleted cannot be recorded against this one.
   */
  public static MqttIntegration create(UserId userId, MqttSettings settings, EncryptedSecret password, Instant now) {
    return new MqttIntegration(userId, settings, password, now, now, Math.max(1, now.toEpochMilli()), null, null);
  }

  /** Reconstitutes a stored integration (for repositories only). */
  public static MqttIntegration restore(UserId userId, MqttSettings settings, EncryptedSecret password,
      Instant connectedAt, Instant updatedAt, long version, TestRecord lastTest, Instant lastConnectedAt) {
    return new MqttIntegration(userId, settings, password, connectedAt, updatedAt, version, lastTest,
        lastConnectedAt);
  }

  /**
   * Applies a new save. The last test is forgotten when anything the connection depends on changed
   * (URL, authentication, password), so the status goes back to {@code untested}.
   */
  public MqttIntegration update(MqttSettings newSettings, EncryptedSecret newPassword, boolean passwordChanged,
      Instant now) {
    boolean connectionChanged = passwordChanged
        || !newSettings.brokerUrl().text().equals(settings.brokerUrl().text())
        || newSettings.useAuthentication() != settings.useAuthentication()
        || !Objects.equals(newSettings.username(), settings.username())
        || !Objects.equals(newPassword, password);
    return new MqttIntegration(userId, newSettings, newPassword, connectedAt, now, version + 1,
        connectionChanged ? null : lastTest, lastConnectedAt);
  }

  /** Records a test of these saved settings. */
  public MqttIntegration withTest(TestRecord test) {
    return new MqttIntegration(userId, settings, password, connectedAt, updatedAt, version, test,
        test.success() ? test.at() : lastConnectedAt);
  }

  /** @return the status the API shows */
  public MqttStatus status() {
    if (!settings.enabled()) {
      return MqttStatus.DISABLED;
    }
    if (lastTest == null) {
      return MqttStatus.UNTESTED;
    }
    return lastTest.success() ? MqttStatus.CONNECTED : MqttStatus.ERROR;
  }

  public UserId userId() {
    return userId;
  }

  public MqttSettings settings() {
    return settings;
  }

  /** @return the encrypted password, if one is stored */
  public Optional<EncryptedSecret> password() {
    return Optional.ofNullable(password);
  }

  /** @return when the integration was first saved */
  public Instant connectedAt() {
    return connectedAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  /** @return a counter that grows with every save; a test result is only recorded for the version it tested */
  public long version() {
    return version;
  }

  public Optional<TestRecord> lastTest() {
    return Optional.ofNullable(lastTest);
  }

  public Optional<Instant> lastConnectedAt() {
    return Optional.ofNullable(lastConnectedAt);
  }

  @Override
  public String toString() {
    return "MqttIntegration[user=" + userId + ", broker=" + settings.brokerUrl() + ", version=" + version + "]";
  }
}
