package com.nexflux.integrations.app.mqtt;

import com.nexflux.integrations.app.provider.Environment;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.MqttBrokerProbe;
import com.nexflux.integrations.core.mqtt.MqttDeviceSource;
import com.nexflux.integrations.core.mqtt.MqttIntegrationService;
import com.nexflux.integrations.core.mqtt.MqttIntegrations;
import com.nexflux.integrations.core.mqtt.MqttStatusSource;
import com.nexflux.integrations.core.mqtt.TestRateLimiter;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.http.mqtt.MqttRoutes;
import com.nexflux.integrations.providers.mqtt.HiveMqBrokerProbe;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** MQTT: the user's own broker, a settings form tested before and after saving. Always available. */
public final class MqttModule implements ProviderModule {
  /** MQTT's descriptor. */
  public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(Provider.MQTT, "MQTT",
      List.of(ConnectionMethod.SETTINGS_FORM), Set.of(Capability.DEVICES));

  private final BrokerUrl defaultBroker;
  private final Duration testTimeout;
  private final int testsPerMinute;
  private final MqttBrokerProbe probe;

  /**
   * @param defaultBroker the broker for users without their own, or {@code null}
   * @param probe the broker probe, or {@code null} for the HiveMQ-based one (owned and closed with the facade)
   */
  public MqttModule(BrokerUrl defaultBroker, Duration testTimeout, int testsPerMinute, MqttBrokerProbe probe) {
    this.defaultBroker = defaultBroker;
    this.testTimeout = Objects.requireNonNull(testTimeout, "testTimeout");
    this.testsPerMinute = testsPerMinute;
    this.probe = probe;
  }

  /** The bound on a whole connection test when {@code MQTT_TEST_TIMEOUT_MS} is unset. */
  public static final Duration DEFAULT_TEST_TIMEOUT = Duration.ofSeconds(5);
  /** Connection tests per user per minute when {@code MQTT_TEST_RATE_LIMIT_PER_MINUTE} is unset. */
  public static final int DEFAULT_TESTS_PER_MINUTE = 10;

  /**
   * MQTT's variables: {@code DEFAULT_MQTT_BROKER_URL} (optional, the broker for users without their own),
   * {@code MQTT_TEST_TIMEOUT_MS} (100-120000, default 5000) and {@code MQTT_TEST_RATE_LIMIT_PER_MINUTE} (default 10).
   */
  public static MqttModule fromEnvironment(Environment env) {
    BrokerUrl broker = null;
    String url = env.text("DEFAULT_MQTT_BROKER_URL");
    if (url != null) {
      BrokerUrl.Result r = BrokerUrl.parse("DEFAULT_MQTT_BROKER_URL", url.trim());
      if (r.error() != null) {
        env.problem("DEFAULT_MQTT_BROKER_URL must be an MQTT broker URL (mqtt://, mqtts://, ws:// or wss://)");
      } else {
        broker = r.url();
      }
    }
    int timeoutMs = env.integer("MQTT_TEST_TIMEOUT_MS", (int) DEFAULT_TEST_TIMEOUT.toMillis(), 100, 120_000);
    int perMinute = env.integer("MQTT_TEST_RATE_LIMIT_PER_MINUTE", DEFAULT_TESTS_PER_MINUTE, 1, 100_000);
    return new MqttModule(broker, Duration.ofMillis(timeoutMs), perMinute, null);
  }

  /** @return the broker for users without their own, or {@code null} */
  public BrokerUrl defaultBroker() {
    return defaultBroker;
  }

  /** @return the bound on a whole connection test */
  public Duration testTimeout() {
    return testTimeout;
  }

  /** @return connection tests allowed per user per minute */
  public int testsPerMinute() {
    return testsPerMinute;
  }

  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
    ProviderSlice.Builder slice = ProviderSlice.builder();
    MqttBrokerProbe p = probe;
    if (p == null) {
      HiveMqBrokerProbe owned = new HiveMqBrokerProbe();
      slice.closeable(owned);
      p = owned;
    }
    var persistence = shared.persistence();
    MqttIntegrationService service = new MqttIntegrationService(persistence.mqttRepository(), persistence.auditLog(),
        shared.cipher(), p, shared.guard(),
        new TestRateLimiter(testsPerMinute, Duration.ofMinutes(1), shared.clock()), shared.clock(),
        shared.blocking(), testTimeout, defaultBroker);
    return slice.status(new MqttStatusSource(persistence.mqttRepository()))
        .devices(new MqttDeviceSource(persistence.mqttRepository()))
        .routes(new MqttRoutes(service))
        .useCase(MqttIntegrations.class, service)
        .build();
  }
}
