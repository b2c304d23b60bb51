package com.nexflux.integrations.providers.mqtt;

import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.CANARY_PASSWORD;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertConnected;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertFailed;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.probe;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.providers.testing.BrokerCredentials;
import com.nexflux.integrations.providers.testing.Mosquitto;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probe against real mosquitto brokers (Debian's package): one anonymous, one with a password file. */
class HiveMqBrokerProbeMosquittoTest {
  private static final String USER = "bob";
  private static final String PASSWORD = "m0squitto-Pw";
  private static Mosquitto open;
  private static Mosquitto locked;
  private static HiveMqBrokerProbe probe;

  @BeforeAll
  static void startBrokers() {
    open = Mosquitto.start();
    locked = Mosquitto.start(Optional.of(new BrokerCredentials(USER, PASSWORD)));
    probe = new HiveMqBrokerProbe(); // the default version wait: mosquitto answers at once
  }

  @AfterAll
  static void stopBrokers() {
    if (probe != null) {
      probe.close();
    }
    if (open != null) {
      open.close();
    }
    if (locked != null) {
      locked.close();
    }
  }

  @Test
  void readsTheVersionMosquittoPublishesOnSys() {
    String expected = "mosquitto/" + Mosquitto.installedVersion();

    var result = probe(probe, "mqtt://127.0.0.1:" + open.port(), open.port(), null, null);

    var connected = assertConnected(result);
    assertThat(connected.brokerInfo().version()).as("mosquitto log:%n%s", open.log()).isEqualTo(expected);
    assertThat(connected.brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_5);
  }

  @Test
  void connectsWithTheRightPassword() {
    var result = probe(probe, "mqtt://127.0.0.1:" + locked.port(), locked.port(), USER, PASSWORD);

    var connected = assertConnected(result);
    assertThat(connected.brokerInfo().version()).isEqualTo("mosquitto/" + Mosquitto.installedVersion());
  }

  @Test
  void aWrongPasswordIsAuthFailed() {
    var result = probe(probe, "mqtt://127.0.0.1:" + locked.port(), locked.port(), USER, CANARY_PASSWORD);

    var failed = assertFailed(result);
    assertThat(failed.code()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
    assertThat(failed.message()).doesNotContain(USER);
  }

  @Test
  void anonymousOnAPasswordBrokerIsAuthFailed() {
    var result = probe(probe, "mqtt://127.0.0.1:" + locked.port(), locked.port(), null, null);

    assertThat(assertFailed(result).code()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
  }

  /**
   * mosquitto's MQTT listener reads the HTTP upgrade request ({@code GET ...}, first byte 0x47) as a malformed MQTT
   * packet and drops the connection with a TCP reset before any HTTP answer. The client sees
   * {@code ConnectionFailedException <- SocketException: Connection reset}, not a {@code WebSocketHandshakeException},
   * so the code is NETWORK_ERROR; the message still tells the student to try mqtt://.
   */
  @Test
  void webSocketToAPlainMqttPortIsANetworkErrorThatSuggestsMqttScheme() {
    var result = probe(probe, "ws://127.0.0.1:" + open.port() + "/mqtt", open.port(), null, null);

    var failed = assertFailed(result);
    assertThat(failed.code()).isEqualTo(ProbeErrorCode.NETWORK_ERROR);
    assertThat(failed.message()).contains("use mqtt:// instead of ws://");
  }
}
