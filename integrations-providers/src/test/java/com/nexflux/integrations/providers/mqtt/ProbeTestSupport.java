package com.nexflux.integrations.providers.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.net.ResolvedTarget;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the probe tests. */
final class ProbeTestSupport {
  /** A password that must never show up in a message. */
  static final String CANARY_PASSWORD = "CANARY-pw-123";
  /** A user name that must never show up in a message. */
  static final String CANARY_USER = "canary-user-456";
  /** The timeout most tests give the probe. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private ProbeTestSupport() {}

  static BrokerUrl url(String text) {
    BrokerUrl.Result result = BrokerUrl.parse("broker_url", text);
    assertThat(result.error()).as("URL %s is valid", text).isNull();
    return result.url();
  }

  static ResolvedTarget target(int port) {
    return new ResolvedTarget("127.0.0.1", InetAddress.getLoopbackAddress(), port);
  }

  /** Waits (generously) for a probe; the probe bounds itself, this only keeps a broken test from hanging. */
  static ConnectionTestResult await(CompletableFuture<ConnectionTestResult> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the probe's future did not complete normally", e);
    }
  }

  static ConnectionTestResult probe(HiveMqBrokerProbe probe, String url, int port, String username,
      String password) {
    return await(probe.probe(url(url), target(port), username, password == null ? null : Secret.of(password),
        TIMEOUT));
  }

  static ConnectionTestResult.Connected assertConnected(ConnectionTestResult result) {
    assertThat(result).isInstanceOf(ConnectionTestResult.Connected.class);
    ConnectionTestResult.Connected connected = (ConnectionTestResult.Connected) result;
    assertThat(connected.connected()).isTrue();
    assertThat(connected.latencyMs()).isBetween(0L, TIMEOUT.toMillis());
    return connected;
  }

  static ConnectionTestResult.Failed assertFailed(ConnectionTestResult result) {
    assertThat(result).isInstanceOf(ConnectionTestResult.Failed.class);
    ConnectionTestResult.Failed failed = (ConnectionTestResult.Failed) result;
    assertThat(failed.connected()).isFalse();
    assertThat(failed.message()).isNotBlank()
        .doesNotContain(CANARY_PASSWORD)
        .doesNotContain(CANARY_USER);
    return failed;
  }
}
