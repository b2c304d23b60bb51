package com.nexflux.integrations.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.oauth.RefreshSweeper.SweepResult;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshSweeperTest {
  static final OAuthProviderConfig GITHUB = new OAuthProviderConfig(Provider.GITHUB, "gh-client",
      Secret.of("gh-client-secret"), URI.create("https://github.com/login/oauth/authorize"),
      URI.create("https://github.com/login/oauth/access_token"),
      URI.create("https://api.nexflux.example/api/v1/integrations/github/callback"),
      List.of("repo"), List.of("read:user"), URI.create("https://api.github.com"));

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryOAuthConnections connections;
  ScriptedOAuthClient client;
  AesGcmTestCipher cipher;
  TokenService tokens;
  RefreshSweeper sweeper;

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    connections = new InMemoryOAuthConnections(audit);
    client = new ScriptedOAuthClient(clock);
    cipher = new AesGcmTestCipher();
    tokens = tokenService();
    sweeper = new RefreshSweeper(tokens, connections, clock);
  }

  TokenService tokenService() {
    return new TokenService(Map.of(Provider.GITHUB, GITHUB), client, connections, cipher, audit, clock);
  }

  /** Stores a fresh user's connection expiring in {@code left}; @return the user */
  UserId connectionExpiringIn(Duration left) {
    UserId user = new UserId(UUID.randomUUID());
    String refresh = "rt-" + user;
    client.registerRefreshToken(refresh);
    Instant now = clock.instant();
    connections.store(new OAuthConnection(user, Provider.GITHUB, ConnectionStatus.CONNECTED, "acct-" + user,
        cipher.encrypt(Secret.of("at-" + user), ctx(user, OAuthConnection.ACCESS_TOKEN_FIELD)),
        cipher.encrypt(Secret.of(refresh), ctx(user, OAuthConnection.REFRESH_TOKEN_FIELD)),
        now.plus(left), null, List.of("repo"), Map.of(), now, now, 1));
    return user;
  }

  static SecretContext ctx(UserId user, String field) {
    return new SecretContext(user, Provider.GITHUB, field);
  }

  OAuthConnection stored(UserId user) {
    return connections.stored(user, Provider.GITHUB).orElseThrow();
  }

  @Test
  void refreshes_rows_due_within_the_window_and_leaves_the_others() {
    UserId due = connectionExpiringIn(Duration.ofMinutes(10));
    UserId notDue = connectionExpiringIn(Duration.ofMinutes(20));
    OAuthConnection notDueBefore = stored(notDue);

    SweepResult result = sweeper.sweep();

    assertThat(result).isEqualTo(new SweepResult(1, 1, 0, 0));
    assertThat(stored(due).tokenExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
    assertThat(stored(notDue)).isEqualTo(notDueBefore);
    assertThat(client.refreshCalls()).isEqualTo(1);
    assertThat(sweeper.sweep()).isEqualTo(new SweepResult(0, 0, 0, 0));
    assertThat(client.refreshCalls()).isEqualTo(1);
  }

  @Test
  void the_window_is_configurable() {
    connectionExpiringIn(Duration.ofMinutes(20));
    RefreshSweeper wide = new RefreshSweeper(tokens, connections, clock, Duration.ofMinutes(30), 10);

    assertThat(sweeper.sweep().examined()).isZero();
    assertThat(wide.sweep()).isEqualTo(new SweepResult(1, 1, 0, 0));
  }

  @Test
  void a_batch_takes_the_soonest_expiring_rows_first() {
    List<UserId> users = new ArrayList<>();
    for (int minutes : new int[] {9, 3, 7, 1, 5}) {
      users.add(connectionExpiringIn(Duration.ofMinutes(minutes)));
    }
    RefreshSweeper small = new RefreshSweeper(tokens, connections, clock, null, 2);

    assertThat(small.sweep()).isEqualTo(new SweepResult(2, 2, 0, 0));

    assertThat(stored(users.get(3)).credentialsVersion()).isEqualTo(2); // 1 min
    assertThat(stored(users.get(1)).credentialsVersion()).isEqualTo(2); // 3 min
    assertThat(stored(users.get(4)).credentialsVersion()).isEqualTo(1); // 5 min: next sweep
  }

  @Test
  void two_sweepers_running_at_once_refresh_each_due_row_exactly_once() throws Exception {
    int dueRows = 60;
    Set<UserId> due = new HashSet<>();
    for (int i = 0; i < dueRows; i++) {
      due.add(connectionExpiringIn(Duration.ofMinutes(1 + i % 14)));
    }
    List<UserId> notDue = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      notDue.add(connectionExpiringIn(Duration.ofHours(2)));
    }
    client.setRefreshDelay(Duration.ofMillis(2)); // widens the overlap; nothing is asserted on time
    RefreshSweeper a = new RefreshSweeper(tokenService(), connections, clock, null, 1_000);
    RefreshSweeper b = new RefreshSweeper(tokenService(), connections, clock, null, 1_000);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<SweepResult> ra = CompletableFuture.supplyAsync(() -> awaitThen(go, a), pool);
      CompletableFuture<SweepResult> rb = CompletableFuture.supplyAsync(() -> awaitThen(go, b), pool);
      go.countDown();
      SweepResult x = ra.get(60, TimeUnit.SECONDS);
      SweepResult y = rb.get(60, TimeUnit.SECONDS);

      assertThat(x.refreshed() + y.refreshed()).isEqualTo(dueRows);
      assertThat(x.failed() + y.failed()).isZero();
      // a sweeper lists what is still due when it looks (the other may have refreshed some rows already)
      for (SweepResult r : List.of(x, y)) {
        assertThat(r.examined()).isBetween(0, dueRows);
        assertThat(r.refreshed() + r.skipped()).isEqualTo(r.examined());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(client.refreshCalls()).isEqualTo(dueRows);
    assertThat(client.receivedRefreshTokens()).doesNotHaveDuplicates();
    for (UserId user : due) {
      OAuthConnection c = stored(user);
      assertThat(c.status()).isEqualTo(ConnectionStatus.CONNECTED);
      assertThat(c.credentialsVersion()).isEqualTo(2);
    }
    for (UserId user : notDue) {
      assertThat(stored(user).credentialsVersion()).isEqualTo(1);
    }
    assertThat(audit.size()).isZero(); // no invalid_grant anywhere
  }

  static SweepResult awaitThen(CountDownLatch go, RefreshSweeper sweeper) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return sweeper.sweep();
  }

  @Test
  void backs_off_after_a_transient_failure_and_retries_later() {
    UserId user = connectionExpiringIn(Duration.ofMinutes(10));
    OAuthConnection before = stored(user);
    client.failNextRefreshes(1, () -> new UnavailableException("token endpoint 503", null));

    assertThat(sweeper.sweep()).isEqualTo(new SweepResult(1, 0, 1, 0));
    assertThat(stored(user)).isEqualTo(before);

    assertThat(sweeper.sweep()).isEqualTo(new SweepResult(1, 0, 0, 1));
    assertThat(client.refreshCalls()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(31));
    assertThat(sweeper.sweep()).isEqualTo(new SweepResult(1, 1, 0, 0));
    assertThat(client.refreshCalls()).isEqualTo(2);
  }

  @Test
  void one_bad_row_does_not_stop_the_others() {
    UserId revoked = connectionExpiringIn(Duration.ofMinutes(2));
    UserId unreadable = connectionExpiringIn(Duration.ofMinutes(3));
    UserId fine = connectionExpiringIn(Duration.ofMinutes(4));
    client.revokeAll();
    client.registerRefreshToken("rt-" + unreadable).registerRefreshToken("rt-" + fine);
    EncryptedSecret foreign = stored(fine).refreshToken(); // another row's ciphertext: its AAD does not match
    connections.modify(unreadable, Provider.GITHUB, c -> new OAuthConnection(c.userId(), c.provider(), c.status(),
        c.accountId(), c.accessToken(), foreign, c.tokenExpiresAt(), c.refreshTokenExpiresAt(), c.scopes(),
        c.config(), c.connectedAt(), c.updatedAt(), c.credentialsVersion()));

    SweepResult result = sweeper.sweep();

    assertThat(result).isEqualTo(new SweepResult(3, 1, 2, 0));
    assertThat(stored(revoked).status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
    assertThat(stored(unreadable).credentialsVersion()).isEqualTo(1);
    assertThat(stored(fine).credentialsVersion()).isEqualTo(2);
    assertThat(audit.events(revoked)).extracting(AuditEvent::action)
        .containsExactly(TokenService.REAUTH_REQUIRED_ACTION);
    assertThat(audit.events(unreadable)).extracting(AuditEvent::action)
        .containsExactly(AuditEvent.Actions.DECRYPT_FAILED);
    assertThat(client.refreshCalls()).isEqualTo(2); // the unreadable token was never sent

    // the needs_reauth row is no longer listed; the unreadable one backs off instead of auditing every sweep
    assertThat(sweeper.sweep()).isEqualTo(new SweepResult(1, 0, 0, 1));
    assertThat(audit.size()).isEqualTo(2);
  }

  @Test
  void a_listing_outage_propagates_to_the_scheduler() {
    connectionExpiringIn(Duration.ofMinutes(10));
    connections.setDown(true);

    assertThatThrownBy(() -> sweeper.sweep()).isInstanceOf(UnavailableException.class);
  }

  @Test
  void a_row_the_lock_finds_gone_counts_as_skipped() {
    UserId user = connectionExpiringIn(Duration.ofMinutes(10));
    OAuthConnectionRepository listingGhosts = new DelegatingRepository(connections) {
      @Override
      public List<Key> dueForRefresh(Instant expiringBefore, int limit) {
        return List.of(new Key(user, Provider.GITHUB), new Key(new UserId(UUID.randomUUID()), Provider.GITHUB));
      }
    };

    SweepResult result = new RefreshSweeper(tokens, listingGhosts, clock).sweep();

    assertThat(result).isEqualTo(new SweepResult(2, 1, 0, 1));
  }

  @Test
  void settings_are_checked() {
    assertThatThrownBy(() -> new RefreshSweeper(tokens, connections, clock, Duration.ZERO, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RefreshSweeper(tokens, connections, clock, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sweeper.window()).isEqualTo(RefreshSweeper.DEFAULT_WINDOW).isEqualTo(Duration.ofMinutes(15));
  }

  /** Forwards everything to another repository (override what a test needs to change). */
  static class DelegatingRepository implements OAuthConnectionRepository {
    private final OAuthConnectionRepository delegate;

    DelegatingRepository(OAuthConnectionRepository delegate) {
      this.delegate = delegate;
    }

    @Override
    public java.util.Optional<OAuthConnection> find(UserId userId, Provider provider) {
      return delegate.find(userId, provider);
    }

    @Override
    public void save(OAuthConnection connection, AuditEvent audit) {
      delegate.save(connection, audit);
    }

    @Override
    public boolean updateConfig(OAuthConnection connection) {
      return delegate.updateConfig(connection);
    }

    @Override
    public boolean delete(UserId userId, Provider provider, AuditEvent audit) {
      return delegate.delete(userId, provider, audit);
    }

    @Override
    public <T> java.util.Optional<T> withLock(UserId userId, Provider provider, boolean skipLocked,
        LockedWork<T> work) {
      return delegate.withLock(userId, provider, skipLocked, work);
    }

    @Override
    public List<Key> dueForRefresh(Instant expiringBefore, int limit) {
      return delegate.dueForRefresh(expiringBefore, limit);
    }
  }

  @Test
  void sweepFor_drains_more_than_one_batch_in_one_run() {
    for (int i = 0; i < 5; i++) {
      connectionExpiringIn(Duration.ofMinutes(2 + i));
    }
    RefreshSweeper small = new RefreshSweeper(tokens, connections, clock, null, 2);

    SweepResult result = small.sweepFor(Duration.ofMinutes(1));

    assertThat(result.refreshed()).isEqualTo(5);
    assertThat(client.refreshCalls()).isEqualTo(5);
    assertThat(small.sweep().examined()).isZero();
  }

  @Test
  void rows_backing_off_do_not_starve_the_other_due_rows() {
    connectionExpiringIn(Duration.ofMinutes(1));
    connectionExpiringIn(Duration.ofMinutes(2));
    UserId later = connectionExpiringIn(Duration.ofMinutes(3));
    RefreshSweeper small = new RefreshSweeper(tokens, connections, clock, null, 2);
    client.failNextRefreshes(2, () -> new UnavailableException("token endpoint 503", null));

    assertThat(small.sweep()).isEqualTo(new SweepResult(2, 0, 2, 0));
    SweepResult second = small.sweep();

    assertThat(second).isEqualTo(new SweepResult(3, 1, 0, 2));
    assertThat(stored(later).credentialsVersion()).isEqualTo(2);
  }
}
