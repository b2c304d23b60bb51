package com.nexflux.integrations.providers.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.providers.mqtt.internal.SysVersionParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The $SYS payloads the probe understands (EMQX's cannot be checked against a real broker here). */
class SysVersionParserTest {

  private static String parse(String topic, String payload) {
    return SysVersionParser.parse(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsMosquitto() {
    assertThat(parse("$SYS/broker/version", "mosquitto version 2.0.11")).isEqualTo("mosquitto/2.0.11");
  }

  @Test
  void readsEmqxFromAnyNode() {
    assertThat(parse("$SYS/brokers/emqx@127.0.0.1/version", "5.3.0")).isEqualTo("emqx/5.3.0");
  }

  @Test
  void ignoresWhatItDoesNotKnow() {
    assertThat(parse("$SYS/broker/version", "HiveMQ 3.4.1")).isNull();
    assertThat(parse("$SYS/brokers/node1/sysdescr", "EMQX")).isNull();
    assertThat(parse("$SYS/brokers/node1/version", "5.3.0 <script>")).isNull();
    assertThat(parse("$SYS/broker/version", "")).isNull();
  }
}
