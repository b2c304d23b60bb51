package com.nexflux.integrations.app.blynk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.app.Configuration;
import com.nexflux.integrations.app.Configuration.ConfigurationException;
import com.nexflux.integrations.app.provider.Environment;
import com.nexflux.integrations.core.domain.Provider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Blynk's variables. */
class BlynkModuleTest {
  @Test
  void withoutVariablesTheStandardServersAreUsed() {
    Environment env = new Environment(Map.of());
    BlynkModule m = BlynkModule.fromEnvironment(env);
    assertThat(env.problems()).isEmpty();
    assertThat(m.servers().defaultHost()).isEqualTo("blynk.cloud");
    assertThat(m.descriptor().provider()).isEqualTo(Provider.BLYNK);
  }

  @Test
  void aBaseUrlNamesTheDefaultServer() {
    BlynkModule m = BlynkModule.fromEnvironment(new Environment(Map.of("BLYNK_API_BASE_URL",
        "https://blynk.school.example/")));
    assertThat(m.servers().defaultHost()).isEqualTo("blynk.school.example");
    assertThat(m.servers().isAllowed("fra1.blynk.cloud")).isTrue();
  }

  @Test
  void aMalformedBaseUrlIsReportedByNameWithoutItsValue() {
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("BLYNK_API_BASE_URL", "ftp://secret-host")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("BLYNK_API_BASE_URL must be an http or https URL")
        .hasMessageNotContaining("secret-host");
  }

  @Test
  void theStandaloneServerListsBlynk() {
    assertThat(Configuration.fromEnvironment(Map.of()).providers())
        .anySatisfy(p -> assertThat(p).isInstanceOf(BlynkModule.class));
  }
}
