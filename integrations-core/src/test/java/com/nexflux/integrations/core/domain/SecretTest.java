package com.nexflux.integrations.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {
  static final String CANARY = "CANARY-pw-77";

  @Test
  void to_string_never_shows_the_value() {
    Secret s = Secret.of(CANARY);

    assertThat(s.toString()).isEqualTo("Secret[redacted]").doesNotContain(CANARY);
    assertThat(String.valueOf(s)).doesNotContain(CANARY);
    assertThat("password=" + s).doesNotContain(CANARY);
    assertThat(String.format("%s", s)).doesNotContain(CANARY);
    assertThat(List.of(s).toString()).doesNotContain(CANARY);
    assertThat(Map.of("pw", s).toString()).doesNotContain(CANARY);
  }

  @Test
  void reveal_gives_the_value_back() {
    assertThat(Secret.of(CANARY).reveal()).isEqualTo(CANARY);
  }

  @Test
  void equality_follows_the_value_and_the_hash_does_not() {
    assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b")).isNotEqualTo("a");
    assertThat(Secret.of("a").hashCode()).isEqualTo(Secret.of("b").hashCode());
  }

  @Test
  void knows_when_it_is_empty() {
    assertThat(Secret.of("").isEmpty()).isTrue();
    assertThat(Secret.of(" ").isEmpty()).isFalse();
  }

  @Test
  void refuses_null() {
    assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void an_encrypted_secret_shows_only_its_length() {
    EncryptedSecret e = new EncryptedSecret("QUJDREVGRw==");
    assertThat(e.toString()).isEqualTo("EncryptedSecret[12 chars]").doesNotContain("QUJD");
  }
}
