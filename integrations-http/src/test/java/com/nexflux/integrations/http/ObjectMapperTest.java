package com.nexflux.integrations.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link IntegrationsApi#objectMapper()}: the wire format. */
class ObjectMapperTest {
  private final ObjectMapper mapper = IntegrationsApi.objectMapper();

  record Sample(String brokerUrl, Instant lastConnectedAt, String nothing) {}

  record Flag(Boolean enabled) {}

  @Test
  void writesSnakeCaseIsoInstantsAndExplicitNulls() throws Exception {
    String json = mapper.writeValueAsString(new Sample("ws://b:1", Instant.parse("2026-01-15T10:30:00Z"), null));
    assertThat(json).isEqualTo(
        "{\"broker_url\":\"ws://b:1\",\"last_connected_at\":\"2026-01-15T10:30:00Z\",\"nothing\":null}");
  }

  @Test
  void readsSnakeCaseAndIsoInstants() throws Exception {
    Sample s = mapper.readValue("{\"broker_url\":\"x\",\"last_connected_at\":\"2026-01-15T10:30:00Z\"}",
        Sample.class);
    assertThat(s.brokerUrl()).isEqualTo("x");
    assertThat(s.lastConnectedAt()).isEqualTo(Instant.parse("2026-01-15T10:30:00Z"));
  }

  @Test
  void failsOnUnknownPropertiesAndCoercions() {
    assertThatThrownBy(() -> mapper.readValue("{\"colour\":1}", Flag.class))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> mapper.readValue("{\"enabled\":\"yes\"}", Flag.class))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> mapper.readValue("{\"enabled\":1}", Flag.class))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> mapper.readValue("{\"enabled\":true} []", Flag.class))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void eachCallReturnsAFreshMapper() {
    assertThat(IntegrationsApi.objectMapper()).isNotSameAs(IntegrationsApi.objectMapper());
  }
}
