package com.nexflux.integrations.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.MqttSettings;
import com.nexflux.integrations.core.mqtt.TestRecord;
import com.nexflux.integrations.core.testing.InMemoryMqttIntegrationRepository;
import com.nexflux.integrations.core.testing.MutableClock;
import java.time.Instant;
import java.util.Set;
import com.nexflux.integrations.core.mqtt.MqttStatusSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OverviewServiceTest {
  final MutableClock clock = new MutableClock();
  final InMemoryMqttIntegrationRepository repo = new InMemoryMqttIntegrationRepository();
  static final ProviderDescriptor MQTT = new ProviderDescriptor(Provider.MQTT, "MQTT",
      List.of(ConnectionMethod.SETTINGS_FORM), Set.of(Capability.DEVICES));
  static final ProviderDescriptor GITHUB = new ProviderDescriptor(Provider.GITHUB, "GitHub",
      List.of(ConnectionMethod.OAUTH_AUTHORIZATION_CODE), Set.of(Capability.LINK, Capability.PROJECT_EXPORT));
  static final List<ProviderDescriptor> LATER = Provider.known().stream().skip(2)
      .map(p -> new ProviderDescriptor(p, p.key(), List.of(ConnectionMethod.API_KEY), Set.of())).toList();
  final OverviewService overview = new OverviewService(entries(OverviewEntry.notAvailable(GITHUB)));

  List<OverviewEntry> entries(OverviewEntry github) {
    List<OverviewEntry> all = new java.util.ArrayList<>();
    all.add(OverviewEntry.available(MQTT, new MqttStatusSource(repo)));
    all.add(github);
    LATER.forEach(d -> all.add(OverviewEntry.notAvailable(d)));
    return all;
  }
  final UserId alice = new UserId(UUID.randomUUID());
  final UserId bob = new UserId(UUID.randomUUID());

  MqttIntegration store(UserId user, boolean enabled) {
    var s = new MqttSettings(enabled, BrokerUrl.parse("broker_url", "mqtts://broker.example.com").url(), false,
        null, "dev1", "a/b");
    var i = MqttIntegration.create(user, s, null, clock.instant());
    repo.save(i, new AuditEvent(UUID.randomUUID(), user, Provider.MQTT, AuditEvent.Actions.CONNECT,
        AuditEvent.Outcome.SUCCESS, null, RequestContext.internal("t"), clock.instant(), Map.of()));
    return i;
  }

  @Test
  void lists_one_entry_per_provider_in_provider_order() {
    List<IntegrationSummary> list = overview.list(alice);

    assertThat(list).extracting(IntegrationSummary::provider).containsExactlyElementsOf(Provider.known());
    assertThat(list.get(0).descriptor()).isEqualTo(MQTT);
  }

  @Test
  void mqtt_is_available_and_not_configured_when_nothing_is_saved() {
    IntegrationSummary mqtt = overview.list(alice).get(0);

    assertThat(mqtt).isEqualTo(new IntegrationSummary(MQTT, true, false, false, "not_configured", null));
  }

  @Test
  void mqtt_shows_the_saved_status_and_when_it_was_connected() {
    Instant savedAt = clock.instant();
    store(alice, true);

    assertThat(overview.list(alice).get(0))
        .isEqualTo(new IntegrationSummary(MQTT, true, true, true, "untested", savedAt));

    repo.modify(alice, i -> i.withTest(new TestRecord(savedAt.plusSeconds(5), true, null)));
    assertThat(overview.list(alice).get(0).status()).isEqualTo("connected");

    repo.modify(alice, i -> i.withTest(new TestRecord(savedAt.plusSeconds(9), false,
        com.nexflux.integrations.core.mqtt.ProbeErrorCode.AUTH_FAILED)));
    assertThat(overview.list(alice).get(0).status()).isEqualTo("error");
  }

  @Test
  void a_disabled_mqtt_integration_is_configured_but_disabled() {
    store(alice, false);

    IntegrationSummary mqtt = overview.list(alice).get(0);

    assertThat(mqtt.configured()).isTrue();
    assertThat(mqtt.enabled()).isFalse();
    assertThat(mqtt.status()).isEqualTo("disabled");
  }

  @Test
  void github_is_listed_with_the_users_connection_status_when_the_deployment_has_credentials() {
    var connections = new com.nexflux.integrations.core.testing.InMemoryGitHubConnections();
    var withGitHub = new OverviewService(entries(OverviewEntry.available(GITHUB,
        new com.nexflux.integrations.core.oauth.OAuthStatusSource(connections, Provider.GITHUB))));
    IntegrationSummary none = withGitHub.list(alice).get(1);
    assertThat(none).isEqualTo(new IntegrationSummary(GITHUB, true, false, false, "not_configured", null));

    Instant at = clock.instant();
    connections.save(new com.nexflux.integrations.core.oauth.OAuthConnection(alice, Provider.GITHUB,
        com.nexflux.integrations.core.oauth.ConnectionStatus.NEEDS_REAUTH, "42", null, null, null, null,
        List.of("repo"), Map.of(), at, at, 1), new AuditEvent(UUID.randomUUID(), alice, Provider.GITHUB,
        AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS, null, RequestContext.internal("t"), at, Map.of()));
    assertThat(withGitHub.list(alice).get(1))
        .isEqualTo(new IntegrationSummary(GITHUB, true, true, true, "needs_reauth", at));
    assertThat(withGitHub.list(bob).get(1).status()).isEqualTo("not_configured");
  }

  @Test
  void every_other_provider_is_not_available() {
    store(alice, true);

    assertThat(overview.list(alice)).filteredOn(s -> !s.provider().equals(Provider.MQTT))
        .hasSize(Provider.known().size() - 1)
        .allSatisfy(s -> {
          assertThat(s.available()).isFalse();
          assertThat(s.configured()).isFalse();
          assertThat(s.enabled()).isFalse();
          assertThat(s.status()).isEqualTo("not_available");
          assertThat(s.connectedAt()).isNull();
        });
  }

  @Test
  void a_provider_listed_twice_is_refused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OverviewService(List.of(
        OverviewEntry.notAvailable(MQTT), OverviewEntry.notAvailable(MQTT))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_provider_no_shared_code_knows_is_listed_with_its_own_status() {
    ProviderDescriptor custom = new ProviderDescriptor(Provider.of("throw_away"), "Throw-away",
        List.of(ConnectionMethod.API_KEY, ConnectionMethod.SETTINGS_FORM), Set.of(Capability.DEVICES));
    var list = new OverviewService(List.of(OverviewEntry.available(custom,
        u -> new ProviderStatus(true, true, u.equals(alice) ? "connected" : "error", Instant.EPOCH)))).list(alice);
    assertThat(list).singleElement().satisfies(s -> {
      assertThat(s.provider().slug()).isEqualTo("throw-away");
      assertThat(s.descriptor().connectBy()).containsExactly(ConnectionMethod.API_KEY, ConnectionMethod.SETTINGS_FORM);
      assertThat(s.status()).isEqualTo("connected");
      assertThat(s.available()).isTrue();
    });
  }

  @Test
  void shows_only_the_callers_own_integration() {
    store(alice, true);

    assertThat(overview.list(bob).get(0).status()).isEqualTo("not_configured");
  }
}
