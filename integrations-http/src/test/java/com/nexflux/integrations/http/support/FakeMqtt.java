package com.nexflux.integrations.http.support;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.EffectiveMqttSettings;
import com.nexflux.integrations.core.mqtt.MqttSettingsInput;
import com.nexflux.integrations.core.mqtt.MqttStatus;
import com.nexflux.integrations.core.mqtt.MqttView;
import com.nexflux.integrations.core.mqtt.MqttIntegrations;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/** In-memory double of the MQTT use cases; records what it was called with. */
public final class FakeMqtt implements MqttIntegrations {
  public static final MqttView NOT_CONFIGURED = new MqttView(false, false, null, null, false, null, null, null,
      MqttStatus.NOT_CONFIGURED, false, "ws://default.example:9001", null, null);

  public volatile MqttView view = NOT_CONFIGURED;
  /** Thrown by every call when set. */
  public volatile RuntimeException failure;
  public volatile Supplier<CompletableFuture<ConnectionTestResult>> testResult =
      () -> CompletableFuture.completedFuture(
          new ConnectionTestResult.Connected(45, new BrokerInfo("mosquitto/2.0.15", BrokerInfo.MQTT_5)));

  public volatile UserId lastUser;
  public volatile MqttSettingsInput lastInput;
  public volatile RequestContext lastContext;
  public volatile String lastCall;
  public volatile int deletes;
  /** Counted down when a test starts. */
  public final CountDownLatch testStarted = new CountDownLatch(1);

  @Override
  public MqttView get(UserId userId) {
    record("get", userId, null, null);
    return view;
  }

  @Override
  public MqttView put(UserId userId, MqttSettingsInput input, RequestContext context) {
    record("put", userId, input, context);
    return new MqttView(true, input.enabled() == null || input.enabled(), input.brokerUrl(), input.username(),
        Boolean.TRUE.equals(input.useAuthentication()), input.deviceId(), input.topicPrefix(), null,
        MqttStatus.UNTESTED, input.password() != null, null, null, null);
  }

  @Override
  public void delete(UserId userId, RequestContext context) {
    record("delete", userId, null, context);
    deletes++;
  }

  @Override
  public CompletableFuture<ConnectionTestResult> testSaved(UserId userId, RequestContext context) {
    record("testSaved", userId, null, context);
    testStarted.countDown();
    return testResult.get();
  }

  @Override
  public CompletableFuture<ConnectionTestResult> testUnsaved(UserId userId, MqttSettingsInput input,
      RequestContext context) {
    record("testUnsaved", userId, input, context);
    testStarted.countDown();
    return testResult.get();
  }

  @Override
  public EffectiveMqttSettings effectiveSettings(UserId userId) {
    throw new UnsupportedOperationException("not used by the HTTP adapter");
  }

  private void record(String call, UserId user, MqttSettingsInput input, RequestContext context) {
    lastCall = call;
    lastUser = user;
    lastInput = input;
    lastContext = context;
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }

  /** A saved, tested configuration. */
  public static MqttView connectedView() {
    return new MqttView(true, true, "ws://broker.example.com:9001", "user123", true, "device-01", "nexflux/device",
        Instant.parse("2026-01-15T10:30:00Z"), MqttStatus.CONNECTED, true, null,
        Instant.parse("2026-01-15T10:30:00Z"), null);
  }
}
