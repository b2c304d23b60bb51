package com.nexflux.integrations.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AssociatedDataTest {

  @Test
  void isVersionedAndLengthPrefixed() {
    UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    byte[] aad = AssociatedData.of(new SecretContext(new UserId(id), Provider.MQTT, "mqtt_password"));
    byte[] expected = concat(new byte[] {0x01},
        new byte[] {0, 0, 0, 36}, id.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new byte[] {0, 0, 0, 4}, "mqtt".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new byte[] {0, 0, 0, 13}, "mqtt_password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(aad).isEqualTo(expected);
  }

  @Test
  void differentSplitsNeverCollide() {
    assertThat(AssociatedData.encode("ab", "c")).isNotEqualTo(AssociatedData.encode("a", "bc"));
    assertThat(AssociatedData.encode("a|b", "c")).isNotEqualTo(AssociatedData.encode("a", "b|c"));
    assertThat(AssociatedData.encode("", "x")).isNotEqualTo(AssociatedData.encode("x", ""));
    assertThat(AssociatedData.encode("é")).hasSize(1 + 4 + 2);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
