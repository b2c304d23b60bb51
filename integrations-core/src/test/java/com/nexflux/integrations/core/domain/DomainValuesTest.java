package com.nexflux.integrations.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.error.UnauthorizedException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DomainValuesTest {
  @Test
  void a_user_id_parses_a_uuid_subject_and_refuses_anything_else() {
    UUID u = UUID.randomUUID();
    assertThat(UserId.parse(u.toString())).isEqualTo(new UserId(u));
    assertThat(UserId.parse(u.toString())).hasToString(u.toString());
    assertThatThrownBy(() -> UserId.parse("alice")).isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> UserId.parse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void providers_have_stable_keys_and_slugs() {
    assertThat(Provider.fromKey("arduino_cloud")).contains(Provider.ARDUINO_CLOUD);
    assertThat(Provider.ARDUINO_CLOUD.slug()).isEqualTo("arduino-cloud");
    assertThat(Provider.fromKey("mqtt")).contains(Provider.MQTT);
    assertThat(Provider.fromKey("throw_away")).contains(Provider.of("throw_away"));
    assertThat(Provider.of("throw_away").slug()).isEqualTo("throw-away");
    assertThat(Provider.fromSlug("arduino-cloud")).contains(Provider.ARDUINO_CLOUD);
    assertThat(Provider.fromKey("No-pe")).isEmpty();
    assertThat(Provider.fromKey(null)).isEmpty();
    assertThat(Provider.fromSlug("arduino_cloud")).isEmpty();
    assertThatThrownBy(() -> Provider.of("../x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Provider.known()).first().isEqualTo(Provider.MQTT);
  }

  @Test
  void a_secret_context_refuses_an_empty_field_or_nul() {
    UserId u = new UserId(UUID.randomUUID());
    assertThatThrownBy(() -> new SecretContext(u, Provider.MQTT, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SecretContext(u, Provider.MQTT, "a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void an_audit_event_copies_its_details_and_defaults_them_to_empty() {
    Map<String, String> details = new HashMap<>(Map.of("k", "v"));
    UserId u = new UserId(UUID.randomUUID());
    AuditEvent e = new AuditEvent(UUID.randomUUID(), u, Provider.MQTT, "a", AuditEvent.Outcome.SUCCESS, null,
        RequestContext.internal("r"), Instant.EPOCH, details);
    details.put("k2", "v2");
    assertThat(e.details()).containsOnlyKeys("k");
    assertThat(new AuditEvent(UUID.randomUUID(), u, Provider.MQTT, "a", AuditEvent.Outcome.FAILURE, null,
        RequestContext.internal("r"), Instant.EPOCH, null).details()).isEmpty();
    assertThat(AuditEvent.Outcome.FAILURE.key()).isEqualTo("failure");
  }
}
