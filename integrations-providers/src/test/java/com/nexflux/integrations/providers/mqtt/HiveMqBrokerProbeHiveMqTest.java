package com.nexflux.integrations.providers.mqtt;

import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertConnected;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertFailed;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.probe;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.providers.testing.EmbeddedHiveMqBroker;
import com.nexflux.integrations.providers.testing.FakeMqtt311Broker;
import com.nexflux.integrations.providers.testing.HiveMqClientThreads;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import com.nexflux.integrations.providers.testing.Mqtt5RefusingProxy;
import com.nexflux.integrations.providers.testing.ScriptedMqttListener;
import com.nexflux.integrations.providers.testing.SilentListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probe against an in-process HiveMQ CE broker that accepts every client (TCP and WebSocket). */
class HiveMqBrokerProbeHiveMqTest {
  private static EmbeddedHiveMqBroker broker;
  /** HiveMQ CE has no $SYS version topic: a short wait keeps these tests quick. */
  private static HiveMqBrokerProbe probe;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedHiveMqBroker.start();
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
  void connectsOverTcpWithMqtt5() {
    ConnectionTestResult result = probe(probe, "mqtt://127.0.0.1:" + broker.tcpPort(), broker.tcpPort(), null, null);

    ConnectionTestResult.Connected connected = assertConnected(result);
    assertThat(connected.brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_5);
    assertThat(connected.brokerInfo().version()).as("HiveMQ CE publishes no $SYS version").isNull();
  }

  @Test
  void connectsOverWebSocketWithMqtt5() {
    ConnectionTestResult result = probe(probe, "ws://127.0.0.1:" + broker.wsPort() + "/mqtt", broker.wsPort(),
        null, null);

    assertThat(assertConnected(result).brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_5);
  }

  @Test
  void webSocketWithoutPathUsesTheDefaultMqttPath() {
    ConnectionTestResult result = probe(probe, "ws://127.0.0.1:" + broker.wsPort(), broker.wsPort(), null, null);

    assertThat(assertConnected(result).brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_5);
  }

  /** HiveMQ does not answer an upgrade on a path it does not serve: the client's handshake timeout fires. */
  @Test
  void webSocketOnAWrongPathFailsTheHandshake() {
    ConnectionTestResult result = ProbeTestSupport.await(probe.probe(
        ProbeTestSupport.url("ws://127.0.0.1:" + broker.wsPort() + "/nope"), ProbeTestSupport.target(broker.wsPort()),
        null, null, Duration.ofMillis(1500)));

    ConnectionTestResult.Failed failed = assertFailed(result);
    assertThat(failed.code()).isEqualTo(ProbeErrorCode.WEBSOCKET_HANDSHAKE_FAILED);
    assertThat(failed.message()).contains("/nope");
  }

  /**
   * HiveMQ's WebSocket listener (Netty's HTTP decoder) waits for a complete request line, which an MQTT CONNECT
   * never contains, so it stays silent: the probe reports the missing CONNACK and suggests ws://. (Servers that
   * answer at once, like nginx or mosquitto's libwebsockets, give NOT_MQTT_ENDPOINT; see the local-server tests.)
   */
  @Test
  void plainMqttOnTheWebSocketPortIsAConnAckTimeoutThatSuggestsWs() {
    var failed = assertFailed(ProbeTestSupport.await(probe.probe(
        ProbeTestSupport.url("mqtt://127.0.0.1:" + broker.wsPort()), ProbeTestSupport.target(broker.wsPort()),
        null, null, Duration.ofMillis(1500))));

    assertThat(failed.code()).isEqualTo(ProbeErrorCode.CONNACK_TIMEOUT);
    assertThat(failed.message()).contains("use ws:// or wss:// instead of mqtt://");
  }

  /** A proxy that closes every MQTT 5 CONNECT in front of the real broker: the 3.1.1 retry reaches HiveMQ. */
  @Test
  void fallsBackTo311ThroughAProxyThatClosesMqtt5() {
    try (Mqtt5RefusingProxy proxy = Mqtt5RefusingProxy.start(broker.tcpPort(), ScriptedMqttListener.Reply.CLOSE)) {
      ConnectionTestResult result = probe(probe, "mqtt://127.0.0.1:" + proxy.port(), proxy.port(), null, null);

      assertThat(assertConnected(result).brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_3_1_1);
      assertThat(proxy.protocolLevels()).containsExactly(5, 4);
    }
  }

  @Test
  void leavesALiveDeviceWithTheSameBrokerConnected() throws Exception {
    AtomicInteger disconnects = new AtomicInteger();
    Mqtt5AsyncClient device = MqttClient.builder().useMqttVersion5()
        .identifier("device-01")
        .serverHost(LoopbackPorts.loopback())
        .serverPort(broker.tcpPort())
        .addDisconnectedListener(context -> disconnects.incrementAndGet())
        .buildAsync();
    device.connect().get(10, TimeUnit.SECONDS);
    try {
      ConnectionTestResult result = probe(probe, "mqtt://127.0.0.1:" + broker.tcpPort(), broker.tcpPort(),
          null, null);
      assertConnected(result);
      // a probe that reused the id would have taken over the session (MQTT-3.1.4-2) and kicked the device off
      Thread.sleep(300);
      assertThat(device.getState().isConnected()).isTrue();
      assertThat(disconnects).hasValue(0);
    } finally {
      device.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void leavesNoClientThreadsBehind() {
    List<CompletableFuture<ConnectionTestResult>> probes = new ArrayList<>();
    try (SilentListener silent = new SilentListener(); FakeMqtt311Broker old = FakeMqtt311Broker.start()) {
      for (int i = 0; i < 3; i++) {
        probes.add(probe.probe(ProbeTestSupport.url("mqtt://127.0.0.1:" + broker.tcpPort()),
            ProbeTestSupport.target(broker.tcpPort()), null, null, ProbeTestSupport.TIMEOUT));
        probes.add(probe.probe(ProbeTestSupport.url("ws://127.0.0.1:" + broker.wsPort() + "/mqtt"),
            ProbeTestSupport.target(broker.wsPort()), null, null, ProbeTestSupport.TIMEOUT));
      }
      probes.add(probe.probe(ProbeTestSupport.url("mqtt://127.0.0.1:" + old.port()),
          ProbeTestSupport.target(old.port()), null, null, ProbeTestSupport.TIMEOUT));
      int closed = LoopbackPorts.closedPort();
      probes.add(probe.probe(ProbeTestSupport.url("mqtt://127.0.0.1:" + closed),
          ProbeTestSupport.target(closed), null, null, ProbeTestSupport.TIMEOUT));
      probes.add(probe.probe(ProbeTestSupport.url("mqtt://127.0.0.1:" + silent.port()),
          ProbeTestSupport.target(silent.port()), null, null, Duration.ofMillis(1000)));
      probes.forEach(ProbeTestSupport::await);
    }

    assertThat(HiveMqClientThreads.awaitNone(Duration.ofSeconds(10)))
        .as("live %s* threads 10 s after the last probe", HiveMqClientThreads.PREFIX)
        .isZero();
  }
}
