package com.nexflux.integrations.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.testing.AesGcmTestCipher;
import com.nexflux.integrations.core.testing.InMemoryAuditLog;
import com.nexflux.integrations.core.testing.InMemoryOAuthConnections;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.core.testing.ScriptedOAuthClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TokenServiceTest {
  static final OAuthProviderConfig GITHUB = new OAuthProviderConfig(Provider.GITHUB, "gh-client",
      Secret.of("gh-client-secret"), URI.create("https://github.com/login/oauth/authorize"),
      URI.create("https://github.com/login/oauth/access_token"),
      URI.create("https://api.nexflux.example/api/v1/integrations/github/callback"),
      List.of("repo", "read:user"), List.of("read:user"), URI.create("https://api.github.com"));

  final UserId alice = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
  final UserId bob = new UserId(UUID.fromString("00000000-0000-4000-8000-000000000b0b"));

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryOAuthConnections connections;
  ScriptedOAuthClient client;
  AesGcmTestCipher cipher;
  TokenService tokens;

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    connections = new InMemoryOAuthConnections(audit);
    client = new ScriptedOAuthClient(clock);
    cipher = new AesGcmTestCipher();
    tokens = newInstance();
  }

  TokenService newInstance() {
    return new TokenService(Map.of(Provider.GITHUB, GITHUB), client, connections, cipher, audit, clock);
  }

  /** Stores a connection for {@code user} whose access token expires at {@code expiresAt} (null: never). */
  OAuthConnection connect(UserId user, Instant expiresAt, String access, String refresh) {
    Instant now = clock.instant();
    EncryptedSecret a = cipher.encrypt(Secret.of(access), context(user, OAuthConnection.ACCESS_TOKEN_FIELD));
    EncryptedSecret r = refresh == null ? null
        : cipher.encrypt(Secret.of(refresh), context(user, OAuthConnection.REFRESH_TOKEN_FIELD));
    if (refresh != null) {
      client.registerRefreshToken(refresh);
    }
    OAuthConnection c = new OAuthConnection(user, Provider.GITHUB, ConnectionStatus.CONNECTED, "4242", a, r,
        expiresAt, refresh == null ? null : now.plus(Duration.ofDays(180)), List.of("repo", "read:user"),
        Map.of("username", "octocat", "scopes", List.of("repo", "read:user")), now.minus(Duration.ofDays(1)),
        now.minus(Duration.ofHours(8)), 3);
    connections.store(c);
    return c;
  }

  OAuthConnection connectExpiringIn(Duration left) {
    return connect(alice, clock.instant().plus(left), "at-old", "rt-old");
  }

  static SecretContext context(UserId user, String field) {
    return new SecretContext(user, Provider.GITHUB, field);
  }

  OAuthConnection stored() {
    return connections.stored(alice, Provider.GITHUB).orElseThrow();
  }

  String storedRefreshToken() {
    return cipher.decrypt(stored().refreshToken(), context(alice, OAuthConnection.REFRESH_TOKEN_FIELD)).reveal();
  }

  String storedAccessToken() {
    return cipher.decrypt(stored().accessToken(), context(alice, OAuthConnection.ACCESS_TOKEN_FIELD)).reveal();
  }

  OAuthConnectionRepository.Key aliceKey() {
    return new OAuthConnectionRepository.Key(alice, Provider.GITHUB);
  }

  /** Waits until every thread is blocked (parked on a lock, a future or the held provider call). */
  static void awaitAllBlocked(List<Thread> threads) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
        || t.getState() == Thread.State.TIMED_WAITING)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the threads never all blocked");
      }
      Thread.sleep(1);
    }
  }

  static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(30).toMillis()); // a guard against hanging, not a timing assertion
      assertThat(t.isAlive()).as("thread finished").isFalse();
    }
  }

  @Nested
  class OnDemand {
    @Test
    void no_connection_is_not_found() {
      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.GITHUB)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void five_minutes_left_returns_the_stored_token_without_refresh() {
      connectExpiringIn(Duration.ofMinutes(5));

      assertThat(tokens.accessToken(alice, Provider.GITHUB).reveal()).isEqualTo("at-old");
      assertThat(client.refreshCalls()).isZero();
    }

    @Test
    void a_token_without_expiry_is_returned_as_stored() {
      connect(alice, null, "at-forever", null);

      assertThat(tokens.accessToken(alice, Provider.GITHUB).reveal()).isEqualTo("at-forever");
      assertThat(client.refreshCalls()).isZero();
    }

    @Test
    void sixty_one_seconds_left_is_fresh_and_sixty_refreshes() {
      connectExpiringIn(Duration.ofSeconds(61));
      assertThat(tokens.accessToken(alice, Provider.GITHUB).reveal()).isEqualTo("at-old");
      assertThat(client.refreshCalls()).isZero();

      clock.advance(Duration.ofSeconds(1));
      assertThat(tokens.accessToken(alice, Provider.GITHUB).reveal()).isNotEqualTo("at-old");
      assertThat(client.refreshCalls()).isEqualTo(1);
    }

    @Test
    void thirty_seconds_left_refreshes_stores_encrypted_and_saves_the_rotated_refresh_token() {
      OAuthConnection before = connectExpiringIn(Duration.ofSeconds(30));

      Secret token = tokens.accessToken(alice, Provider.GITHUB);

      assertThat(token.reveal()).startsWith("at-").isNotEqualTo("at-old");
      assertThat(client.refreshCalls()).isEqualTo(1);
      assertThat(client.receivedRefreshTokens()).containsExactly("rt-old");
      OAuthConnection after = stored();
      assertThat(after.status()).isEqualTo(ConnectionStatus.CONNECTED);
      assertThat(storedAccessToken()).isEqualTo(token.reveal());
      assertThat(after.accessToken().ciphertext()).doesNotContain(token.reveal());
      assertThat(storedRefreshToken()).startsWith("rt-").isNotEqualTo("rt-old");
      assertThat(after.tokenExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
      assertThat(after.credentialsVersion()).isEqualTo(before.credentialsVersion() + 1);
      assertThat(after.scopes()).isEqualTo(before.scopes()); // the refresh answer named none
      assertThat(after.config()).isEqualTo(before.config());
      assertThat(audit.size()).isZero(); // routine refreshes are not audited
    }

    @Test
    void the_next_refresh_uses_the_rotated_token_and_the_old_one_is_never_sent_again() {
      connectExpiringIn(Duration.ofSeconds(30));
      tokens.accessToken(alice, Provider.GITHUB);
      String rotated = storedRefreshToken();

      clock.advance(Duration.ofHours(8).minusSeconds(20));
      tokens.accessToken(alice, Provider.GITHUB);

      assertThat(client.receivedRefreshTokens()).containsExactly("rt-old", rotated);
      assertThat(stored().status()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void a_refresh_answer_without_refresh_token_keeps_the_old_one() {
      OAuthConnection before = connectExpiringIn(Duration.ofSeconds(30));
      client.setRotateRefreshTokens(false);

      Secret token = tokens.accessToken(alice, Provider.GITHUB);

      assertThat(storedAccessToken()).isEqualTo(token.reveal()).isNotEqualTo("at-old");
      assertThat(storedRefreshToken()).isEqualTo("rt-old");
      assertThat(stored().refreshTokenExpiresAt()).isEqualTo(before.refreshTokenExpiresAt());
      assertThat(stored().tokenExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
    }

    @Test
    void invalid_grant_marks_needs_reauth_clears_tokens_audits_once_and_stops_calling() {
      connectExpiringIn(Duration.ofSeconds(30));
      client.revokeAll();

      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.GITHUB))
          .isInstanceOf(ReauthRequiredException.class)
          .satisfies(e -> assertThat(((ReauthRequiredException) e).code()).isEqualTo("NEEDS_REAUTH"));

      OAuthConnection after = stored();
      assertThat(after.status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
      assertThat(after.accessToken()).isNull();
      assertThat(after.refreshToken()).isNull();
      assertThat(after.tokenExpiresAt()).isNull();
      assertThat(client.refreshCalls()).isEqualTo(1);
      assertThat(audit.events(alice)).singleElement().satisfies(e -> {
        assertThat(e.action()).isEqualTo(TokenService.REAUTH_REQUIRED_ACTION);
        assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
        assertThat(e.reason()).isEqualTo("invalid_grant");
        assertThat(e.provider()).isEqualTo(Provider.GITHUB);
        assertThat(e.toString()).doesNotContain("rt-old").doesNotContain("at-old");
      });

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> tokens.accessToken(alice, Provider.GITHUB))
            .isInstanceOf(ReauthRequiredException.class);
      }
      assertThat(client.refreshCalls()).isEqualTo(1);
      assertThat(audit.size()).isEqualTo(1);
      assertThat(connections.dueForRefresh(clock.instant().plus(Duration.ofDays(1)), 10)).isEmpty();
    }

    static Stream<Supplier<RuntimeException>> transientFailures() {
      return Stream.of(() -> new UnavailableException("token endpoint 503", null),
          () -> new RateLimitedException("429", Duration.ofSeconds(30)),
          () -> new OAuthProtocolException("invalid_client"));
    }

    @ParameterizedTest
    @MethodSource("transientFailures")
    void a_failed_refresh_changes_nothing_and_propagates(Supplier<RuntimeException> failure) {
      OAuthConnection before = connectExpiringIn(Duration.ofSeconds(30));
      RuntimeException expected = failure.get();
      client.failNextRefreshes(1, failure);

      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.GITHUB)).isInstanceOf(expected.getClass());

      assertThat(stored()).isEqualTo(before);
      assertThat(audit.size()).isZero();
      // and the next call simply tries again
      assertThat(tokens.accessToken(alice, Provider.GITHUB).reveal()).isNotEqualTo("at-old");
      assertThat(client.refreshCalls()).isEqualTo(2);
    }

    @Test
    void a_refresh_token_copied_from_another_row_is_unreadable_and_never_sent() {
      connect(bob, clock.instant().plus(Duration.ofSeconds(30)), "at-bob", "rt-bob");
      connectExpiringIn(Duration.ofSeconds(30));
      EncryptedSecret bobs = connections.stored(bob, Provider.GITHUB).orElseThrow().refreshToken();
      OAuthConnection tampered = connections.modify(alice, Provider.GITHUB, c -> new OAuthConnection(c.userId(),
          c.provider(), c.status(), c.accountId(), c.accessToken(), bobs, c.tokenExpiresAt(),
          c.refreshTokenExpiresAt(), c.scopes(), c.config(), c.connectedAt(), c.updatedAt(),
          c.credentialsVersion()));

      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.GITHUB))
          .isInstanceOf(SecretUnreadableException.class);

      assertThat(client.refreshCalls()).isZero();
      assertThat(stored()).isEqualTo(tampered);
      assertThat(audit.events(alice)).singleElement().satisfies(e -> {
        assertThat(e.action()).isEqualTo(AuditEvent.Actions.DECRYPT_FAILED);
        assertThat(e.details()).containsEntry("field", OAuthConnection.REFRESH_TOKEN_FIELD);
      });
    }

    @Test
    void without_refresh_token_a_token_is_used_until_it_expires_then_needs_reauth() {
      connect(alice, clock.instant().plus(Duration.ofSeconds(30)), "at-short", null);

      assertThat(tokens.accessToken(alice, Provider.GITHUB).reveal()).isEqualTo("at-short");
      clock.advance(Duration.ofSeconds(30));
      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.GITHUB))
          .isInstanceOf(ReauthRequiredException.class);

      assertThat(client.refreshCalls()).isZero();
      assertThat(stored().status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
      assertThat(audit.events(alice)).singleElement()
          .satisfies(e -> assertThat(e.reason()).isEqualTo("expired_without_refresh_token"));
    }

    @Test
    void a_lost_commit_after_a_rotating_refresh_ends_in_needs_reauth() {
      // documented consequence (security.md §7 check 26): the provider already rotated, our write was lost
      connectExpiringIn(Duration.ofSeconds(30));
      connections.failNextCommit();

      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.GITHUB))
          .isInstanceOf(UnavailableException.class);
      assertThat(storedRefreshToken()).isEqualTo("rt-old");
      assertThat(connections.isLocked(alice, Provider.GITHUB)).isFalse();

      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.GITHUB))
          .isInstanceOf(ReauthRequiredException.class);
      assertThat(stored().status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
    }
  }

  @Nested
  class SingleFlight {
    @Test
    void two_instances_times_twenty_threads_make_exactly_one_refresh_call_and_share_its_token()
        throws Exception {
      connectExpiringIn(Duration.ofSeconds(30));
      TokenService instanceA = newInstance();
      TokenService instanceB = newInstance();
      client.holdRefreshes();
      int perInstance = 20;
      AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(2 * perInstance);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 2 * perInstance; i++) {
        int slot = i;
        TokenService instance = i < perInstance ? instanceA : instanceB;
        threads.add(new Thread(() -> {
          try {
            results.set(slot, instance.accessToken(alice, Provider.GITHUB).reveal());
          } catch (RuntimeException e) {
            results.set(slot, e);
          }
        }, "caller-" + i));
      }
      threads.forEach(Thread::start);

      client.awaitRefreshEntered();
      awaitAllBlocked(threads); // 1 thread in the provider call, 39 waiting for it (lock or in-JVM future)
      client.releaseRefreshes();
      joinAll(threads);

      assertThat(client.refreshCalls()).isEqualTo(1);
      String newToken = storedAccessToken();
      assertThat(newToken).isNotEqualTo("at-old");
      for (int i = 0; i < results.length(); i++) {
        assertThat(results.get(i)).as("caller %d", i).isEqualTo(newToken);
      }
      assertThat(stored().status()).isEqualTo(ConnectionStatus.CONNECTED);
      assertThat(stored().credentialsVersion()).isEqualTo(4);
      assertThat(audit.size()).isZero();
    }

    @Test
    void threads_waiting_in_one_instance_get_the_leaders_transient_failure() throws Exception {
      OAuthConnection before = connectExpiringIn(Duration.ofSeconds(30));
      client.holdRefreshes();
      client.failNextRefreshes(1, () -> new UnavailableException("token endpoint 503", null));
      List<Object> results = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        threads.add(new Thread(() -> {
          try {
            results.add(tokens.accessToken(alice, Provider.GITHUB).reveal());
          } catch (RuntimeException e) {
            results.add(e);
          }
        }));
      }
      threads.forEach(Thread::start);

      client.awaitRefreshEntered();
      awaitAllBlocked(threads);
      client.releaseRefreshes();
      joinAll(threads);

      assertThat(client.refreshCalls()).isEqualTo(1);
      assertThat(results).hasSize(10).allSatisfy(r -> assertThat(r).isInstanceOf(UnavailableException.class));
      assertThat(stored()).isEqualTo(before);
    }
  }

  @Nested
  class Background {
    final Duration window = Duration.ofMinutes(15);

    @Test
    void a_row_not_due_within_the_window_is_left_alone() {
      connectExpiringIn(Duration.ofHours(1));

      assertThat(tokens.refreshIfDue(aliceKey(), window)).isFalse();
      assertThat(client.refreshCalls()).isZero();
    }

    @Test
    void a_due_row_is_refreshed_although_on_demand_would_not_yet() {
      connectExpiringIn(Duration.ofMinutes(5));
      assertThat(tokens.accessToken(alice, Provider.GITHUB).reveal()).isEqualTo("at-old");

      assertThat(tokens.refreshIfDue(aliceKey(), window)).isTrue();

      assertThat(client.refreshCalls()).isEqualTo(1);
      assertThat(storedAccessToken()).isNotEqualTo("at-old");
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isFalse(); // now 8 h left
      assertThat(client.refreshCalls()).isEqualTo(1);
    }

    @Test
    void a_missing_row_is_not_refreshed() {
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isFalse();
    }

    @Test
    void a_row_locked_by_another_refresh_is_skipped_without_waiting() throws Exception {
      connectExpiringIn(Duration.ofSeconds(30));
      client.holdRefreshes();
      Thread onDemand = new Thread(() -> tokens.accessToken(alice, Provider.GITHUB));
      onDemand.start();
      client.awaitRefreshEntered();

      boolean refreshed = newInstance().refreshIfDue(aliceKey(), window);

      client.releaseRefreshes();
      joinAll(List.of(onDemand));
      assertThat(refreshed).isFalse();
      assertThat(connections.skippedLocks()).isEqualTo(1);
      assertThat(client.refreshCalls()).isEqualTo(1);
    }

    @Test
    void transient_failures_back_off_30_seconds_doubling_and_success_resets() {
      connectExpiringIn(Duration.ofMinutes(5));
      client.failNextRefreshes(2, () -> new UnavailableException("503", null));

      assertThatThrownBy(() -> tokens.refreshIfDue(aliceKey(), window)).isInstanceOf(UnavailableException.class);
      assertThat(tokens.backingOff()).isEqualTo(1);
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isFalse();
      clock.advance(Duration.ofSeconds(29));
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isFalse();
      assertThat(client.refreshCalls()).isEqualTo(1);

      clock.advance(Duration.ofSeconds(1));
      assertThatThrownBy(() -> tokens.refreshIfDue(aliceKey(), window)).isInstanceOf(UnavailableException.class);
      assertThat(client.refreshCalls()).isEqualTo(2);
      clock.advance(Duration.ofSeconds(59));
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isFalse();
      assertThat(client.refreshCalls()).isEqualTo(2);

      clock.advance(Duration.ofSeconds(1));
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isTrue();
      assertThat(client.refreshCalls()).isEqualTo(3);
      assertThat(tokens.backingOff()).isZero();
      assertThat(audit.size()).isZero();
    }

    @Test
    void the_back_off_doubles_up_to_thirty_minutes() {
      assertThat(TokenService.backoffDelay(1)).isEqualTo(Duration.ofSeconds(30));
      assertThat(TokenService.backoffDelay(2)).isEqualTo(Duration.ofSeconds(60));
      assertThat(TokenService.backoffDelay(6)).isEqualTo(Duration.ofMinutes(16));
      assertThat(TokenService.backoffDelay(7)).isEqualTo(Duration.ofMinutes(30));
      assertThat(TokenService.backoffDelay(1_000)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void a_rate_limit_backs_off_at_least_its_retry_after() {
      connectExpiringIn(Duration.ofMinutes(5));
      client.failNextRefreshes(1, () -> new RateLimitedException("429", Duration.ofMinutes(5)));

      catchThrowable(() -> tokens.refreshIfDue(aliceKey(), window));
      clock.advance(Duration.ofMinutes(4));
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isFalse();
      clock.advance(Duration.ofMinutes(1));
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isTrue();
      assertThat(client.refreshCalls()).isEqualTo(2);
    }

    @Test
    void invalid_grant_in_the_background_marks_needs_reauth_and_the_row_is_no_longer_due() {
      connectExpiringIn(Duration.ofMinutes(5));
      client.revokeAll();

      assertThatThrownBy(() -> tokens.refreshIfDue(aliceKey(), window))
          .isInstanceOf(ReauthRequiredException.class);

      assertThat(stored().status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
      assertThat(audit.withAction(TokenService.REAUTH_REQUIRED_ACTION)).hasSize(1);
      assertThat(tokens.refreshIfDue(aliceKey(), window)).isFalse();
      assertThat(client.refreshCalls()).isEqualTo(1);
      assertThat(tokens.backingOff()).isZero();
    }
  }
}
