package com.nexflux.integrations.providers.mqtt;

import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.CANARY_PASSWORD;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.CANARY_USER;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertConnected;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertFailed;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.await;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.probe;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.target;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.url;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.ACCEPT_311;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.CLOSE;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.CONNACK_311_NOT_AUTHORIZED;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.CONNACK_311_UNACCEPTABLE_VERSION;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.CONNACK_5_NOT_AUTHORIZED;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.CONNACK_5_SHAPED_CODE_1;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.HTTP_400;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.HTTP_400_SHORT;
import static com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply.SILENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.providers.testing.Mosquitto;
import com.nexflux.integrations.providers.testing.Mqtt5RefusingProxy;
import com.nexflux.integrations.providers.testing.MqttWire;
import com.nexflux.integrations.providers.testing.ScriptedMqttListener;
import com.nexflux.integrations.providers.testing.ScriptedMqttListener.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the probe makes of what the other side actually did with its CONNECT, checked against raw-socket servers
 * ({@link ScriptedMqttListener}) that also record what they saw, and against a real mosquitto behind a proxy
 * ({@link Mqtt5RefusingProxy}) that refuses MQTT 5 the way old brokers do.
 */
class HiveMqBrokerProbeFallbackTest {
  private static HiveMqBrokerProbe probe;
  /** For the scripted servers, which publish no $SYS version: a short wait keeps these tests quick. */
  private static HiveMqBrokerProbe quick;
  private static Mosquitto mosquitto;

  @BeforeAll
  static void start() {
    probe = new HiveMqBrokerProbe(); // the default version wait: mosquitto answers $SYS at once
    quick = new HiveMqBrokerProbe(Duration.ofMillis(300));
    mosquitto = Mosquitto.start();
  }

  @AfterAll
  static void stop() {
    if (probe != null) {
      probe.close();
    }
    if (quick != null) {
      quick.close();
    }
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  /**
   * Every form in which a broker that only knows MQTT 3.1.1 refuses an MQTT 5 CONNECT leads to a 3.1.1 attempt
   * with the same credentials, and the test succeeds with protocol 3.1.1.
   */
  @ParameterizedTest
  @EnumSource(names = {"CONNACK_311_UNACCEPTABLE_VERSION", "CONNACK_5_SHAPED_CODE_1", "CONNACK_MALFORMED", "CLOSE",
      "RESET", "CONNACK_5_UNSUPPORTED_VERSION"})
  void everyFormOfRefusingMqtt5FallsBackTo311(Reply refusal) {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(refusal, ACCEPT_311)) {
      var result = probe(quick, "mqtt://127.0.0.1:" + server.port(), server.port(), CANARY_USER, CANARY_PASSWORD);

      var connected = assertConnected(result);
      assertThat(connected.brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_3_1_1);
      assertThat(connected.brokerInfo().version()).as("the scripted server publishes no $SYS version").isNull();
      assertThat(server.protocolLevels()).as("an MQTT 5 CONNECT, then an MQTT 3.1.1 CONNECT").containsExactly(5, 4);
      assertThat(server.connects()).as("both carry the credentials")
          .allSatisfy(c -> assertThat(c.userName() && c.password()).isTrue());
    }
  }

  /** The same forms from a proxy in front of a real mosquitto: the 3.1.1 attempt reaches it and reads its version. */
  @ParameterizedTest
  @EnumSource(names = {"CONNACK_311_UNACCEPTABLE_VERSION", "CONNACK_5_SHAPED_CODE_1", "CONNACK_MALFORMED", "CLOSE",
      "RESET"})
  void everyFormOfRefusingMqtt5FallsBackTo311OnARealMosquitto(Reply refusal) {
    try (Mqtt5RefusingProxy proxy = Mqtt5RefusingProxy.start(mosquitto.port(), refusal)) {
      var result = probe(probe, "mqtt://127.0.0.1:" + proxy.port(), proxy.port(), null, null);

      var connected = assertConnected(result);
      assertThat(connected.brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_3_1_1);
      assertThat(connected.brokerInfo().version()).as("mosquitto log:%n%s", mosquitto.log())
          .isEqualTo("mosquitto/" + Mosquitto.installedVersion());
      assertThat(proxy.protocolLevels()).containsExactly(5, 4);
    }
  }

  /**
   * nginx answers the CONNECT's first byte (0x10, no method character) with a 400 page at once. The client reads
   * the {@code 'H'} as a packet header and fails to decode it: NOT_MQTT_ENDPOINT, said to be HTTP, and no 3.1.1
   * attempt, which could not fix it.
   */
  @Test
  void anHttpServerAnsweringAtOnceIsNotAnMqttEndpointThatSpeaksHttp() {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(HTTP_400, HTTP_400)) {
      var failed = assertFailed(probe(probe, "mqtt://127.0.0.1:" + server.port(), server.port(), CANARY_USER,
          CANARY_PASSWORD));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.NOT_MQTT_ENDPOINT);
      assertThat(failed.message()).contains("127.0.0.1:" + server.port()).contains("speaks HTTP, not MQTT")
          .contains("use ws:// or wss:// instead of mqtt://");
      assertThat(server.protocolLevels()).as("no MQTT 3.1.1 attempt").containsExactly(5);
      assertThat(server.acceptedCount()).isEqualTo(1);
    }
  }

  /**
   * A header-only HTTP answer is shorter than what the client waits for before decoding, so the client only sees
   * a close, for MQTT 5 and for the 3.1.1 retry. The probe then checks once without the MQTT client (a bare 3.1.1
   * CONNECT without credentials) and finds the HTTP status line: NOT_MQTT_ENDPOINT, not CLOSED_BY_BROKER.
   */
  @Test
  void aShortHttpAnswerIsNotAnMqttEndpointThatSpeaksHttpNotClosedByBroker() {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(HTTP_400_SHORT, HTTP_400_SHORT)) {
      var failed = assertFailed(probe(probe, "mqtt://127.0.0.1:" + server.port(), server.port(), CANARY_USER,
          CANARY_PASSWORD));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.NOT_MQTT_ENDPOINT);
      assertThat(failed.message()).contains("speaks HTTP, not MQTT");
      assertThat(server.protocolLevels()).as("MQTT 5, the 3.1.1 retry, the HTTP check").containsExactly(5, 4, 4);
      MqttWire.Connect check = server.connects().get(2);
      assertThat(check.userName() || check.password()).as("the HTTP check sends no credentials").isFalse();
      assertThat(check.clientId()).matches("nexflux-probe-[0-9a-f]{9}");
    }
  }

  /** A server that closes every CONNECT is still CLOSED_BY_BROKER: the HTTP check finds no HTTP. */
  @Test
  void aServerClosingEveryConnectIsClosedByBroker() {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(CLOSE, CLOSE)) {
      var failed = assertFailed(probe(probe, "mqtt://127.0.0.1:" + server.port(), server.port(), CANARY_USER,
          CANARY_PASSWORD));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.CLOSED_BY_BROKER);
      assertThat(server.protocolLevels()).as("MQTT 5, the 3.1.1 retry, the HTTP check").containsExactly(5, 4, 4);
    }
  }

  @Test
  void aBrokerRefusingBothVersionsIsProtocolUnsupported() {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(CONNACK_311_UNACCEPTABLE_VERSION,
        CONNACK_311_UNACCEPTABLE_VERSION)) {
      var failed = assertFailed(probe(probe, "mqtt://127.0.0.1:" + server.port(), server.port(), null, null));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.PROTOCOL_UNSUPPORTED);
      assertThat(server.protocolLevels()).containsExactly(5, 4);
    }
  }

  /**
   * An old broker that checks the password before the version answers MQTT 5 with a 2-byte CONNACK "not
   * authorized", which the MQTT 5 client cannot decode: the 3.1.1 retry gets the same answer, now readable.
   */
  @Test
  void anOldBrokerRefusingThePasswordIsAuthFailedAfterTheFallback() {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(CONNACK_311_NOT_AUTHORIZED,
        CONNACK_311_NOT_AUTHORIZED)) {
      var failed = assertFailed(probe(probe, "mqtt://127.0.0.1:" + server.port(), server.port(), CANARY_USER,
          CANARY_PASSWORD));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
      assertThat(server.protocolLevels()).containsExactly(5, 4);
    }
  }

  /** An MQTT 5 "not authorized" is an answer 3.1.1 cannot change: no retry. */
  @Test
  void anAuthenticationFailureDoesNotFallBack() {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(CONNACK_5_NOT_AUTHORIZED, ACCEPT_311)) {
      var failed = assertFailed(probe(probe, "mqtt://127.0.0.1:" + server.port(), server.port(), CANARY_USER,
          CANARY_PASSWORD));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
      assertThat(server.protocolLevels()).as("only the MQTT 5 CONNECT").containsExactly(5);
      assertThat(server.acceptedCount()).isEqualTo(1);
    }
  }

  /** No CONNACK within the time: no retry (a 3.1.1 server would have answered the MQTT 5 CONNECT too). */
  @Test
  void aConnAckTimeoutDoesNotFallBack() {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(SILENT, ACCEPT_311)) {
      var failed = assertFailed(await(probe.probe(url("mqtt://127.0.0.1:" + server.port()), target(server.port()),
          CANARY_USER, Secret.of(CANARY_PASSWORD), Duration.ofMillis(1500))));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.CONNACK_TIMEOUT);
      assertThat(server.protocolLevels()).containsExactly(5);
      assertThat(server.acceptedCount()).isEqualTo(1);
    }
  }

  /**
   * A TLS failure: the server answers the ClientHello with the bytes that, over plain TCP, make the probe retry
   * with 3.1.1. Over TLS they are no TLS record: TLS_ERROR, one connection, no retry.
   */
  @Test
  void aTlsFailureDoesNotFallBack() {
    try (ScriptedMqttListener server = ScriptedMqttListener.start(CONNACK_5_SHAPED_CODE_1, ACCEPT_311)) {
      var failed = assertFailed(probe(probe, "mqtts://127.0.0.1:" + server.port(), server.port(), CANARY_USER,
          CANARY_PASSWORD));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.TLS_ERROR);
      assertThat(server.acceptedCount()).isEqualTo(1);
      assertThat(server.otherCount()).as("a ClientHello, no CONNECT").isEqualTo(1);
      assertThat(server.connects()).isEmpty();
    }
  }
}
