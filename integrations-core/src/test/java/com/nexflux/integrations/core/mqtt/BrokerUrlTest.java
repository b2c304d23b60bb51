package com.nexflux.integrations.core.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BrokerUrlTest {

  static Stream<Arguments> validUrls() {
    return Stream.of(
        // input, scheme, host, port, path, query
        Arguments.of("ws://broker.example.com:9001", "ws", "broker.example.com", 9001, "/mqtt", ""),
        Arguments.of("ws://broker.example.com:9001/", "ws", "broker.example.com", 9001, "/mqtt", ""),
        Arguments.of("ws://broker.example.com", "ws", "broker.example.com", 80, "/mqtt", ""),
        Arguments.of("wss://broker.example.com", "wss", "broker.example.com", 443, "/mqtt", ""),
        Arguments.of("mqtt://broker.example.com", "mqtt", "broker.example.com", 1883, "", ""),
        Arguments.of("mqtt://broker.example.com:1883/", "mqtt", "broker.example.com", 1883, "", ""),
        Arguments.of("mqtts://broker.example.com", "mqtts", "broker.example.com", 8883, "", ""),
        Arguments.of("mqtts://broker.example.com:65535", "mqtts", "broker.example.com", 65535, "", ""),
        Arguments.of("mqtt://broker.example.com:1", "mqtt", "broker.example.com", 1, "", ""),
        Arguments.of("ws://[2001:db8::1]:9001", "ws", "2001:db8::1", 9001, "/mqtt", ""),
        Arguments.of("mqtt://[::1]", "mqtt", "::1", 1883, "", ""),
        Arguments.of("ws://bücher.example:9001", "ws", "xn--bcher-kva.example", 9001, "/mqtt", ""),
        Arguments.of("wss://BÜCHER.example/mqtt", "wss", "xn--bcher-kva.example", 443, "/mqtt", ""),
        Arguments.of("ws://xn--bcher-kva.example:9001", "ws", "xn--bcher-kva.example", 9001, "/mqtt", ""),
        Arguments.of("WS://Broker.Example.COM:9001", "ws", "broker.example.com", 9001, "/mqtt", ""),
        Arguments.of("MqTtS://broker.example.com", "mqtts", "broker.example.com", 8883, "", ""),
        Arguments.of("wss://broker.example.com:8084/custom/ws", "wss", "broker.example.com", 8084, "/custom/ws", ""),
        Arguments.of("ws://broker.example.com:8083/mqtt?token=abc&x=1", "ws", "broker.example.com", 8083, "/mqtt",
            "token=abc&x=1"),
        Arguments.of("ws://broker.example.com?x=1", "ws", "broker.example.com", 80, "/mqtt", "x=1"),
        Arguments.of("mqtt://192.0.2.10:1883", "mqtt", "192.0.2.10", 1883, "", ""),
        Arguments.of("  mqtt://broker.example.com  ", "mqtt", "broker.example.com", 1883, "", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validUrls")
  void accepts_valid_broker_urls(String input, String scheme, String host, int port, String path, String query) {
    BrokerUrl.Result r = BrokerUrl.parse("broker_url", input);

    assertThat(r.error()).as("error").isNull();
    BrokerUrl url = r.value().orElseThrow();
    assertThat(url.scheme()).isEqualTo(scheme);
    assertThat(url.host()).isEqualTo(host);
    assertThat(url.port()).isEqualTo(port);
    assertThat(url.path()).isEqualTo(path);
    assertThat(url.query()).isEqualTo(query);
    assertThat(url.text()).as("text is the input, trimmed").isEqualTo(input.trim());
    assertThat(url.toString()).isEqualTo(input.trim());
  }

  static Stream<Arguments> invalidUrls() {
    return Stream.of(
        Arguments.of("http://broker.example.com", "scheme must be ws, wss, mqtt or mqtts"),
        Arguments.of("https://broker.example.com", "scheme must be"),
        Arguments.of("tcp://broker.example.com:1883", "scheme must be"),
        Arguments.of("broker.example.com:1883", "scheme must be"),
        Arguments.of("ws://", "is not a valid URL"),
        Arguments.of("ws://:9001", "must contain a host"),
        Arguments.of("ws:///mqtt", "must contain a host"),
        Arguments.of("mqtt:broker.example.com", "must look like mqtt://host:port"),
        Arguments.of("ws://u:p@broker.example.com:1", "must not contain a user name or password"),
        Arguments.of("ws://user@broker.example.com:1", "must not contain a user name or password"),
        Arguments.of("ws://broker.example.com:9001/mqtt#frag", "must not contain a fragment"),
        Arguments.of("ws://broker.example.com:0", "port must be between 1 and 65535"),
        Arguments.of("ws://broker.example.com:65536", "port must be between 1 and 65535"),
        Arguments.of("ws://broker.example.com:", "port must be between 1 and 65535"),
        Arguments.of("mqtt://broker.example.com/topic", "a path is only allowed for ws:// and wss:// URLs"),
        Arguments.of("mqtts://broker.example.com:8883/a/b", "a path is only allowed for ws://"),
        Arguments.of("mqtts://broker.example.com?x=1", "a query is only allowed for ws:// and wss:// URLs"),
        Arguments.of("mqtt://broker.example.com?", "a query is only allowed"),
        Arguments.of("garbage", "scheme must be"),
        Arguments.of("ws://broker example.com", "is not a valid URL"),
        Arguments.of("::::", "is not a valid URL"),
        Arguments.of("ws://bad_host.example:1", "must contain a host"),
        Arguments.of("", "is required"),
        Arguments.of("   ", "is required"),
        Arguments.of("\t\n", "is required"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalidUrls")
  void rejects_invalid_broker_urls_with_a_message_the_user_can_act_on(String input, String fragment) {
    BrokerUrl.Result r = BrokerUrl.parse("broker_url", input);

    assertThat(r.url()).isNull();
    assertThat(r.value()).isEmpty();
    assertThat(r.error().field()).isEqualTo("broker_url");
    assertThat(r.error().message()).contains(fragment);
  }

  @Test
  void rejects_a_missing_url() {
    assertThat(BrokerUrl.parse("broker_url", null).error().message()).isEqualTo("is required");
  }

  @Test
  void reports_the_error_under_the_field_name_it_is_given() {
    assertThat(BrokerUrl.parse("default_mqtt_broker_url", "http://x.example").error().field())
        .isEqualTo("default_mqtt_broker_url");
  }

  @Test
  void rejects_a_url_longer_than_2048_characters_and_accepts_one_of_exactly_2048() {
    String head = "ws://broker.example.com/";
    String exact = head + "a".repeat(BrokerUrl.MAX_LENGTH - head.length());
    String tooLong = exact + "a";

    assertThat(exact).hasSize(2048);
    assertThat(BrokerUrl.parse("broker_url", exact).error()).isNull();
    assertThat(BrokerUrl.parse("broker_url", tooLong).error().message())
        .isEqualTo("must be at most 2048 characters");
  }

  @Test
  void does_not_echo_credentials_from_a_url_with_user_info() {
    var r = BrokerUrl.parse("broker_url", "ws://alice:CANARY-pw-77@broker.example.com:1");

    assertThat(r.error().message()).doesNotContain("CANARY-pw-77").doesNotContain("alice");
  }

  @Test
  void knows_the_transport_of_each_scheme() {
    BrokerUrl ws = BrokerUrl.parse("f", "ws://h.example").url();
    BrokerUrl wss = BrokerUrl.parse("f", "wss://h.example").url();
    BrokerUrl mqtt = BrokerUrl.parse("f", "mqtt://h.example").url();
    BrokerUrl mqtts = BrokerUrl.parse("f", "mqtts://h.example").url();

    assertThat(ws.webSocket()).isTrue();
    assertThat(ws.tls()).isFalse();
    assertThat(wss.webSocket()).isTrue();
    assertThat(wss.tls()).isTrue();
    assertThat(mqtt.webSocket()).isFalse();
    assertThat(mqtt.tls()).isFalse();
    assertThat(mqtts.webSocket()).isFalse();
    assertThat(mqtts.tls()).isTrue();
  }

  @Test
  void default_ports_are_those_of_each_scheme() {
    assertThat(BrokerUrl.defaultPort("mqtt")).isEqualTo(1883);
    assertThat(BrokerUrl.defaultPort("mqtts")).isEqualTo(8883);
    assertThat(BrokerUrl.defaultPort("ws")).isEqualTo(80);
    assertThat(BrokerUrl.defaultPort("wss")).isEqualTo(443);
    assertThatThrownBy(() -> BrokerUrl.defaultPort("http")).isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Arguments> serverPairs() {
    return Stream.of(
        // a, b, same server
        Arguments.of("ws://broker.example.com:9001/mqtt", "ws://broker.example.com:9001/other?x=1", true),
        Arguments.of("ws://broker.example.com/mqtt", "ws://broker.example.com:80", true),
        Arguments.of("mqtt://broker.example.com", "MQTT://Broker.Example.COM:1883/", true),
        Arguments.of("mqtts://bücher.example", "mqtts://xn--bcher-kva.example:8883", true),
        Arguments.of("wss://BÜCHER.example", "wss://XN--BCHER-KVA.example/mqtt", true),
        Arguments.of("mqtt://[FD00::1]", "mqtt://[fd00::1]:1883", true),
        Arguments.of("mqtt://broker.example.com", "mqtts://broker.example.com", false),
        Arguments.of("mqtt://broker.example.com:1883", "mqtts://broker.example.com:1883", false),
        Arguments.of("ws://broker.example.com:9001", "wss://broker.example.com:9001", false),
        Arguments.of("ws://broker.example.com:9001", "mqtt://broker.example.com:9001", false),
        Arguments.of("mqtt://broker.example.com", "mqtt://broker.example.com:1884", false),
        Arguments.of("wss://broker.example.com", "wss://broker.example.com:8884", false),
        Arguments.of("mqtt://broker.example.com", "mqtt://other.example.com", false),
        Arguments.of("mqtt://broker.example.com", "mqtt://broker.example.com.evil.example", false),
        Arguments.of("mqtt://127.0.0.1", "mqtt://localhost", false),
        Arguments.of("mqtt://[::1]", "mqtt://[0:0:0:0:0:0:0:1]", false));
  }

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @MethodSource("serverPairs")
  void same_server_compares_scheme_normalized_host_and_effective_port(String a, String b, boolean same) {
    BrokerUrl x = BrokerUrl.parse("broker_url", a).value().orElseThrow();
    BrokerUrl y = BrokerUrl.parse("broker_url", b).value().orElseThrow();

    assertThat(x.sameServer(y)).isEqualTo(same);
    assertThat(y.sameServer(x)).as("symmetric").isEqualTo(same);
    assertThat(x.sameServer(x)).isTrue();
    assertThat(x.sameServer(null)).isFalse();
  }
}
