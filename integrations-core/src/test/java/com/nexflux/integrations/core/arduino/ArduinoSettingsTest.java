package com.nexflux.integrations.core.arduino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.ValidationException;
import org.junit.jupiter.api.Test;

class ArduinoSettingsTest {
  @Test
  void everyFailingFieldIsReportedAtOnce() {
    assertThatThrownBy(() -> ArduinoSettings.validate(new ArduinoSettings.Input("bad id!", Secret.of(" "), "x"),
        null, null))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("client_id", "client_secret", "organization_id"));
    assertThatThrownBy(() -> ArduinoSettings.validate(new ArduinoSettings.Input(null, null, null), null, null))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("client_id", "client_secret"));
    assertThatThrownBy(() -> ArduinoSettings.validate(new ArduinoSettings.Input("a".repeat(129),
        Secret.of("s".repeat(513)), null), null, null))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("client_id", "client_secret"));
  }

  @Test
  void aMissingSecretKeepsTheStoredOne_onlyForTheSameClientId() {
    Secret stored = Secret.of("stored-secret");
    ArduinoSettings kept = ArduinoSettings.validate(new ArduinoSettings.Input(" client-a ", null,
        "8F9C3C5E-1A2B-4C3D-9E8F-0123456789AB"), "client-a", stored);
    assertThat(kept.clientSecret()).isEqualTo(stored);
    assertThat(kept.clientId()).isEqualTo("client-a");
    assertThat(kept.organizationId()).isEqualTo("8f9c3c5e-1a2b-4c3d-9e8f-0123456789ab");
    assertThat(kept.toString()).doesNotContain("stored-secret");
    assertThatThrownBy(() -> ArduinoSettings.validate(new ArduinoSettings.Input("client-b", null, null), "client-a",
        stored))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("client_secret"));
  }
}
