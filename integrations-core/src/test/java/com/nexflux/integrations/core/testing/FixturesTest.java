package com.nexflux.integrations.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.core.mqtt.MqttSettings;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.core.mqtt.TestRecord;
import com.nexflux.integrations.core.net.ResolvedTarget;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The shared test doubles behave like the real adapters they stand in for. */
class FixturesTest {
  static final UserId ALICE = new UserId(UUID.randomUUID());
  static final UserId BOB = new UserId(UUID.randomUUID());

  static AuditEvent event(UserId user, String action) {
    return new AuditEvent(UUID.randomUUID(), user, Provider.MQTT, action, AuditEvent.Outcome.SUCCESS, null,
        RequestContext.internal("r"), Instant.EPOCH, Map.of());
  }

  @Nested
  class AesGcm {
    final AesGcmTestCipher cipher = new AesGcmTestCipher();
    final SecretContext alicePw = new SecretContext(ALICE, Provider.MQTT, "mqtt_password");

    @Test
    void round_trips_and_never_stores_the_plaintext() {
      EncryptedSecret c = cipher.encrypt(Secret.of("CANARY-pw-77"), alicePw);
      assertThat(c.ciphertext()).doesNotContain("CANARY");
      assertThat(cipher.decrypt(c, alicePw).reveal()).isEqualTo("CANARY-pw-77");
    }

    @Test
    void uses_a_fresh_nonce_each_time() {
      assertThat(cipher.encrypt(Secret.of("x"), alicePw)).isNotEqualTo(cipher.encrypt(Secret.of("x"), alicePw));
    }

    @Test
    void a_ciphertext_in_another_context_is_unreadable() {
      EncryptedSecret c = cipher.encrypt(Secret.of("pw"), alicePw);
      for (SecretContext other : List.of(new SecretContext(BOB, Provider.MQTT, "mqtt_password"),
          new SecretContext(ALICE, Provider.GITHUB, "mqtt_password"),
          new SecretContext(ALICE, Provider.MQTT, "access_token"))) {
        assertThatThrownBy(() -> cipher.decrypt(c, other)).isInstanceOf(SecretUnreadableException.class);
      }
    }

    @Test
    void a_tampered_truncated_or_foreign_key_ciphertext_is_unreadable() {
      EncryptedSecret c = cipher.encrypt(Secret.of("pw"), alicePw);
      byte[] raw = Base64.getDecoder().decode(c.ciphertext());
      raw[raw.length - 1] ^= 1;
      var tampered = new EncryptedSecret(Base64.getEncoder().encodeToString(raw));
      assertThatThrownBy(() -> cipher.decrypt(tampered, alicePw)).isInstanceOf(SecretUnreadableException.class);
      assertThatThrownBy(() -> cipher.decrypt(new EncryptedSecret("AAAA"), alicePw))
          .isInstanceOf(SecretUnreadableException.class);
      assertThatThrownBy(() -> cipher.decrypt(new EncryptedSecret("not base64!"), alicePw))
          .isInstanceOf(SecretUnreadableException.class);
      assertThatThrownBy(() -> new AesGcmTestCipher().decrypt(c, alicePw))
          .isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void the_same_key_reads_what_it_wrote() {
      byte[] key = new byte[32];
      key[0] = 7;
      EncryptedSecret c = new AesGcmTestCipher(key).encrypt(Secret.of("pw"), alicePw);
      assertThat(new AesGcmTestCipher(key).decrypt(c, alicePw).reveal()).isEqualTo("pw");
      assertThatThrownBy(() -> new AesGcmTestCipher(new byte[7])).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class AuditLogDouble {
    final InMemoryAuditLog log = new InMemoryAuditLog();

    @Test
    void lists_a_users_events_newest_first_in_pages() {
      for (int i = 0; i < 5; i++) {
        log.append(event(ALICE, "a" + i));
        log.append(event(BOB, "b" + i));
      }
      List<String> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        Page<AuditEvent> p = log.list(ALICE, cursor, 2);
        p.items().forEach(e -> seen.add(e.action()));
        cursor = p.nextCursor();
        pages++;
      } while (cursor != null);
      assertThat(seen).containsExactly("a4", "a3", "a2", "a1", "a0");
      assertThat(pages).isEqualTo(3);
    }

    @Test
    void an_exact_last_page_has_no_cursor() {
      log.append(event(ALICE, "x"));
      log.append(event(ALICE, "y"));
      assertThat(log.list(ALICE, null, 2).nextCursor()).isNull();
      assertThat(log.list(BOB, null, 2).items()).isEmpty();
    }

    @Test
    void refuses_a_cursor_from_another_log_or_garbage() {
      log.append(event(ALICE, "x"));
      log.append(event(ALICE, "y"));
      var other = new InMemoryAuditLog();
      other.append(event(ALICE, "x"));
      other.append(event(ALICE, "y"));
      String foreign = other.list(ALICE, null, 1).nextCursor();
      assertThat(foreign).isNotNull();
      assertThatThrownBy(() -> log.list(ALICE, foreign, 1)).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> log.list(ALICE, "%%%", 1)).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> log.list(ALICE, null, 0)).isInstanceOf(ValidationException.class);
    }

    @Test
    void can_be_down() {
      log.setDown(true);
      assertThatThrownBy(() -> log.append(event(ALICE, "x"))).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> log.list(ALICE, null, 1)).isInstanceOf(UnavailableException.class);
      log.setDown(false);
      assertThat(log.size()).isZero();
    }
  }

  @Nested
  class RepositoryDouble {
    final InMemoryMqttIntegrationRepository repo = new InMemoryMqttIntegrationRepository();
    final MqttSettings settings = new MqttSettings(true,
        BrokerUrl.parse("broker_url", "mqtt://broker.example.com").url(), false, null, "d", "p");

    @Test
    void saves_with_its_audit_row_and_deletes_with_its_audit_row() {
      var i = MqttIntegration.create(ALICE, settings, null, Instant.EPOCH);
      repo.save(i, event(ALICE, "integration.connect"));
      assertThat(repo.find(ALICE)).containsSame(i);
      assertThat(repo.auditLog().size()).isEqualTo(1);

      assertThat(repo.delete(ALICE, event(ALICE, "integration.disconnect"))).isTrue();
      assertThat(repo.delete(ALICE, event(ALICE, "integration.disconnect"))).isFalse();
      assertThat(repo.find(ALICE)).isEmpty();
      assertThat(repo.auditLog().size()).as("an audit row even when nothing was deleted").isEqualTo(3);
    }

    @Test
    void records_a_test_only_for_the_expected_version() {
      var v1 = MqttIntegration.create(ALICE, settings, null, Instant.EPOCH);
      repo.save(v1, event(ALICE, "c"));
      var v2 = v1.update(settings, null, false, Instant.EPOCH);
      repo.save(v2, event(ALICE, "u"));
      int events = repo.auditLog().size();

      assertThat(repo.recordTest(ALICE, 1, new TestRecord(Instant.EPOCH, true, null), event(ALICE, "t")))
          .isFalse();
      assertThat(repo.auditLog().size()).isEqualTo(events);
      assertThat(repo.find(ALICE).orElseThrow().lastTest()).isEmpty();

      assertThat(repo.recordTest(ALICE, 2, new TestRecord(Instant.EPOCH, true, null), event(ALICE, "t")))
          .isTrue();
      assertThat(repo.auditLog().size()).isEqualTo(events + 1);
      assertThat(repo.find(ALICE).orElseThrow().lastTest()).isPresent();
      assertThat(repo.recordTest(BOB, 1, new TestRecord(Instant.EPOCH, true, null), event(BOB, "t"))).isFalse();
    }

    @Test
    void down_fails_every_call_and_failing_writes_fail_only_writes() {
      var i = MqttIntegration.create(ALICE, settings, null, Instant.EPOCH);
      repo.save(i, event(ALICE, "c"));

      repo.setDown(true);
      assertThatThrownBy(() -> repo.find(ALICE)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> repo.save(i, event(ALICE, "u"))).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> repo.delete(ALICE, event(ALICE, "d"))).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> repo.recordTest(ALICE, 1, new TestRecord(Instant.EPOCH, true, null),
          event(ALICE, "t"))).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> repo.auditLog().append(event(ALICE, "x"))).isInstanceOf(UnavailableException.class);
      repo.setDown(false);

      repo.failNextWrites(true);
      assertThat(repo.find(ALICE)).isPresent();
      assertThatThrownBy(() -> repo.delete(ALICE, event(ALICE, "d"))).isInstanceOf(UnavailableException.class);
      repo.failNextWrites(false);

      assertThat(repo.find(ALICE)).containsSame(i);
      assertThat(repo.auditLog().size()).isEqualTo(1);
    }
  }

  @Nested
  class Resolver {
    @Test
    void answers_mapped_names_and_literals_and_refuses_the_rest() throws Exception {
      var r = FixedResolver.of("broker.example.com", "93.184.215.14", "2606:4700::1");
      assertThat(r.resolve("Broker.Example.com")).extracting(InetAddress::getHostAddress)
          .containsExactly("93.184.215.14", "2606:4700:0:0:0:0:0:1");
      assertThat(r.resolve("broker.example.com")[0].getHostName()).isEqualTo("broker.example.com");
      assertThat(r.resolve("10.0.0.1")[0].getHostAddress()).isEqualTo("10.0.0.1");
      assertThat(r.resolve("::ffff:127.0.0.1")[0]).isInstanceOf(Inet6Address.class);
      assertThatThrownBy(() -> r.resolve("unknown.example.com")).isInstanceOf(UnknownHostException.class);
      assertThatThrownBy(() -> r.resolve("127.1")).as("not a strict literal: unknown, no lookup")
          .isInstanceOf(UnknownHostException.class);
      r.forget("broker.example.com");
      assertThatThrownBy(() -> r.resolve("broker.example.com")).isInstanceOf(UnknownHostException.class);
      assertThat(r.lookupCount("broker.example.com")).isEqualTo(2);
    }
  }

  @Nested
  class Probe {
    final BrokerUrl url = BrokerUrl.parse("broker_url", "mqtt://broker.example.com").url();
    final ResolvedTarget target = new ResolvedTarget("broker.example.com",
        FixedResolver.literal("broker.example.com", "93.184.215.14"), 1883);

    @Test
    void answers_in_script_order_then_the_default() {
      var p = new ScriptedProbe().willReturn(ScriptedProbe.failed(ProbeErrorCode.AUTH_FAILED))
          .willAnswer(call -> ScriptedProbe.failed(ProbeErrorCode.TLS_ERROR));
      assertThat(((ConnectionTestResult.Failed) p.probe(url, target, null, null, Duration.ofSeconds(1)).join())
          .code()).isEqualTo(ProbeErrorCode.AUTH_FAILED);
      assertThat(((ConnectionTestResult.Failed) p.probe(url, target, null, null, Duration.ofSeconds(1)).join())
          .code()).isEqualTo(ProbeErrorCode.TLS_ERROR);
      assertThat(p.probe(url, target, null, null, Duration.ofSeconds(1)).join()).isEqualTo(ScriptedProbe.CONNECTED);
      assertThat(p.callCount()).isEqualTo(3);
    }

    @Test
    void records_calls_without_the_password_text() {
      var p = new ScriptedProbe();
      p.probe(url, target, "alice", Secret.of("CANARY-pw-77"), Duration.ofSeconds(1));
      p.probe(url, target, null, null, Duration.ofSeconds(1));

      ScriptedProbe.Call withPw = p.calls().get(0);
      assertThat(withPw.passwordGiven()).isTrue();
      assertThat(withPw.passwordIs("CANARY-pw-77")).isTrue();
      assertThat(withPw.passwordIs("other")).isFalse();
      assertThat(withPw.toString()).doesNotContain("CANARY");
      assertThat(withPw.username()).isEqualTo("alice");
      assertThat(withPw.address().getHostAddress()).isEqualTo("93.184.215.14");
      assertThat(p.lastCall().passwordGiven()).isFalse();
      assertThat(p.lastCall().passwordIs("")).isFalse();
    }

    @Test
    void a_held_future_completes_when_the_test_says_so() {
      var p = new ScriptedProbe();
      CompletableFuture<ConnectionTestResult> held = p.willHold();
      var f = p.probe(url, target, null, null, Duration.ofSeconds(1));
      assertThat(f).isNotDone();
      held.complete(ScriptedProbe.CONNECTED);
      assertThat(f.join()).isEqualTo(ScriptedProbe.CONNECTED);
    }
  }

  @Nested
  class Clock {
    @Test
    void stands_still_until_moved() {
      var c = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
      assertThat(c.instant()).isEqualTo(c.instant());
      assertThat(c.advance(Duration.ofSeconds(90))).isEqualTo(Instant.parse("2026-03-01T00:01:30Z"));
      assertThat(c.millis()).isEqualTo(Instant.parse("2026-03-01T00:01:30Z").toEpochMilli());
      var zoned = c.withZone(ZoneId.of("Europe/Berlin"));
      c.set(Instant.EPOCH);
      assertThat(zoned.instant()).isEqualTo(Instant.EPOCH);
      assertThat(zoned.getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }
  }

  @Nested
  class Directory {
    @Test
    void counts_its_calls() {
      var d = new InMemoryUserDirectory(ALICE);
      assertThat(d.exists(ALICE)).isTrue();
      assertThat(d.exists(BOB)).isFalse();
      d.provision(BOB);
      d.provision(BOB);
      assertThat(d.contains(BOB)).isTrue();
      assertThat(d.existsCalls()).isEqualTo(2);
      assertThat(d.provisionCalls()).isEqualTo(2);
      assertThat(d.size()).isEqualTo(2);
    }
  }
}
