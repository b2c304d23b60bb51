package com.nexflux.integrations.core.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MqttSettingsTest {
  private static final String URL = "wss://broker.example.com:8884/mqtt";

  private static MqttSettingsInput input(String deviceId, String topicPrefix) {
    return new MqttSettingsInput(null, URL, null, null, null, deviceId, topicPrefix);
  }

  private static ValidationException invalid(MqttSettingsInput in) {
    return catchThrowableOfType(() -> MqttSettings.validate(in), ValidationException.class);
  }

  private static FieldError onlyError(MqttSettingsInput in) {
    ValidationException e = invalid(in);
    assertThat(e).as("validation must fail").isNotNull();
    assertThat(e.errors()).hasSize(1);
    return e.errors().get(0);
  }

  @Nested
  class DeviceId {
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a", "Z", "7", "esp32-kitchen", "dev_01", "node.red", "urn:dev:1", "A-b_c.d:e"})
    void accepts_letters_digits_and_the_allowed_punctuation(String id) {
      assertThat(MqttSettings.validate(input(id, null)).deviceId()).isEqualTo(id);
    }

    @Test
    void accepts_64_characters() {
      String id = "d" + "x".repeat(63);
      assertThat(id).hasSize(64);
      assertThat(MqttSettings.validate(input(id, null)).deviceId()).isEqualTo(id);
    }

    @Test
    void rejects_65_characters() {
      String id = "d" + "x".repeat(64);
      assertThat(onlyError(input(id, null)).field()).isEqualTo("device_id");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"-dev", "_dev", ".dev", ":dev", "dev/1", "dev+1", "dev#1", "dev$1", "dev 1", "dév",
        "dev\u00001", "dev\n"})
    void rejects_a_leading_punctuation_mark_or_a_character_outside_the_set(String id) {
      FieldError e = onlyError(input(id, null));
      assertThat(e.field()).isEqualTo("device_id");
      assertThat(e.message()).contains("must start with a letter or digit");
    }

    @Test
    void is_required() {
      assertThat(onlyError(input(null, null))).isEqualTo(new FieldError("device_id", "is required"));
      assertThat(onlyError(input("", null))).isEqualTo(new FieldError("device_id", "is required"));
    }
  }

  @Nested
  class TopicPrefix {
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a", "nexflux/device", "school/class-3b/team_1", "ü/日本", "emoji/😀", "a/b/c"})
    void accepts_ordinary_prefixes(String prefix) {
      assertThat(MqttSettings.validate(input("dev1", prefix)).topicPrefix()).isEqualTo(prefix);
    }

    @Test
    void accepts_256_bytes_of_multibyte_utf8_and_rejects_257() {
      String ok = "é".repeat(128); // 2 bytes each
      String tooLong = "é".repeat(128) + "a";
      String threeByte = "€".repeat(85) + "a"; // 255 + 1 bytes

      assertThat(ok.getBytes(StandardCharsets.UTF_8)).hasSize(256);
      assertThat(threeByte.getBytes(StandardCharsets.UTF_8)).hasSize(256);
      assertThat(MqttSettings.validate(input("dev1", ok)).topicPrefix()).isEqualTo(ok);
      assertThat(MqttSettings.validate(input("dev1", threeByte)).topicPrefix()).isEqualTo(threeByte);
      assertThat(onlyError(input("dev1", tooLong)))
          .isEqualTo(new FieldError("topic_prefix", "must be at most 256 bytes of UTF-8"));
      assertThat(onlyError(input("dev1", "€".repeat(86))).message()).contains("at most 256 bytes");
    }

    @Test
    void counts_bytes_not_characters() {
      String chars200 = "ä".repeat(200); // 200 characters, 400 bytes
      assertThat(onlyError(input("dev1", chars200)).message()).contains("at most 256 bytes");
    }

    static Stream<Arguments> badPrefixes() {
      return Stream.of(
          Arguments.of("", "must not be empty"),
          Arguments.of("a/+/b", "wildcards"),
          Arguments.of("+", "wildcards"),
          Arguments.of("a/#", "wildcards"),
          Arguments.of("a\u0000b", "NUL or control characters"),
          Arguments.of("a\u0001b", "NUL or control characters"),
          Arguments.of("a\u001fb", "NUL or control characters"),
          Arguments.of("a\tb", "NUL or control characters"),
          Arguments.of("a\u007fb", "NUL or control characters"),
          Arguments.of("a\u0085b", "NUL or control characters"),
          Arguments.of("a\u009fb", "NUL or control characters"),
          Arguments.of("$SYS", "must not start with '$'"),
          Arguments.of("$share/x", "must not start with '$'"),
          Arguments.of("/nexflux", "must not start with '/'"),
          Arguments.of("nexflux/", "must not end with '/'"),
          Arguments.of("/", "must not start with '/'"),
          Arguments.of("a//b", "empty level"),
          Arguments.of("a\ud800b", "valid UTF-8"),
          Arguments.of("a\udc00b", "valid UTF-8"),
          Arguments.of("a\ud83d", "valid UTF-8"),
          Arguments.of("\ude00\ud83d", "valid UTF-8"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badPrefixes")
    void rejects(String prefix, String fragment) {
      FieldError e = onlyError(input("dev1", prefix));
      assertThat(e.field()).isEqualTo("topic_prefix");
      assertThat(e.message()).contains(fragment);
    }

    @Test
    void allows_a_dollar_sign_after_the_start() {
      assertThat(MqttSettings.validate(input("dev1", "a$b")).topicPrefix()).isEqualTo("a$b");
    }

    @Test
    void defaults_when_left_out() {
      assertThat(MqttSettings.validate(input("dev1", null)).topicPrefix())
          .isEqualTo(MqttSettings.DEFAULT_TOPIC_PREFIX)
          .isEqualTo("nexflux/device");
    }
  }

  @Nested
  class Authentication {
    @Test
    void requires_a_username_when_use_authentication_is_true() {
      for (String missing : new String[] {null, "", "   "}) {
        var in = new MqttSettingsInput(true, URL, missing, Secret.of("pw"), true, "dev1", null);
        assertThat(onlyError(in))
            .isEqualTo(new FieldError("username", "is required when use_authentication is true"));
      }
    }

    @Test
    void keeps_username_with_use_authentication() {
      var s = MqttSettings.validate(new MqttSettingsInput(true, URL, "alice", Secret.of("pw"), true, "dev1", null));
      assertThat(s.useAuthentication()).isTrue();
      assertThat(s.username()).isEqualTo("alice");
    }

    @Test
    void use_authentication_false_drops_the_username_and_ignores_the_password() {
      String hugePassword = "x".repeat(5000);
      var s = MqttSettings.validate(
          new MqttSettingsInput(true, URL, "alice", Secret.of(hugePassword), false, "dev1", null));
      assertThat(s.useAuthentication()).isFalse();
      assertThat(s.username()).isNull();
    }

    @Test
    void use_authentication_left_out_means_false() {
      var s = MqttSettings.validate(new MqttSettingsInput(null, URL, "alice", null, null, "dev1", null));
      assertThat(s.useAuthentication()).isFalse();
      assertThat(s.username()).isNull();
    }

    @Test
    void rejects_an_overlong_username_or_one_with_control_characters() {
      var tooLong = new MqttSettingsInput(true, URL, "u".repeat(257), null, true, "dev1", null);
      var control = new MqttSettingsInput(true, URL, "ali\nce", null, true, "dev1", null);
      assertThat(onlyError(tooLong).message()).contains("at most 256 characters");
      assertThat(onlyError(control).message()).contains("control characters");
      assertThat(MqttSettings.validate(new MqttSettingsInput(true, URL, "u".repeat(256), null, true, "dev1", null))
          .username()).hasSize(256);
    }

    @Test
    void rejects_a_password_over_1024_bytes_without_echoing_it() {
      String pw = "CANARY-pw-77" + "é".repeat(507); // 12 + 1014 = 1026 bytes
      var e = invalid(new MqttSettingsInput(true, URL, "alice", Secret.of(pw), true, "dev1", null));
      assertThat(e.errors()).containsExactly(new FieldError("password", "must be at most 1024 bytes"));
      assertThat(e.getMessage()).doesNotContain("CANARY-pw-77");
      assertThat(MqttSettings.validate(
          new MqttSettingsInput(true, URL, "alice", Secret.of("p".repeat(1024)), true, "dev1", null)))
          .isNotNull();
    }
  }

  @Test
  void enabled_defaults_to_true_and_can_be_switched_off() {
    assertThat(MqttSettings.validate(input("dev1", null)).enabled()).isTrue();
    assertThat(MqttSettings.validate(new MqttSettingsInput(false, URL, null, null, null, "dev1", null)).enabled())
        .isFalse();
    assertThat(MqttSettings.validate(new MqttSettingsInput(true, URL, null, null, null, "dev1", null)).enabled())
        .isTrue();
  }

  @Test
  void a_valid_form_becomes_settings() {
    var s = MqttSettings.validate(
        new MqttSettingsInput(true, URL, "alice", Secret.of("pw"), true, "esp32-1", "school/3b"));
    assertThat(s).isEqualTo(new MqttSettings(true, BrokerUrl.parse("broker_url", URL).url(), true, "alice",
        "esp32-1", "school/3b"));
  }

  @Test
  void a_bad_broker_url_is_reported_under_broker_url() {
    var e = onlyError(new MqttSettingsInput(null, "http://x.example", null, null, null, "dev1", null));
    assertThat(e.field()).isEqualTo("broker_url");
  }

  @Test
  void reports_every_failing_field_not_just_the_first() {
    var in = new MqttSettingsInput(true, "http://broker.example.com", "", Secret.of("CANARY-pw-77"), true,
        "-bad", "#");

    ValidationException e = invalid(in);

    assertThat(e.errors()).extracting(FieldError::field)
        .containsExactly("broker_url", "username", "device_id", "topic_prefix");
    assertThat(e.getMessage())
        .isEqualTo("Validation failed: broker_url, username, device_id, topic_prefix")
        .doesNotContain("CANARY-pw-77");
    assertThat(e.code()).isEqualTo("VALIDATION_FAILED");
  }

  @Test
  void an_all_empty_form_names_the_required_fields() {
    var e = invalid(new MqttSettingsInput(null, null, null, null, null, null, null));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("broker_url", "device_id");
  }

  @Test
  void the_record_refuses_inconsistent_authentication() {
    BrokerUrl url = BrokerUrl.parse("broker_url", URL).url();
    assertThatThrownBy(() -> new MqttSettings(true, url, true, null, "d", "p"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new MqttSettings(true, url, false, "alice", "d", "p"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void with_enabled_changes_only_enabled() {
    var s = MqttSettings.validate(input("dev1", "a/b"));
    var off = s.withEnabled(false);
    assertThat(off.enabled()).isFalse();
    assertThat(off.withEnabled(true)).isEqualTo(s);
  }
}
