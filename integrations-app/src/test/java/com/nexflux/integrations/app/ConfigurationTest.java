package com.nexflux.integrations.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.app.Configuration.ConfigurationException;
import com.nexflux.integrations.app.github.GitHubModule;
import com.nexflux.integrations.app.mqtt.MqttModule;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each provider reads its own variables; every malformed variable of every provider is reported together. */
class ConfigurationTest {

  @Test
  void withNothingSet_everyProviderIsListed_mqttHasItsDefaults_andGitHubIsUnconfigured() {
    Configuration c = Configuration.fromEnvironment(Map.of());
    assertThat(c.providers()).extracting(m -> m.descriptor().provider())
        .containsExactly(Provider.MQTT, Provider.GITHUB, Provider.ARDUINO_CLOUD, Provider.BLYNK, Provider.THINGSBOARD);
    MqttModule mqtt = c.provider(MqttModule.class).orElseThrow();
    assertThat(mqtt.defaultBroker()).isNull();
    assertThat(mqtt.testTimeout()).isEqualTo(MqttModule.DEFAULT_TEST_TIMEOUT);
    assertThat(mqtt.testsPerMinute()).isEqualTo(MqttModule.DEFAULT_TESTS_PER_MINUTE);
    GitHubModule github = c.provider(GitHubModule.class).orElseThrow();
    assertThat(github.config()).isEmpty();
    assertThat(github.callbackUrls()).isEmpty();
  }

  @Test
  void mqttReadsItsOwnVariables() {
    MqttModule mqtt = Configuration.fromEnvironment(Map.of("DEFAULT_MQTT_BROKER_URL", "wss://broker.example:8884/mqtt",
        "MQTT_TEST_TIMEOUT_MS", "2500", "MQTT_TEST_RATE_LIMIT_PER_MINUTE", "3")).provider(MqttModule.class)
        .orElseThrow();
    assertThat(mqtt.defaultBroker().host()).isEqualTo("broker.example");
    assertThat(mqtt.defaultBroker().port()).isEqualTo(8884);
    assertThat(mqtt.testTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(mqtt.testsPerMinute()).isEqualTo(3);
  }

  @Test
  void gitHubReadsItsOwnVariables_intoItsOAuthConfig() {
    OAuthProviderConfig gh = Configuration.fromEnvironment(Map.of("GITHUB_CLIENT_ID", "Iv1.abc",
        "GITHUB_CLIENT_SECRET", "s3cr3t-value", "GITHUB_CALLBACK_URL", "https://api.nexflux.example/api/v1/auth/github/callback",
        "GITHUB_SCOPES", " public_repo  read:user ", "GITHUB_OAUTH_BASE_URL", "https://ghe.example/",
        "GITHUB_API_BASE_URL", "https://ghe.example/api/v3/")).provider(GitHubModule.class).orElseThrow()
        .config().orElseThrow();
    assertThat(gh.provider()).isEqualTo(Provider.GITHUB);
    assertThat(gh.clientId()).isEqualTo("Iv1.abc");
    assertThat(gh.clientSecret().reveal()).isEqualTo("s3cr3t-value");
    assertThat(gh.authorizationEndpoint()).isEqualTo(URI.create("https://ghe.example/login/oauth/authorize"));
    assertThat(gh.tokenEndpoint()).isEqualTo(URI.create("https://ghe.example/login/oauth/access_token"));
    assertThat(gh.callbackUrl()).isEqualTo(URI.create("https://api.nexflux.example/api/v1/auth/github/callback"));
    assertThat(gh.connectScopes()).containsExactly("public_repo", "read:user");
    assertThat(gh.signInScopes()).containsExactly("read:user", "user:email");
    assertThat(gh.apiBaseUrl()).isEqualTo(URI.create("https://ghe.example/api/v3"));
  }

  @Test
  void problemsOfEveryProviderAndOfTheSharedSettingsComeInOneMessage_withoutTheValues() {
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PORT", "eighty",
        "MQTT_TEST_TIMEOUT_MS", "soon", "DEFAULT_MQTT_BROKER_URL", "http://broker.example",
        "GITHUB_CLIENT_SECRET", "only-the-secret-value")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PORT must be a whole number")
        .hasMessageContaining("MQTT_TEST_TIMEOUT_MS must be a whole number")
        .hasMessageContaining("DEFAULT_MQTT_BROKER_URL must be an MQTT broker URL")
        .hasMessageContaining("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together")
        .message().doesNotContain("only-the-secret-value").doesNotContain("broker.example");
  }

  @Test
  void aMalformedGitHubUrlIsNamed() {
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("GITHUB_CLIENT_ID", "id", "GITHUB_CLIENT_SECRET",
        "secret", "GITHUB_API_BASE_URL", "ftp://ghe.example")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("GITHUB_API_BASE_URL must be an http or https URL");
  }

  @Test
  void theProviderListIsTheOverviewOrderOfTheStandaloneServer() {
    assertThat(Configuration.fromEnvironment(Map.of()).providers()).hasSameSizeAs(Configuration.PROVIDERS);
    assertThat(List.copyOf(Configuration.fromEnvironment(Map.of()).providers()))
        .allSatisfy(m -> assertThat(m.descriptor().provider().slug()).isNotBlank());
  }
}
