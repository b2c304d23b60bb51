package com.nexflux.integrations.app.arduino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.app.Configuration;
import com.nexflux.integrations.app.Configuration.ConfigurationException;
import com.nexflux.integrations.app.provider.Environment;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Arduino Cloud reads its own variables; malformed ones are named together, never with their values. */
class ArduinoModuleTest {
  @Test
  void withNothingSet_theDefaultsApply_andThereIsNoLabKey() {
    Environment env = new Environment(Map.of());
    ArduinoModule.Settings s = ArduinoModule.fromEnvironment(env).settings();
    assertThat(env.problems()).isEmpty();
    assertThat(s.apiBaseUrl()).isEqualTo(URI.create("https://api2.arduino.cc"));
    assertThat(s.requestsPerSecond()).isEqualTo(1);
    assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.otaMaxBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(s.labClientId()).isNull();
  }

  @Test
  void itsVariablesAreRead() {
    Environment env = new Environment(Map.of("ARDUINO_API_BASE_URL", "http://127.0.0.1:9999/",
        "ARDUINO_REQUESTS_PER_SECOND", "10", "ARDUINO_CACHE_SECONDS", "0", "ARDUINO_OTA_MAX_BYTES", "1024",
        "ARDUINO_CLIENT_ID", "lab", "ARDUINO_CLIENT_SECRET", "lab-secret"));
    ArduinoModule.Settings s = ArduinoModule.fromEnvironment(env).settings();
    assertThat(env.problems()).isEmpty();
    assertThat(s.apiBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:9999"));
    assertThat(s.requestsPerSecond()).isEqualTo(10);
    assertThat(s.cacheTtl()).isZero();
    assertThat(s.otaMaxBytes()).isEqualTo(1024);
    assertThat(s.labClientId()).isEqualTo("lab");
    assertThat(s.toString()).doesNotContain("lab-secret");
  }

  @Test
  void everyMalformedVariableIsNamed_withoutItsValue() {
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("ARDUINO_API_BASE_URL", "ftp://x.example",
        "ARDUINO_REQUESTS_PER_SECOND", "0", "ARDUINO_CACHE_SECONDS", "soon", "ARDUINO_OTA_MAX_BYTES", "-1",
        "ARDUINO_CLIENT_SECRET", "only-the-secret-value")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ARDUINO_API_BASE_URL must be an http or https URL")
        .hasMessageContaining("ARDUINO_REQUESTS_PER_SECOND must be between 1 and 100")
        .hasMessageContaining("ARDUINO_CACHE_SECONDS must be a whole number")
        .hasMessageContaining("ARDUINO_OTA_MAX_BYTES must be between")
        .hasMessageContaining("ARDUINO_CLIENT_ID and ARDUINO_CLIENT_SECRET must be set together")
        .message().doesNotContain("only-the-secret-value").doesNotContain("x.example");
  }
}
