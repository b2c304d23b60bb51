package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.audit.AuditTrailService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.testing.AesGcmTestCipher;
import com.nexflux.integrations.core.testing.FixedResolver;
import com.nexflux.integrations.core.testing.InMemoryAuditLog;
import com.nexflux.integrations.core.testing.InMemoryMqttIntegrationRepository;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.core.testing.ScriptedProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MqttIntegrationServiceTest {
  static final String CANARY = "CANARY-pw-77";
  static final String BROKER = "wss://broker.example.com:8884/mqtt";
  static final String BROKER_IP = "93.184.215.14";
  static final String OTHER_BROKER = "mqtts://other.example.com";
  static final String DEFAULT_BROKER = "wss://mqtt.nexflux.example/mqtt";
  static final Duration TEST_TIMEOUT = Duration.ofMillis(300);

  final UserId alice = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
  final UserId bob = new UserId(UUID.fromString("00000000-0000-4000-8000-000000000b0b"));
  final RequestContext ctx = new RequestContext("req-1", "198.51.100.23", "JUnit/5");

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryMqttIntegrationRepository repo;
  AesGcmTestCipher cipher;
  ScriptedProbe probe;
  FixedResolver resolver;
  TestRateLimiter limiter;
  MqttIntegrationService service;

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    repo = new InMemoryMqttIntegrationRepository(audit);
    cipher = new AesGcmTestCipher();
    probe = new ScriptedProbe();
    resolver = new FixedResolver()
        .map("broker.example.com", BROKER_IP)
        .map("other.example.com", "93.184.215.15")
        .map("internal.example.com", "10.0.0.5");
    limiter = new TestRateLimiter(10, Duration.ofMinutes(1), clock);
    service = service(DEFAULT_BROKER, Runnable::run);
  }

  @AfterEach
  void releaseHangingProbes() {
    probe.completePending(ScriptedProbe.failed(ProbeErrorCode.UNKNOWN));
  }

  MqttIntegrationService service(String defaultBroker, java.util.concurrent.Executor executor) {
    BrokerUrl def = defaultBroker == null ? null : BrokerUrl.parse("default_mqtt_broker_url", defaultBroker).url();
    return new MqttIntegrationService(repo, audit, cipher, probe, new OutboundGuard(resolver, List.of()), limiter,
        clock, executor, TEST_TIMEOUT, def);
  }

  static MqttSettingsInput open(String url) {
    return new MqttSettingsInput(true, url, null, null, false, "esp32-1", "school/3b");
  }

  static MqttSettingsInput auth(String url, String username, String password) {
    return new MqttSettingsInput(true, url, username, password == null ? null : Secret.of(password), true,
        "esp32-1", "school/3b");
  }

  static MqttSettingsInput withPrefix(MqttSettingsInput in, String prefix) {
    return new MqttSettingsInput(in.enabled(), in.brokerUrl(), in.username(), in.password(),
        in.useAuthentication(), in.deviceId(), prefix);
  }

  static MqttSettingsInput withEnabled(MqttSettingsInput in, boolean enabled) {
    return new MqttSettingsInput(enabled, in.brokerUrl(), in.username(), in.password(), in.useAuthentication(),
        in.deviceId(), in.topicPrefix());
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS); // a guard against hanging, not a timing assertion
  }

  Secret storedPassword(UserId user) {
    EncryptedSecret c = repo.stored(user).orElseThrow().password().orElseThrow();
    return cipher.decrypt(c, new SecretContext(user, Provider.MQTT, MqttIntegrationService.PASSWORD_FIELD));
  }

  MqttView saveAliceWithPassword() {
    return service.put(alice, auth(BROKER, "alice", CANARY), ctx);
  }

  @Nested
  class SavingAndReading {
    @Test
    void put_then_get_never_returns_the_password_but_says_one_is_stored() {
      MqttView put = saveAliceWithPassword();
      MqttView got = service.get(alice);

      for (MqttView v : List.of(put, got)) {
        assertThat(v.configured()).isTrue();
        assertThat(v.hasPassword()).isTrue();
        assertThat(v.username()).isEqualTo("alice");
        assertThat(v.useAuthentication()).isTrue();
        assertThat(v.brokerUrl()).isEqualTo(BROKER);
        assertThat(v.deviceId()).isEqualTo("esp32-1");
        assertThat(v.topicPrefix()).isEqualTo("school/3b");
        assertThat(v.enabled()).isTrue();
        assertThat(v.status()).isEqualTo(MqttStatus.UNTESTED);
        assertThat(v.toString()).doesNotContain(CANARY);
      }
      assertThat(got).isEqualTo(put);
    }

    @Test
    void the_stored_integration_holds_only_ciphertext() {
      saveAliceWithPassword();

      MqttIntegration stored = repo.stored(alice).orElseThrow();
      String ciphertext = stored.password().orElseThrow().ciphertext();
      String base64Canary = Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8));
      assertThat(ciphertext).doesNotContain(CANARY).doesNotContain(base64Canary).isNotBlank();
      assertThat(stored.toString()).doesNotContain(CANARY);
      assertThat(stored.settings().toString()).doesNotContain(CANARY);
      assertThat(storedPassword(alice).reveal()).as("it is the real password, encrypted").isEqualTo(CANARY);
    }

    @Test
    void put_without_a_password_keeps_the_stored_one() {
      saveAliceWithPassword();
      EncryptedSecret before = repo.stored(alice).orElseThrow().password().orElseThrow();

      MqttView v = service.put(alice, withPrefix(auth(BROKER, "alice", null), "school/4a"), ctx);

      assertThat(v.hasPassword()).isTrue();
      assertThat(v.topicPrefix()).isEqualTo("school/4a");
      assertThat(repo.stored(alice).orElseThrow().password()).contains(before);
      assertThat(storedPassword(alice).reveal()).isEqualTo(CANARY);
      assertThat(audit.latest().details()).doesNotContainKey("password_changed");
    }

    @Test
    void put_with_a_new_password_replaces_the_stored_one() {
      saveAliceWithPassword();

      service.put(alice, auth(BROKER, "alice", "new-secret"), ctx);

      assertThat(storedPassword(alice).reveal()).isEqualTo("new-secret");
      assertThat(audit.latest().details()).containsEntry("password_changed", "true");
    }

    @Test
    void use_authentication_false_drops_the_username_and_the_password() {
      saveAliceWithPassword();

      MqttView v = service.put(alice, open(BROKER), ctx);

      assertThat(v.useAuthentication()).isFalse();
      assertThat(v.username()).isNull();
      assertThat(v.hasPassword()).isFalse();
      MqttIntegration stored = repo.stored(alice).orElseThrow();
      assertThat(stored.password()).isEmpty();
      assertThat(stored.settings().username()).isNull();

      MqttView again = service.put(alice, auth(BROKER, "alice", null), ctx);
      assertThat(again.hasPassword()).as("a dropped password does not come back").isFalse();
    }

    @Test
    void a_first_save_without_a_password_has_none() {
      MqttView v = service.put(alice, auth(BROKER, "alice", null), ctx);
      assertThat(v.hasPassword()).isFalse();
      assertThat(repo.stored(alice).orElseThrow().password()).isEmpty();
    }

    @Test
    void a_validation_failure_stores_nothing_and_writes_no_audit_event() {
      var bad = new MqttSettingsInput(true, "http://broker.example.com", "", Secret.of(CANARY), true, "-x", "#");

      var e = catchThrowableOfType(() -> service.put(alice, bad, ctx), ValidationException.class);

      assertThat(e.errors()).extracting(FieldError::field)
          .containsExactly("broker_url", "username", "device_id", "topic_prefix");
      assertThat(repo.size()).isZero();
      assertThat(audit.size()).isZero();
      assertThat(cipher.encryptions()).as("nothing encrypted").isZero();
    }

    @Test
    void a_validation_failure_leaves_existing_settings_unchanged() {
      saveAliceWithPassword();
      MqttIntegration before = repo.stored(alice).orElseThrow();
      int events = audit.size();

      assertThatThrownBy(() -> service.put(alice, open("mqtt://broker.example.com/path"), ctx))
          .isInstanceOf(ValidationException.class);

      assertThat(repo.stored(alice).orElseThrow()).isSameAs(before);
      assertThat(audit.size()).isEqualTo(events);
    }

    @Test
    void a_host_in_a_refused_network_is_a_validation_error_on_broker_url_and_nothing_is_stored() {
      for (String url : List.of("mqtt://internal.example.com", "mqtt://127.0.0.1", "ws://169.254.169.254",
          "mqtt://[::1]:1883", "mqtt://[fd00:ec2::254]", "mqtt://[::ffff:10.0.0.1]")) {
        var e = catchThrowableOfType(() -> service.put(alice, open(url), ctx), ValidationException.class);
        assertThat(e).as(url).isNotNull();
        assertThat(e.errors()).singleElement().satisfies(fe -> {
          assertThat(fe.field()).isEqualTo("broker_url");
          assertThat(fe.message()).contains("may not connect to");
        });
      }
      assertThat(repo.size()).isZero();
      assertThat(audit.size()).isZero();
      assertThat(probe.callCount()).isZero();
    }

    @Test
    void an_unresolvable_host_is_a_validation_error_on_broker_url() {
      var e = catchThrowableOfType(() -> service.put(alice, open("mqtt://nowhere.invalid"), ctx),
          ValidationException.class);
      assertThat(e.errors()).singleElement()
          .isEqualTo(new FieldError("broker_url", "host 'nowhere.invalid' could not be resolved"));
      assertThat(repo.size()).isZero();
    }

    @Test
    void get_when_nothing_is_saved_is_not_configured_and_shows_the_default_broker() {
      MqttView v = service.get(alice);

      assertThat(v.configured()).isFalse();
      assertThat(v.status()).isEqualTo(MqttStatus.NOT_CONFIGURED);
      assertThat(v.status().key()).isEqualTo("not_configured");
      assertThat(v.defaultBrokerUrl()).isEqualTo(DEFAULT_BROKER);
      assertThat(v.brokerUrl()).isNull();
      assertThat(v.hasPassword()).isFalse();
      assertThat(v.enabled()).isFalse();
      assertThat(v.lastConnectedAt()).isNull();
    }

    @Test
    void get_when_nothing_is_saved_and_no_default_broker_is_set_shows_none() {
      assertThat(service(null, Runnable::run).get(alice).defaultBrokerUrl()).isNull();
    }

    @Test
    void delete_removes_the_settings_and_is_idempotent() {
      saveAliceWithPassword();

      service.delete(alice, ctx);
      service.delete(alice, ctx);

      assertThat(repo.stored(alice)).isEmpty();
      assertThat(service.get(alice).status()).isEqualTo(MqttStatus.NOT_CONFIGURED);
    }
  }

  /** The stored password stands in for an omitted one only while scheme, host and port stay the same. */
  @Nested
  class StoredPasswordReuse {
    static final String WS_BROKER = "ws://broker.example.com:9001/mqtt";

    void assertOnlyPasswordFails(ThrowingCallable call) {
      var e = catchThrowableOfType(call, ValidationException.class);
      assertThat(e).as("a ValidationException").isNotNull();
      assertThat(e.code()).isEqualTo("VALIDATION_FAILED");
      assertThat(e.errors()).singleElement().satisfies(fe -> {
        assertThat(fe.field()).isEqualTo("password");
        assertThat(fe.message()).contains("required when the broker address changes").doesNotContain(CANARY);
      });
    }

    void assertPutKeepsNothingAndRecordsNothing(MqttSettingsInput input) {
      MqttIntegration before = repo.stored(alice).orElseThrow();
      int events = audit.size();
      int encryptions = cipher.encryptions();
      int decryptions = cipher.decryptions();

      assertOnlyPasswordFails(() -> service.put(alice, input, ctx));

      assertThat(repo.stored(alice).orElseThrow()).as("nothing stored").isSameAs(before);
      assertThat(audit.size()).as("no audit row").isEqualTo(events);
      assertThat(cipher.encryptions()).isEqualTo(encryptions);
      assertThat(cipher.decryptions()).as("the stored password was not even decrypted").isEqualTo(decryptions);
      assertThat(probe.callCount()).isZero();
    }

    @Test
    void put_to_another_host_without_a_password_is_a_400_on_password_and_changes_nothing() {
      saveAliceWithPassword();

      assertPutKeepsNothingAndRecordsNothing(auth(OTHER_BROKER, "alice", null));
      assertPutKeepsNothingAndRecordsNothing(auth("wss://other.example.com:8884/mqtt", "alice", null));

      assertThat(storedPassword(alice).reveal()).isEqualTo(CANARY);
      assertThat(service.get(alice).brokerUrl()).isEqualTo(BROKER);
    }

    @Test
    void put_to_another_host_with_a_password_saves_that_password() {
      saveAliceWithPassword();

      MqttView v = service.put(alice, auth(OTHER_BROKER, "alice", "for-other"), ctx);

      assertThat(v.brokerUrl()).isEqualTo(OTHER_BROKER);
      assertThat(storedPassword(alice).reveal()).isEqualTo("for-other");
    }

    @Test
    void a_port_change_requires_the_password() {
      saveAliceWithPassword(); // wss://broker.example.com:8884/mqtt

      assertPutKeepsNothingAndRecordsNothing(auth("wss://broker.example.com:8885/mqtt", "alice", null));
      assertPutKeepsNothingAndRecordsNothing(auth("wss://broker.example.com/mqtt", "alice", null)); // 443
    }

    @Test
    void a_scheme_change_requires_the_password() {
      service.put(alice, auth("mqtt://broker.example.com", "alice", CANARY), ctx);

      assertPutKeepsNothingAndRecordsNothing(auth("mqtts://broker.example.com", "alice", null));
      assertPutKeepsNothingAndRecordsNothing(auth("mqtts://broker.example.com:1883", "alice", null));
      assertPutKeepsNothingAndRecordsNothing(auth("ws://broker.example.com:1883", "alice", null));
    }

    @Test
    void ws_to_wss_on_the_same_port_requires_the_password() {
      service.put(alice, auth(WS_BROKER, "alice", CANARY), ctx);

      assertPutKeepsNothingAndRecordsNothing(auth("wss://broker.example.com:9001/mqtt", "alice", null));
    }

    @Test
    void the_same_host_with_another_websocket_path_or_query_keeps_the_password() {
      service.put(alice, auth(WS_BROKER, "alice", CANARY), ctx);
      EncryptedSecret before = repo.stored(alice).orElseThrow().password().orElseThrow();

      MqttView v = service.put(alice, auth("ws://broker.example.com:9001/other/ws?tenant=3b", "alice", null), ctx);

      assertThat(v.brokerUrl()).isEqualTo("ws://broker.example.com:9001/other/ws?tenant=3b");
      assertThat(v.hasPassword()).isTrue();
      assertThat(repo.stored(alice).orElseThrow().password()).contains(before);
      assertThat(storedPassword(alice).reveal()).isEqualTo(CANARY);
    }

    @Test
    void host_case_a_default_port_written_out_and_idn_spellings_are_the_same_server() {
      resolver.map("xn--bcher-kva.example", "93.184.215.16");
      service.put(alice, auth("mqtt://bücher.example", "alice", CANARY), ctx);

      for (String same : List.of("mqtt://xn--bcher-kva.example:1883", "MQTT://BÜCHER.example:1883/",
          "mqtt://XN--BCHER-KVA.EXAMPLE")) {
        MqttView v = service.put(alice, auth(same, "alice", null), ctx);
        assertThat(v.hasPassword()).as(same).isTrue();
        assertThat(storedPassword(alice).reveal()).as(same).isEqualTo(CANARY);
      }
    }

    @Test
    void a_changed_username_on_the_same_broker_keeps_the_password() {
      saveAliceWithPassword();

      MqttView v = service.put(alice, auth(BROKER, "alice-2", null), ctx);

      assertThat(v.username()).isEqualTo("alice-2");
      assertThat(v.hasPassword()).isTrue();
      assertThat(storedPassword(alice).reveal()).isEqualTo(CANARY);
    }

    @Test
    void the_missing_password_is_reported_with_every_other_failing_field() {
      saveAliceWithPassword();
      MqttIntegration before = repo.stored(alice).orElseThrow();
      int events = audit.size();
      var bad = new MqttSettingsInput(true, OTHER_BROKER, " ", null, true, "-x", "a/#");

      var e = catchThrowableOfType(() -> service.put(alice, bad, ctx), ValidationException.class);

      assertThat(e.errors()).extracting(FieldError::field)
          .containsExactly("username", "device_id", "topic_prefix", "password");
      assertThat(repo.stored(alice).orElseThrow()).isSameAs(before);
      assertThat(audit.size()).isEqualTo(events);
    }

    @Test
    void an_invalid_broker_url_is_reported_alone_since_the_password_rule_depends_on_it() {
      saveAliceWithPassword();

      var e = catchThrowableOfType(() -> service.put(alice, auth("http://other.example.com", "alice", null), ctx),
          ValidationException.class);

      assertThat(e.errors()).extracting(FieldError::field).containsExactly("broker_url");
    }

    @Test
    void nothing_is_required_when_no_password_is_stored() {
      service.put(alice, auth(BROKER, "alice", null), ctx); // a user name without a password

      MqttView moved = service.put(alice, auth(OTHER_BROKER, "alice", null), ctx);

      assertThat(moved.brokerUrl()).isEqualTo(OTHER_BROKER);
      assertThat(moved.hasPassword()).isFalse();
    }

    @Test
    void moving_without_authentication_needs_no_password_and_drops_the_stored_one() {
      saveAliceWithPassword();

      MqttView v = service.put(alice, open(OTHER_BROKER), ctx);

      assertThat(v.hasPassword()).isFalse();
      assertThat(repo.stored(alice).orElseThrow().password()).isEmpty();
    }

    @Test
    void an_unsaved_test_of_another_host_without_a_password_is_a_400_and_never_reaches_the_probe() {
      saveAliceWithPassword();
      MqttIntegration before = repo.stored(alice).orElseThrow();
      int events = audit.size();
      int decryptions = cipher.decryptions();

      for (String other : List.of(OTHER_BROKER, "wss://broker.example.com:8885/mqtt",
          "ws://broker.example.com:8884/mqtt", "mqtts://93.184.215.14:8884")) {
        assertOnlyPasswordFails(() -> service.testUnsaved(alice, auth(other, "alice", null), ctx));
      }

      assertThat(probe.callCount()).as("no connection was attempted").isZero();
      assertThat(cipher.decryptions()).as("the stored password was not decrypted").isEqualTo(decryptions);
      assertThat(repo.stored(alice).orElseThrow()).isSameAs(before);
      assertThat(audit.size()).as("nothing recorded").isEqualTo(events);
    }

    @Test
    void refused_unsaved_tests_do_not_use_up_the_rate_limit() throws Exception {
      saveAliceWithPassword();
      for (int i = 0; i < 12; i++) {
        assertOnlyPasswordFails(() -> service.testUnsaved(alice, auth(OTHER_BROKER, "alice", null), ctx));
      }

      assertThat(await(service.testUnsaved(alice, auth(OTHER_BROKER, "alice", "typed"), ctx)).connected()).isTrue();
      assertThat(probe.callCount()).isEqualTo(1);
      assertThat(probe.lastCall().passwordIs("typed")).isTrue();
    }

    @Test
    void an_unsaved_test_of_the_same_server_reuses_the_stored_password() throws Exception {
      saveAliceWithPassword();

      await(service.testUnsaved(alice, auth("WSS://Broker.Example.com:8884/other?x=1", "alice", null), ctx));

      assertThat(probe.callCount()).isEqualTo(1);
      assertThat(probe.lastCall().passwordIs(CANARY)).isTrue();
      assertThat(probe.lastCall().target().host()).isEqualTo("broker.example.com");
    }

    @Test
    void an_unsaved_test_of_another_host_sends_the_typed_password_only() throws Exception {
      saveAliceWithPassword();

      await(service.testUnsaved(alice, auth(OTHER_BROKER, "alice", "typed-now"), ctx));

      assertThat(probe.lastCall().passwordIs("typed-now")).isTrue();
      assertThat(probe.calls()).noneMatch(c -> c.passwordIs(CANARY));
    }
  }

  @Nested
  class Status {
    @Test
    void moves_from_untested_to_connected_to_untested_to_error_to_disabled() throws Exception {
      assertThat(saveAliceWithPassword().status()).isEqualTo(MqttStatus.UNTESTED);

      Instant testedAt = clock.advance(Duration.ofMinutes(5));
      await(service.testSaved(alice, ctx));
      MqttView connected = service.get(alice);
      assertThat(connected.status()).isEqualTo(MqttStatus.CONNECTED);
      assertThat(connected.lastConnectedAt()).isEqualTo(testedAt);
      assertThat(connected.lastTestedAt()).isEqualTo(testedAt);
      assertThat(connected.lastError()).isNull();

      clock.advance(Duration.ofMinutes(1));
      MqttView moved = service.put(alice, auth(OTHER_BROKER, "alice", CANARY), ctx);
      assertThat(moved.status()).isEqualTo(MqttStatus.UNTESTED);
      assertThat(moved.lastTestedAt()).isNull();

      probe.willReturn(ScriptedProbe.failed(ProbeErrorCode.AUTH_FAILED));
      Instant failedAt = clock.advance(Duration.ofMinutes(1));
      await(service.testSaved(alice, ctx));
      MqttView error = service.get(alice);
      assertThat(error.status()).isEqualTo(MqttStatus.ERROR);
      assertThat(error.lastError()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
      assertThat(error.lastTestedAt()).isEqualTo(failedAt);
      assertThat(error.lastConnectedAt()).as("a failure does not move last_connected_at").isEqualTo(testedAt);

      MqttView disabled = service.put(alice, withEnabled(auth(OTHER_BROKER, "alice", null), false), ctx);
      assertThat(disabled.status()).isEqualTo(MqttStatus.DISABLED);
      assertThat(disabled.enabled()).isFalse();
      assertThat(service.get(alice).status()).isEqualTo(MqttStatus.DISABLED);
    }

    @Test
    void changing_only_the_topic_prefix_keeps_the_test_result() throws Exception {
      saveAliceWithPassword();
      await(service.testSaved(alice, ctx));
      MqttView before = service.get(alice);

      MqttView after = service.put(alice, withPrefix(auth(BROKER, "alice", null), "school/9z"), ctx);

      assertThat(after.status()).isEqualTo(MqttStatus.CONNECTED);
      assertThat(after.lastTestedAt()).isEqualTo(before.lastTestedAt());
      assertThat(after.lastConnectedAt()).isEqualTo(before.lastConnectedAt());
    }

    @Test
    void changing_the_password_or_the_username_forgets_the_test_result() throws Exception {
      saveAliceWithPassword();
      await(service.testSaved(alice, ctx));

      assertThat(service.put(alice, auth(BROKER, "alice", "changed"), ctx).status())
          .isEqualTo(MqttStatus.UNTESTED);
      await(service.testSaved(alice, ctx));
      assertThat(service.put(alice, auth(BROKER, "bob", null), ctx).status()).isEqualTo(MqttStatus.UNTESTED);
    }
  }

  @Nested
  class ConnectionTests {
    @Test
    void test_saved_records_the_result_and_audits_it() throws Exception {
      saveAliceWithPassword();
      int before = audit.size();

      ConnectionTestResult r = await(service.testSaved(alice, ctx));

      assertThat(r).isEqualTo(ScriptedProbe.CONNECTED);
      assertThat(audit.size()).isEqualTo(before + 1);
      AuditEvent e = audit.latest();
      assertThat(e.action()).isEqualTo(AuditEvent.Actions.TEST);
      assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
      assertThat(e.reason()).isNull();
      assertThat(e.details()).containsEntry("broker_host", "broker.example.com").containsEntry("protocol", "mqtt/5.0");
      assertThat(repo.stored(alice).orElseThrow().lastTest()).hasValueSatisfying(t -> assertThat(t.success()).isTrue());
      assertThat(probe.lastCall().passwordIs(CANARY)).as("the saved password was decrypted for the probe").isTrue();
      assertThat(probe.lastCall().username()).isEqualTo("alice");
    }

    @Test
    void a_failed_saved_test_is_audited_as_a_failure_with_its_code() throws Exception {
      saveAliceWithPassword();
      probe.willReturn(ScriptedProbe.failed(ProbeErrorCode.TLS_ERROR));

      ConnectionTestResult r = await(service.testSaved(alice, ctx));

      assertThat(r).isInstanceOf(ConnectionTestResult.Failed.class);
      assertThat(audit.latest().outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
      assertThat(audit.latest().reason()).isEqualTo("TLS_ERROR");
    }

    @Test
    void test_unsaved_records_nothing() throws Exception {
      saveAliceWithPassword();
      MqttIntegration before = repo.stored(alice).orElseThrow();
      int events = audit.size();

      ConnectionTestResult r = await(service.testUnsaved(alice, open(OTHER_BROKER), ctx));

      assertThat(r.connected()).isTrue();
      assertThat(repo.stored(alice).orElseThrow()).isSameAs(before);
      assertThat(audit.size()).isEqualTo(events);
      assertThat(probe.lastCall().target().host()).isEqualTo("other.example.com");
    }

    @Test
    void test_unsaved_with_nothing_saved_needs_nothing_saved() throws Exception {
      assertThat(await(service.testUnsaved(alice, open(BROKER), ctx)).connected()).isTrue();
      assertThat(repo.size()).isZero();
      assertThat(audit.size()).isZero();
    }

    @Test
    void test_unsaved_without_a_password_uses_the_stored_one() throws Exception {
      saveAliceWithPassword();

      await(service.testUnsaved(alice, auth(BROKER, "alice", null), ctx));

      assertThat(probe.lastCall().passwordGiven()).isTrue();
      assertThat(probe.lastCall().passwordIs(CANARY)).isTrue();
    }

    @Test
    void test_unsaved_with_a_password_uses_the_given_one() throws Exception {
      saveAliceWithPassword();

      await(service.testUnsaved(alice, auth(OTHER_BROKER, "alice", "typed-now"), ctx));

      assertThat(probe.lastCall().passwordIs("typed-now")).isTrue();
      assertThat(probe.lastCall().passwordIs(CANARY)).isFalse();
    }

    @Test
    void test_unsaved_without_authentication_sends_no_credentials() throws Exception {
      saveAliceWithPassword();

      await(service.testUnsaved(alice, open(BROKER), ctx));

      assertThat(probe.lastCall().passwordGiven()).isFalse();
      assertThat(probe.lastCall().username()).isNull();
    }

    @Test
    void test_unsaved_does_not_borrow_a_password_from_settings_saved_without_authentication() throws Exception {
      service.put(alice, open(BROKER), ctx);

      await(service.testUnsaved(alice, auth(BROKER, "alice", null), ctx));

      assertThat(probe.lastCall().passwordGiven()).isFalse();
    }

    @Test
    void test_unsaved_validates_its_input() {
      assertThatThrownBy(() -> service.testUnsaved(alice, open("http://x.example"), ctx))
          .isInstanceOf(ValidationException.class);
      assertThat(probe.callCount()).isZero();
    }

    @Test
    void test_saved_with_nothing_saved_is_not_found() {
      assertThatThrownBy(() -> service.testSaved(alice, ctx)).isInstanceOf(NotFoundException.class);
      assertThat(probe.callCount()).isZero();
      assertThat(audit.size()).isZero();
    }

    @Test
    void the_probe_gets_the_resolved_address_and_the_host_name_only_for_tls_and_headers() throws Exception {
      saveAliceWithPassword();
      long lookupsBefore = resolver.lookupCount("broker.example.com");

      await(service.testSaved(alice, ctx));

      ScriptedProbe.Call call = probe.lastCall();
      assertThat(call.address().getHostAddress()).isEqualTo(BROKER_IP);
      assertThat(call.target().host()).isEqualTo("broker.example.com");
      assertThat(call.target().port()).isEqualTo(8884);
      assertThat(call.url().text()).isEqualTo(BROKER);
      assertThat(call.timeout()).isPositive().isLessThanOrEqualTo(TEST_TIMEOUT);
      assertThat(resolver.lookupCount("broker.example.com") - lookupsBefore).as("resolved once").isEqualTo(1);
    }

    @Test
    void a_dns_failure_is_reported_without_calling_the_probe() throws Exception {
      ConnectionTestResult r = await(service.testUnsaved(alice, open("mqtt://nowhere.invalid"), ctx));

      assertThat(r).isInstanceOfSatisfying(ConnectionTestResult.Failed.class,
          f -> assertThat(f.code()).isEqualTo(ProbeErrorCode.DNS_FAILURE));
      assertThat(probe.callCount()).isZero();
    }

    @Test
    void a_saved_host_that_stopped_resolving_is_a_recorded_dns_failure() throws Exception {
      saveAliceWithPassword();
      resolver.forget("broker.example.com");

      ConnectionTestResult r = await(service.testSaved(alice, ctx));

      assertThat(((ConnectionTestResult.Failed) r).code()).isEqualTo(ProbeErrorCode.DNS_FAILURE);
      assertThat(probe.callCount()).isZero();
      assertThat(service.get(alice).lastError()).isEqualTo(ProbeErrorCode.DNS_FAILURE);
      assertThat(audit.latest().reason()).isEqualTo("DNS_FAILURE");
    }

    @Test
    void a_private_address_is_refused_without_calling_the_probe() throws Exception {
      ConnectionTestResult r = await(service.testUnsaved(alice, open("mqtt://internal.example.com"), ctx));

      assertThat(((ConnectionTestResult.Failed) r).code()).isEqualTo(ProbeErrorCode.HOST_NOT_ALLOWED);
      assertThat(probe.callCount()).isZero();
    }

    @Test
    void a_saved_host_rebound_to_a_private_address_is_refused_at_test_time() throws Exception {
      saveAliceWithPassword();
      resolver.map("broker.example.com", "169.254.169.254");

      ConnectionTestResult r = await(service.testSaved(alice, ctx));

      assertThat(((ConnectionTestResult.Failed) r).code()).isEqualTo(ProbeErrorCode.HOST_NOT_ALLOWED);
      assertThat(probe.callCount()).isZero();
      assertThat(service.get(alice).status()).isEqualTo(MqttStatus.ERROR);
    }

    @Test
    void a_probe_that_never_completes_ends_as_connect_timeout() throws Exception {
      saveAliceWithPassword();
      probe.willNeverComplete();

      ConnectionTestResult r = await(service.testSaved(alice, ctx));

      assertThat(r).isInstanceOfSatisfying(ConnectionTestResult.Failed.class,
          f -> assertThat(f.code()).isEqualTo(ProbeErrorCode.CONNECT_TIMEOUT));
      assertThat(service.get(alice).lastError()).isEqualTo(ProbeErrorCode.CONNECT_TIMEOUT);
    }

    @Test
    void an_unsaved_test_with_a_hanging_probe_also_ends_as_connect_timeout() throws Exception {
      probe.willNeverComplete();

      ConnectionTestResult r = await(service.testUnsaved(alice, open(BROKER), ctx));

      assertThat(((ConnectionTestResult.Failed) r).code()).isEqualTo(ProbeErrorCode.CONNECT_TIMEOUT);
    }

    @Test
    void a_probe_that_fails_exceptionally_ends_as_unknown() throws Exception {
      probe.willReturnFuture(CompletableFuture.failedFuture(new IllegalStateException("boom " + CANARY)));

      ConnectionTestResult r = await(service.testUnsaved(alice, open(BROKER), ctx));

      assertThat(r).isInstanceOfSatisfying(ConnectionTestResult.Failed.class, f -> {
        assertThat(f.code()).isEqualTo(ProbeErrorCode.UNKNOWN);
        assertThat(f.message()).doesNotContain(CANARY);
      });
    }

    @Test
    void a_result_that_arrives_after_the_settings_changed_is_not_recorded() throws Exception {
      saveAliceWithPassword();
      CompletableFuture<ConnectionTestResult> held = probe.willHold();
      CompletableFuture<ConnectionTestResult> running = service.testSaved(alice, ctx);
      service.put(alice, auth(OTHER_BROKER, "alice", CANARY), ctx); // version moves on
      int events = audit.size();

      held.complete(ScriptedProbe.CONNECTED);

      assertThat(await(running)).as("the caller still gets its answer").isEqualTo(ScriptedProbe.CONNECTED);
      MqttView v = service.get(alice);
      assertThat(v.status()).isEqualTo(MqttStatus.UNTESTED);
      assertThat(v.lastConnectedAt()).isNull();
      assertThat(audit.size()).as("a dropped result is not audited").isEqualTo(events);
      assertThat(audit.withAction(AuditEvent.Actions.TEST)).isEmpty();
    }

    @Test
    void a_result_for_deleted_settings_is_not_recorded() throws Exception {
      saveAliceWithPassword();
      CompletableFuture<ConnectionTestResult> held = probe.willHold();
      CompletableFuture<ConnectionTestResult> running = service.testSaved(alice, ctx);
      service.delete(alice, ctx);

      held.complete(ScriptedProbe.CONNECTED);

      assertThat(await(running).connected()).isTrue();
      assertThat(repo.stored(alice)).isEmpty();
      assertThat(audit.withAction(AuditEvent.Actions.TEST)).isEmpty();
    }

    @Test
    void a_result_that_cannot_be_recorded_still_reaches_the_caller() throws Exception {
      saveAliceWithPassword();
      repo.failNextWrites(true);

      ConnectionTestResult r = await(service.testSaved(alice, ctx));

      assertThat(r.connected()).isTrue();
      repo.failNextWrites(false);
      assertThat(service.get(alice).status()).isEqualTo(MqttStatus.UNTESTED);
    }

    @Test
    void works_with_a_thread_pool_as_the_blocking_executor() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        MqttIntegrationService pooled = service(DEFAULT_BROKER, pool);
        pooled.put(alice, auth(BROKER, "alice", CANARY), ctx);

        ConnectionTestResult r = await(pooled.testSaved(alice, ctx));

        assertThat(r.connected()).isTrue();
        assertThat(pooled.get(alice).status()).isEqualTo(MqttStatus.CONNECTED);
        assertThat(probe.lastCall().address().getHostAddress()).isEqualTo(BROKER_IP);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  class RateLimit {
    @Test
    void ten_tests_pass_the_eleventh_is_limited_and_a_minute_later_tests_pass_again() throws Exception {
      saveAliceWithPassword();
      for (int i = 0; i < 10; i++) {
        assertThat(await(service.testSaved(alice, ctx)).connected()).isTrue();
      }

      var limited = catchThrowableOfType(() -> service.testSaved(alice, ctx), RateLimitedException.class);

      assertThat(limited).isNotNull();
      assertThat(limited.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
      assertThat(limited.code()).isEqualTo("RATE_LIMITED");
      assertThat(probe.callCount()).isEqualTo(10);

      clock.advance(Duration.ofSeconds(60));
      assertThat(await(service.testSaved(alice, ctx)).connected()).isTrue();
    }

    @Test
    void saved_and_unsaved_tests_share_the_limit() throws Exception {
      saveAliceWithPassword();
      for (int i = 0; i < 5; i++) {
        await(service.testSaved(alice, ctx));
        await(service.testUnsaved(alice, open(BROKER), ctx));
      }
      assertThatThrownBy(() -> service.testUnsaved(alice, open(BROKER), ctx))
          .isInstanceOf(RateLimitedException.class);
      assertThatThrownBy(() -> service.testSaved(alice, ctx)).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void limits_are_per_user() throws Exception {
      for (int i = 0; i < 10; i++) {
        await(service.testUnsaved(alice, open(BROKER), ctx));
      }
      assertThatThrownBy(() -> service.testUnsaved(alice, open(BROKER), ctx))
          .isInstanceOf(RateLimitedException.class);

      assertThat(await(service.testUnsaved(bob, open(BROKER), ctx)).connected()).isTrue();
    }
  }

  @Nested
  class Decryption {
    void copyAlicesCiphertextToBob() {
      saveAliceWithPassword();
      service.put(bob, auth(BROKER, "bob", "bobs-own"), ctx);
      EncryptedSecret alices = repo.stored(alice).orElseThrow().password().orElseThrow();
      repo.modify(bob, b -> MqttIntegration.restore(b.userId(), b.settings(), alices, b.connectedAt(),
          b.updatedAt(), b.version(), b.lastTest().orElse(null), b.lastConnectedAt().orElse(null)));
    }

    @Test
    void a_ciphertext_copied_to_another_user_is_unreadable_and_audited() {
      copyAlicesCiphertextToBob();
      int events = audit.size();

      Throwable t = catchThrowable(() -> service.testSaved(bob, ctx));

      assertThat(t).isInstanceOf(SecretUnreadableException.class);
      assertThat(((SecretUnreadableException) t).code()).isEqualTo("CREDENTIALS_UNREADABLE");
      assertThat(messages(t)).noneMatch(m -> m.contains(CANARY));
      assertThat(probe.callCount()).isZero();
      assertThat(audit.size()).isEqualTo(events + 1);
      AuditEvent e = audit.latest();
      assertThat(e.action()).isEqualTo(AuditEvent.Actions.DECRYPT_FAILED).isEqualTo("crypto.decrypt_failed");
      assertThat(e.userId()).isEqualTo(bob);
      assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
      assertThat(e.details()).containsEntry("field", MqttIntegrationService.PASSWORD_FIELD);
    }

    @Test
    void effective_settings_and_unsaved_tests_also_refuse_an_unreadable_password() {
      copyAlicesCiphertextToBob();

      assertThatThrownBy(() -> service.effectiveSettings(bob)).isInstanceOf(SecretUnreadableException.class);
      assertThatThrownBy(() -> service.testUnsaved(bob, auth(BROKER, "bob", null), ctx))
          .isInstanceOf(SecretUnreadableException.class);
      assertThat(audit.withAction(AuditEvent.Actions.DECRYPT_FAILED)).hasSize(2)
          .allSatisfy(e -> assertThat(e.userId()).isEqualTo(bob));
      assertThat(probe.callCount()).isZero();
    }

    @Test
    void alice_is_unaffected() throws Exception {
      copyAlicesCiphertextToBob();
      assertThat(await(service.testSaved(alice, ctx)).connected()).isTrue();
      assertThat(probe.lastCall().passwordIs(CANARY)).isTrue();
    }
  }

  @Nested
  class EffectiveSettings {
    @Test
    void are_the_users_own_when_saved_and_enabled_with_the_decrypted_password() {
      saveAliceWithPassword();

      EffectiveMqttSettings e = service.effectiveSettings(alice);

      assertThat(e.userOwned()).isTrue();
      assertThat(e.brokerUrl().text()).isEqualTo(BROKER);
      assertThat(e.username()).isEqualTo("alice");
      assertThat(e.passwordValue()).hasValueSatisfying(p -> assertThat(p.reveal()).isEqualTo(CANARY));
      assertThat(e.deviceId()).isEqualTo("esp32-1");
      assertThat(e.topicPrefix()).isEqualTo("school/3b");
      assertThat(e.toString()).doesNotContain(CANARY);
    }

    @Test
    void have_no_password_when_the_user_saved_none() {
      service.put(alice, open(BROKER), ctx);
      EffectiveMqttSettings e = service.effectiveSettings(alice);
      assertThat(e.userOwned()).isTrue();
      assertThat(e.passwordValue()).isEmpty();
      assertThat(e.username()).isNull();
    }

    @Test
    void are_the_default_broker_when_nothing_is_saved() {
      EffectiveMqttSettings e = service.effectiveSettings(alice);

      assertThat(e.userOwned()).isFalse();
      assertThat(e.brokerUrl().text()).isEqualTo(DEFAULT_BROKER);
      assertThat(e.username()).isNull();
      assertThat(e.password()).isNull();
      assertThat(e.deviceId()).isNull();
      assertThat(e.topicPrefix()).isEqualTo(MqttSettings.DEFAULT_TOPIC_PREFIX);
    }

    @Test
    void are_the_default_broker_with_the_users_topic_prefix_when_disabled() {
      service.put(alice, withEnabled(auth(BROKER, "alice", CANARY), false), ctx);

      EffectiveMqttSettings e = service.effectiveSettings(alice);

      assertThat(e.userOwned()).isFalse();
      assertThat(e.brokerUrl().text()).isEqualTo(DEFAULT_BROKER);
      assertThat(e.password()).isNull();
      assertThat(e.username()).isNull();
      assertThat(e.topicPrefix()).isEqualTo("school/3b");
      assertThat(cipher.decryptions()).as("a disabled password is not decrypted").isZero();
    }

    @Test
    void are_not_configured_without_own_settings_or_a_default_broker() {
      var noDefault = service(null, Runnable::run);

      assertThatThrownBy(() -> noDefault.effectiveSettings(alice)).isInstanceOf(NotConfiguredException.class)
          .satisfies(t -> assertThat(((NotConfiguredException) t).code()).isEqualTo("PROVIDER_NOT_CONFIGURED"));

      noDefault.put(alice, withEnabled(open(BROKER), false), ctx);
      assertThatThrownBy(() -> noDefault.effectiveSettings(alice)).isInstanceOf(NotConfiguredException.class);

      noDefault.put(alice, open(BROKER), ctx);
      assertThat(noDefault.effectiveSettings(alice).userOwned()).isTrue();
    }
  }

  @Nested
  class Audit {
    @Test
    void every_put_delete_and_saved_test_writes_exactly_one_event_with_the_right_action_and_outcome()
        throws Exception {
      Instant t0 = clock.instant();
      service.put(alice, auth(BROKER, "alice", CANARY), ctx);
      assertThat(audit.size()).isEqualTo(1);
      AuditEvent connect = audit.latest();
      assertThat(connect.action()).isEqualTo(AuditEvent.Actions.CONNECT).isEqualTo("integration.connect");
      assertThat(connect.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
      assertThat(connect.userId()).isEqualTo(alice);
      assertThat(connect.provider()).isEqualTo(Provider.MQTT);
      assertThat(connect.context()).isEqualTo(ctx);
      assertThat(connect.at()).isEqualTo(t0);
      assertThat(connect.details()).containsEntry("broker_host", "broker.example.com")
          .containsEntry("enabled", "true").containsEntry("use_authentication", "true")
          .containsEntry("password_changed", "true");

      clock.advance(Duration.ofSeconds(1));
      service.put(alice, auth(OTHER_BROKER, "alice", CANARY), ctx);
      assertThat(audit.size()).isEqualTo(2);
      assertThat(audit.latest().action()).isEqualTo("integration.update");
      assertThat(audit.latest().outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);

      await(service.testSaved(alice, ctx));
      assertThat(audit.size()).isEqualTo(3);
      assertThat(audit.latest().action()).isEqualTo("integration.test");
      assertThat(audit.latest().outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);

      probe.willReturn(ScriptedProbe.failed(ProbeErrorCode.CONNECTION_REFUSED));
      await(service.testSaved(alice, ctx));
      assertThat(audit.size()).isEqualTo(4);
      assertThat(audit.latest().action()).isEqualTo("integration.test");
      assertThat(audit.latest().outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
      assertThat(audit.latest().reason()).isEqualTo("CONNECTION_REFUSED");

      service.delete(alice, ctx);
      assertThat(audit.size()).isEqualTo(5);
      assertThat(audit.latest().action()).isEqualTo("integration.disconnect");
      assertThat(audit.latest().outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
      assertThat(audit.latest().details()).containsEntry("existed", "true");

      service.delete(alice, ctx);
      assertThat(audit.size()).isEqualTo(6);
      assertThat(audit.latest().action()).isEqualTo("integration.disconnect");
      assertThat(audit.latest().reason()).isEqualTo("not_configured");
      assertThat(audit.latest().details()).containsEntry("existed", "false");

      service.put(alice, open(BROKER), ctx);
      assertThat(audit.latest().action()).as("a save after a delete is a new connect")
          .isEqualTo("integration.connect");
      assertThat(audit.events(alice)).hasSize(7);
    }

    @Test
    void gets_unsaved_tests_and_effective_settings_write_no_event() throws Exception {
      saveAliceWithPassword();
      int events = audit.size();

      service.get(alice);
      await(service.testUnsaved(alice, open(BROKER), ctx));
      service.effectiveSettings(alice);

      assertThat(audit.size()).isEqualTo(events);
    }

    @Test
    void the_canary_password_appears_in_no_audit_event_and_no_exception_message() throws Exception {
      List<Throwable> thrown = new ArrayList<>();
      saveAliceWithPassword();
      service.put(alice, auth(BROKER, "alice", CANARY), ctx); // update with password_changed
      await(service.testSaved(alice, ctx));
      probe.willReturn(ScriptedProbe.failed(ProbeErrorCode.AUTH_FAILED));
      await(service.testSaved(alice, ctx));
      await(service.testUnsaved(alice, auth(OTHER_BROKER, "alice", CANARY), ctx));
      thrown.add(catchThrowable(() -> service.put(alice,
          new MqttSettingsInput(true, "ws://alice:" + CANARY + "@broker.example.com", "alice", Secret.of(CANARY),
              true, "esp32-1", null), ctx)));
      thrown.add(catchThrowable(() -> service.put(alice,
          new MqttSettingsInput(true, BROKER, "alice", Secret.of(CANARY + "x".repeat(2000)), true, "-", "#"),
          ctx)));
      thrown.add(catchThrowable(() -> service.put(bob, auth("mqtt://internal.example.com", "b", CANARY), ctx)));
      service.put(bob, auth(BROKER, "bob", "x"), ctx);
      EncryptedSecret alices = repo.stored(alice).orElseThrow().password().orElseThrow();
      repo.modify(bob, b -> MqttIntegration.restore(b.userId(), b.settings(), alices, b.connectedAt(),
          b.updatedAt(), b.version(), null, null));
      thrown.add(catchThrowable(() -> service.testSaved(bob, ctx)));
      thrown.add(catchThrowable(() -> service.effectiveSettings(bob)));
      for (int i = 0; i < 12; i++) {
        Throwable t = catchThrowable(() -> service.testUnsaved(alice, auth(BROKER, "alice", CANARY), ctx));
        if (t != null) {
          thrown.add(t);
        }
      }
      repo.setDown(true);
      thrown.add(catchThrowable(() -> service.put(alice, auth(BROKER, "alice", CANARY), ctx)));
      repo.setDown(false);
      service.delete(alice, ctx);

      assertThat(thrown).hasSizeGreaterThanOrEqualTo(7).doesNotContainNull();
      List<String> allMessages = thrown.stream().flatMap(t -> messages(t).stream()).toList();
      assertThat(allMessages).isNotEmpty().noneMatch(m -> m.contains(CANARY));
      assertThat(audit.size()).isGreaterThanOrEqualTo(7);
      assertThat(audit.events()).allSatisfy(e -> {
        assertThat(e.toString()).doesNotContain(CANARY);
        assertThat(e.details().values()).noneMatch(v -> v.contains(CANARY));
        assertThat(e.details().keySet()).noneMatch(v -> v.contains(CANARY));
        if (e.reason() != null) {
          assertThat(e.reason()).doesNotContain(CANARY);
        }
      });
      assertThat(probe.calls()).allSatisfy(c -> assertThat(c.toString()).doesNotContain(CANARY));
    }

    @Test
    void the_user_reads_the_trail_newest_first() {
      saveAliceWithPassword();
      service.put(alice, open(BROKER), ctx);
      service.delete(alice, ctx);

      var page = new AuditTrailService(audit).list(alice, null, 2);

      assertThat(page.items()).extracting(AuditEvent::action)
          .containsExactly("integration.disconnect", "integration.update");
      var rest = new AuditTrailService(audit).list(alice, page.nextCursor(), 2);
      assertThat(rest.items()).extracting(AuditEvent::action).containsExactly("integration.connect");
      assertThat(rest.nextCursor()).isNull();
    }
  }

  @Nested
  class Isolation {
    @Test
    void bob_never_sees_or_changes_alices_settings() throws Exception {
      saveAliceWithPassword();
      MqttIntegration alices = repo.stored(alice).orElseThrow();

      assertThat(service.get(bob).status()).isEqualTo(MqttStatus.NOT_CONFIGURED);
      assertThat(service.get(bob).brokerUrl()).isNull();
      assertThatThrownBy(() -> service.testSaved(bob, ctx)).isInstanceOf(NotFoundException.class);
      assertThat(service.effectiveSettings(bob).userOwned()).isFalse();

      await(service.testUnsaved(bob, auth(BROKER, "alice", null), ctx));
      assertThat(probe.lastCall().passwordGiven()).as("bob cannot borrow alice's password").isFalse();

      service.put(bob, open(OTHER_BROKER), ctx);
      service.delete(bob, ctx);
      service.put(bob, withEnabled(open(OTHER_BROKER), false), ctx);

      assertThat(repo.stored(alice).orElseThrow()).isSameAs(alices);
      assertThat(service.get(alice).brokerUrl()).isEqualTo(BROKER);
      assertThat(service.effectiveSettings(alice).passwordValue().orElseThrow().reveal()).isEqualTo(CANARY);
      assertThat(audit.events(alice)).hasSize(1);
      assertThat(audit.events(bob)).extracting(AuditEvent::action)
          .containsExactly("integration.connect", "integration.disconnect", "integration.connect");
      assertThat(audit.list(bob, null, 100).items()).allSatisfy(e -> assertThat(e.userId()).isEqualTo(bob));
    }
  }

  @Nested
  class Outage {
    @Test
    void a_repository_that_is_down_propagates_unavailable_and_nothing_changes() {
      saveAliceWithPassword();
      MqttIntegration before = repo.stored(alice).orElseThrow();
      int events = audit.size();
      repo.setDown(true);

      assertThatThrownBy(() -> service.get(alice)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> service.put(alice, open(OTHER_BROKER), ctx)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> service.delete(alice, ctx)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> service.testSaved(alice, ctx)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> service.effectiveSettings(alice)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> service.testUnsaved(alice, auth(BROKER, "alice", null), ctx))
          .isInstanceOf(UnavailableException.class);

      repo.setDown(false);
      assertThat(repo.stored(alice).orElseThrow()).isSameAs(before);
      assertThat(audit.size()).isEqualTo(events);
      assertThat(probe.callCount()).isZero();
    }

    @Test
    void a_failing_write_propagates_unavailable_and_changes_nothing() {
      saveAliceWithPassword();
      MqttIntegration before = repo.stored(alice).orElseThrow();
      int events = audit.size();
      repo.failNextWrites(true);

      var e = catchThrowableOfType(() -> service.put(alice, open(OTHER_BROKER), ctx), UnavailableException.class);
      assertThatThrownBy(() -> service.delete(alice, ctx)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> service.put(bob, open(BROKER), ctx)).isInstanceOf(UnavailableException.class);

      assertThat(e.code()).isEqualTo("UNAVAILABLE");
      assertThat(service.get(alice).brokerUrl()).as("reads still work").isEqualTo(BROKER);
      repo.failNextWrites(false);
      assertThat(repo.stored(alice).orElseThrow()).isSameAs(before);
      assertThat(repo.stored(bob)).isEmpty();
      assertThat(audit.size()).isEqualTo(events);
    }
  }

  static List<String> messages(Throwable t) {
    List<String> out = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.add(String.valueOf(c.getMessage()));
      out.add(c.toString());
      if (c instanceof ValidationException v) {
        v.errors().forEach(fe -> out.add(fe.message()));
      }
    }
    return out;
  }
}
