package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.MqttSettings;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** Test data. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-01-15T10:30:00.123456Z");

  private Fixtures() {}

  static UserId provisionedUser(DataSource ds) {
    UserId user = new UserId(UUID.randomUUID());
    new JdbiUserDirectory(ds).provision(user);
    return user;
  }

  static BrokerUrl url(String text) {
    return BrokerUrl.parse("broker_url", text).url();
  }

  static MqttSettings withAuth(String url, String username) {
    return new MqttSettings(true, url(url), true, username, "device-01", "nexflux/device");
  }

  static MqttSettings withoutAuth(String url) {
    return new MqttSettings(true, url(url), false, null, "device-02", "lab/room-1");
  }

  static MqttIntegration integration(UserId user, Instant at) {
    return MqttIntegration.create(user, withAuth("wss://broker.example.com:8884/mqtt", "user123"),
        new EncryptedSecret("c2VjcmV0LWNpcGhlcnRleHQ="), at);
  }

  static SecretContext passwordContext(UserId user) {
    return new SecretContext(user, Provider.MQTT, "mqtt_password");
  }

  static AuditEvent event(UserId user, String action, Instant at) {
    return new AuditEvent(UUID.randomUUID(), user, Provider.MQTT, action, AuditEvent.Outcome.SUCCESS, null,
        new RequestContext("req-" + UUID.randomUUID(), "203.0.113.7", "test-agent/1.0"), at,
        Map.of("broker_host", "broker.example.com"));
  }

  static AuditEvent event(UserId user, String action) {
    return event(user, action, T0);
  }
}
