package com.nexflux.integrations.providers.mqtt;

import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.CANARY_PASSWORD;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.CANARY_USER;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertConnected;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertFailed;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.probe;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.providers.testing.BrokerCredentials;
import com.nexflux.integrations.providers.testing.EmbeddedHiveMqBroker;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probe against an in-process HiveMQ CE broker that wants a user name and password. */
class HiveMqBrokerProbeAuthTest {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-Pw";
  private static EmbeddedHiveMqBroker broker;
  private static HiveMqBrokerProbe probe;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedHiveMqBroker.start(Optional.of(new BrokerCredentials(USER, PASSWORD)));
    probe = new HiveMqBrokerProbe(Duration.ofMillis(300));
  }

  @AfterAll
  static void stopBroker() {
    if (probe != null) {
      probe.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void connectsWithTheRightPasswordOverTcp() {
    var result = probe(probe, "mqtt://127.0.0.1:" + broker.tcpPort(), broker.tcpPort(), USER, PASSWORD);

    assertThat(assertConnected(result).brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_5);
  }

  @Test
  void connectsWithTheRightPasswordOverWebSocket() {
    var result = probe(probe, "ws://127.0.0.1:" + broker.wsPort() + "/mqtt", broker.wsPort(), USER, PASSWORD);

    assertThat(assertConnected(result).brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_5);
  }

  @Test
  void aWrongPasswordIsAuthFailedAndNeverEchoed() {
    var result = probe(probe, "mqtt://127.0.0.1:" + broker.tcpPort(), broker.tcpPort(), USER, CANARY_PASSWORD);

    var failed = assertFailed(result);
    assertThat(failed.code()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
    assertThat(failed.message()).doesNotContain(USER).contains("password");
  }

  @Test
  void anUnknownUserIsAuthFailedAndNeverEchoed() {
    var result = probe(probe, "ws://127.0.0.1:" + broker.wsPort() + "/mqtt", broker.wsPort(), CANARY_USER,
        CANARY_PASSWORD);

    assertThat(assertFailed(result).code()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
  }

  @Test
  void noCredentialsIsAuthFailedAndSaysSo() {
    var result = probe(probe, "mqtt://127.0.0.1:" + broker.tcpPort(), broker.tcpPort(), null, null);

    var failed = assertFailed(result);
    assertThat(failed.code()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
    assertThat(failed.message()).contains("requires a user name and password");
  }
}
