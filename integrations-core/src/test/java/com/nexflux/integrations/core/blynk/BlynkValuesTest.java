package com.nexflux.integrations.core.blynk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Pins and servers. */
class BlynkValuesTest {
  @Test
  void pinsAreV0ToV255() {
    assertThat(BlynkPin.parse("V0")).contains(new BlynkPin(0));
    assertThat(BlynkPin.parse("v255")).contains(new BlynkPin(255));
    assertThat(BlynkPin.parse("V12").orElseThrow().parameter()).isEqualTo("v12");
    assertThat(BlynkPin.parse("V256")).isEmpty();
    assertThat(BlynkPin.parse("V01")).isEmpty();
    assertThat(BlynkPin.parse("D1")).isEmpty();
    assertThat(BlynkPin.parse("V")).isEmpty();
    assertThat(BlynkPin.parse(null)).isEmpty();
  }

  @Test
  void theStandardServersAreTheGlobalHostAndTheRegions() {
    BlynkServers s = BlynkServers.standard();
    assertThat(s.defaultHost()).isEqualTo("blynk.cloud");
    assertThat(s.hosts()).containsExactlyInAnyOrder("blynk.cloud", "fra1.blynk.cloud", "lon1.blynk.cloud",
        "ny3.blynk.cloud", "sgp1.blynk.cloud", "blr1.blynk.cloud");
    assertThat(s.isAllowed("evil.blynk.cloud")).isFalse();
    assertThat(s.urlOf("fra1.blynk.cloud")).isEqualTo(URI.create("https://fra1.blynk.cloud"));
    assertThatThrownBy(() -> s.urlOf("example.org")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOverriddenBaseIsTheDefault_andKeepsItsSchemeAndPort() {
    BlynkServers s = BlynkServers.at(URI.create("http://blynk.local:8080/"));
    assertThat(s.defaultHost()).isEqualTo("blynk.local");
    assertThat(s.isAllowed("fra1.blynk.cloud")).isTrue();
    assertThat(s.urlOf("fra1.blynk.cloud")).isEqualTo(URI.create("http://fra1.blynk.cloud:8080"));
  }
}
