package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static com.nexflux.integrations.persistence.Fixtures.event;
import static com.nexflux.integrations.persistence.Fixtures.provisionedUser;
import static com.nexflux.integrations.persistence.OAuthFixtures.ACCESS;
import static com.nexflux.integrations.persistence.OAuthFixtures.REFRESH;
import static com.nexflux.integrations.persistence.OAuthFixtures.github;
import static com.nexflux.integrations.persistence.OAuthFixtures.githubEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository.Key;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository.Writer;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class JdbiOAuthConnectionRepositoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestDatabase db;
  private DataSource ds;
  private JdbiOAuthConnectionRepository repository;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
    ds = db.dataSource();
    repository = new JdbiOAuthConnectionRepository(ds);
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private Map<String, Object> row(UserId user, String provider) {
    List<Map<String, Object>> rows = Sql.rows(ds, """
        SELECT enabled, access_token, refresh_token, token_expires_at::text AS token_expires_at,
               config::text AS config, metadata::text AS metadata, connected_at::text AS connected_at,
               created_at::text AS created_at, updated_at::text AS updated_at
          FROM user_integrations WHERE user_id = ? AND provider = ?""", user.value(), provider);
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private long auditCount(UserId user) {
    return Sql.count(ds, "SELECT count(*) FROM integration_audit_log WHERE user_id = ?", user.value());
  }

  @Test
  void roundTripsEveryFieldAndStoresCiphertextsAsGiven() throws Exception {
    UserId user = provisionedUser(ds);
    OAuthConnection connection = github(user);
    repository.save(connection, githubEvent(user, AuditEvent.Actions.CONNECT));

    assertThat(repository.find(user, Provider.GITHUB)).contains(connection);

    Map<String, Object> row = row(user, "github");
    assertThat(row).containsEntry("enabled", true)
        .containsEntry("access_token", ACCESS.ciphertext())
        .containsEntry("refresh_token", REFRESH.ciphertext())
        .containsEntry("token_expires_at", "2026-01-15 18:30:00.123456") // T0 + 8 h, UTC wall-clock time
        .containsEntry("connected_at", "2026-01-15 10:30:00.123456")
        .containsEntry("created_at", "2026-01-15 10:30:00.123456");
    JsonNode metadata = JSON.readTree((String) row.get("metadata"));
    assertThat(metadata).isEqualTo(JSON.readTree("""
        {"status": "connected", "account_id": "583231", "scopes": ["repo", "read:user"],
         "refresh_token_expires_at": "2026-07-14T10:30:00.123456Z", "credentials_version": 1}"""));
    JsonNode config = JSON.readTree((String) row.get("config"));
    assertThat(config).isEqualTo(JSON.readTree("""
        {"login": "octocat", "auto_sync": true, "repository_id": 1296269, "labels": ["a", "b"],
         "profile": {"name": "The Octocat", "public_repos": 8}}"""));
    assertThat(auditCount(user)).isEqualTo(1);
  }

  @Test
  void needsReauthRoundTripsWithoutTokens() {
    UserId user = provisionedUser(ds);
    OAuthConnection dead = github(user).needingReauth(T0.plus(Duration.ofHours(1)));
    repository.save(dead, githubEvent(user, AuditEvent.Actions.UPDATE));
    OAuthConnection found = repository.find(user, Provider.GITHUB).orElseThrow();
    assertThat(found).isEqualTo(dead);
    assertThat(found.status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
    assertThat(row(user, "github")).containsEntry("access_token", null).containsEntry("refresh_token", null)
        .containsEntry("token_expires_at", null);
  }

  @Test
  void readsTheSameInstantsWhateverTheJvmAndSessionTimeZones() {
    UserId user = provisionedUser(ds);
    TimeZone original = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
      repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
      TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
      assertThat(repository.find(user, Provider.GITHUB).orElseThrow().tokenExpiresAt())
          .isEqualTo(T0.plus(Duration.ofHours(8)));
      PGSimpleDataSource otherSession = new PGSimpleDataSource();
      otherSession.setUrl(db.jdbcUrl());
      otherSession.setOptions("-c TimeZone=Asia/Kathmandu");
      OAuthConnection found = new JdbiOAuthConnectionRepository(otherSession).find(user, Provider.GITHUB)
          .orElseThrow();
      assertThat(found.connectedAt()).isEqualTo(T0);
      assertThat(found.tokenExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(8)));
    } finally {
      TimeZone.setDefault(original);
    }
    assertThat(row(user, "github").get("token_expires_at")).isEqualTo("2026-01-15 18:30:00.123456");
  }

  @Test
  void saveReplacesTheConnectionButKeepsCreatedAt() {
    UserId user = provisionedUser(ds);
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    Instant later = T0.plus(Duration.ofDays(2));
    OAuthConnection again = new OAuthConnection(user, Provider.GITHUB, ConnectionStatus.CONNECTED, "583231",
        new EncryptedSecret("bmV3"), null, null, null, List.of("repo"), Map.of(), later, later, 1);
    repository.save(again, githubEvent(user, AuditEvent.Actions.CONNECT, later));

    assertThat(repository.find(user, Provider.GITHUB)).contains(again);
    assertThat(row(user, "github")).containsEntry("created_at", "2026-01-15 10:30:00.123456")
        .containsEntry("connected_at", "2026-01-17 10:30:00.123456")
        .containsEntry("refresh_token", null);
    assertThat(auditCount(user)).isEqualTo(2);
  }

  @Test
  void mqttRowsAreUntouchedAndRefused() {
    UserId user = provisionedUser(ds);
    JdbiMqttIntegrationRepository mqtt = new JdbiMqttIntegrationRepository(ds);
    mqtt.save(Fixtures.integration(user, T0), event(user, AuditEvent.Actions.CONNECT));
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    repository.delete(user, Provider.GITHUB, githubEvent(user, AuditEvent.Actions.DISCONNECT));

    com.nexflux.integrations.core.mqtt.MqttIntegration stored = mqtt.find(user).orElseThrow();
    assertThat(stored.settings()).isEqualTo(Fixtures.integration(user, T0).settings());
    assertThat(stored.password()).isEqualTo(Fixtures.integration(user, T0).password());
    assertThat(repository.dueForRefresh(T0.plus(Duration.ofDays(365)), 10)).isEmpty();
    assertThatThrownBy(() -> repository.find(user, Provider.MQTT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> repository.withLock(user, Provider.MQTT, false, (c, w) -> 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void saveWithoutAUsersRowIsUnavailableAndStoresNothing() {
    UserId stranger = new UserId(java.util.UUID.randomUUID());
    assertThatThrownBy(() -> repository.save(github(stranger), githubEvent(stranger, AuditEvent.Actions.CONNECT)))
        .isInstanceOf(UnavailableException.class);
    assertThat(auditCount(stranger)).isZero();
  }

  @Test
  void updateConfigChangesOnlyTheConfig() {
    UserId user = provisionedUser(ds);
    OAuthConnection connection = github(user);
    assertThat(repository.updateConfig(connection.withConfig(Map.of("x", 1), T0))).isFalse();
    repository.save(connection, githubEvent(user, AuditEvent.Actions.CONNECT));

    Instant later = T0.plus(Duration.ofMinutes(5));
    Map<String, Object> newConfig = Map.of("login", "octocat", "auto_sync", false, "repository_id", 7);
    assertThat(repository.updateConfig(connection.withConfig(newConfig, later))).isTrue();

    OAuthConnection found = repository.find(user, Provider.GITHUB).orElseThrow();
    assertThat(found.config()).isEqualTo(newConfig);
    assertThat(found.updatedAt()).isEqualTo(later);
    assertThat(found.accessToken()).isEqualTo(ACCESS);
    assertThat(found.credentialsVersion()).isEqualTo(1);
    assertThat(auditCount(user)).isEqualTo(1);
  }

  @Test
  void deleteWritesItsAuditRowEvenWhenNothingIsStored() {
    UserId user = provisionedUser(ds);
    assertThat(repository.delete(user, Provider.GITHUB, githubEvent(user, AuditEvent.Actions.DISCONNECT)))
        .isFalse();
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    assertThat(repository.delete(user, Provider.GITHUB, githubEvent(user, AuditEvent.Actions.DISCONNECT))).isTrue();
    assertThat(repository.find(user, Provider.GITHUB)).isEmpty();
    assertThat(auditCount(user)).isEqualTo(3);
  }

  @Test
  void withLockOnAMissingRowIsEmptyAndRunsNothing() {
    UserId user = provisionedUser(ds);
    AtomicBoolean ran = new AtomicBoolean();
    assertThat(repository.withLock(user, Provider.GITHUB, false, (c, w) -> ran.getAndSet(true))).isEmpty();
    assertThat(ran).isFalse();
  }

  @Test
  void withLockWritesTokensStatusAndAuditInOneTransaction() {
    UserId user = provisionedUser(ds);
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    Instant now = T0.plus(Duration.ofHours(7));
    Optional<Long> result = repository.withLock(user, Provider.GITHUB, false, (current, writer) -> {
      OAuthConnection refreshed = current.withTokens(new EncryptedSecret("bmV3LWFjY2Vzcw=="),
          new EncryptedSecret("bmV3LXJlZnJlc2g="), now.plus(Duration.ofHours(8)), now.plus(Duration.ofDays(180)),
          List.of(), now);
      writer.update(refreshed, githubEvent(user, "oauth.refresh", now));
      return refreshed.credentialsVersion();
    });
    assertThat(result).contains(2L);

    OAuthConnection found = repository.find(user, Provider.GITHUB).orElseThrow();
    assertThat(found.accessToken().ciphertext()).isEqualTo("bmV3LWFjY2Vzcw==");
    assertThat(found.refreshToken().ciphertext()).isEqualTo("bmV3LXJlZnJlc2g=");
    assertThat(found.tokenExpiresAt()).isEqualTo(now.plus(Duration.ofHours(8)));
    assertThat(found.credentialsVersion()).isEqualTo(2);
    assertThat(found.updatedAt()).isEqualTo(now);
    assertThat(found.connectedAt()).isEqualTo(T0);
    assertThat(found.scopes()).containsExactly("repo", "read:user");
    assertThat(new JdbiAuditLog(ds).list(user, null, 10).items()).extracting(AuditEvent::action)
        .containsExactly("oauth.refresh", AuditEvent.Actions.CONNECT);
  }

  @Test
  void anExceptionInTheWorkRollsBackAndPropagatesUnchanged() {
    UserId user = provisionedUser(ds);
    OAuthConnection original = github(user);
    repository.save(original, githubEvent(user, AuditEvent.Actions.CONNECT));

    for (RuntimeException failure : List.of(new NotFoundException("gone"), new IllegalStateException("bug"))) {
      Throwable thrown = catchThrowable(() -> repository.withLock(user, Provider.GITHUB, false, (current, writer) -> {
        writer.update(current.needingReauth(T0.plus(Duration.ofHours(1))), githubEvent(user, "oauth.reauth"));
        throw failure;
      }));
      assertThat(thrown).isSameAs(failure);
    }
    assertThat(repository.find(user, Provider.GITHUB)).contains(original);
    assertThat(auditCount(user)).isEqualTo(1);
  }

  @Test
  void theWriterRefusesAnotherRowAndUseAfterTheLock() {
    UserId user = provisionedUser(ds);
    UserId other = provisionedUser(ds);
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    assertThatThrownBy(() -> repository.withLock(user, Provider.GITHUB, false, (current, writer) -> {
      writer.update(github(other), null);
      return 1;
    })).isInstanceOf(IllegalArgumentException.class);

    AtomicReference<Writer> leaked = new AtomicReference<>();
    repository.withLock(user, Provider.GITHUB, false, (current, writer) -> {
      leaked.set(writer);
      return 1;
    });
    assertThatThrownBy(() -> leaked.get().update(github(user), null)).isInstanceOf(IllegalStateException.class);
  }

  /**
   * Two "server instances" (separate data sources and repositories on one database), 20 threads each: 40 calls
   * read the credentials version under the lock, sleep, and write it + 1. No update may be lost, and no two works
   * may overlap.
   */
  @Test
  void withLockSerializesAcrossServerInstances() throws Exception {
    UserId user = provisionedUser(ds);
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    List<JdbiOAuthConnectionRepository> instances = List.of(repository,
        new JdbiOAuthConnectionRepository(OAuthFixtures.secondInstance(db.jdbcUrl())));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    List<Callable<Long>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      JdbiOAuthConnectionRepository instance = instances.get(i % 2);
      calls.add(() -> instance.withLock(user, Provider.GITHUB, false, (current, writer) -> {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        long seen = current.credentialsVersion();
        writer.update(current.withTokens(new EncryptedSecret("dG9rZW4t" + seen), null, T0, null, List.of(), T0),
            null);
        inside.decrementAndGet();
        return seen;
      }).orElseThrow());
    }
    List<Long> seen = OAuthFixtures.concurrently(calls);

    assertThat(seen).doesNotHaveDuplicates().hasSize(40);
    assertThat(repository.find(user, Provider.GITHUB).orElseThrow().credentialsVersion()).isEqualTo(41);
    assertThat(maxInside.get()).isEqualTo(1);
  }

  @Test
  void skipLockedIsEmptyWhileAnotherTransactionHoldsTheLock() throws Exception {
    UserId user = provisionedUser(ds);
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    JdbiOAuthConnectionRepository other = new JdbiOAuthConnectionRepository(
        OAuthFixtures.secondInstance(db.jdbcUrl()));
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Optional<String>> holder = pool.submit(() -> repository.withLock(user, Provider.GITHUB, false,
        (current, writer) -> {
          locked.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "held";
        }));
    try {
      assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
      AtomicBoolean ran = new AtomicBoolean();
      assertThat(other.withLock(user, Provider.GITHUB, true, (c, w) -> ran.getAndSet(true))).isEmpty();
      assertThat(repository.withLock(user, Provider.GITHUB, true, (c, w) -> ran.getAndSet(true))).isEmpty();
      assertThat(ran).isFalse();
    } finally {
      release.countDown();
    }
    assertThat(holder.get(30, TimeUnit.SECONDS)).contains("held");
    assertThat(other.withLock(user, Provider.GITHUB, true, (c, w) -> "free")).contains("free");
  }

  @Test
  void aLockNotGrantedWithinTheTimeoutIsUnavailable() throws Exception {
    UserId user = provisionedUser(ds);
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holder = pool.submit(() -> repository.withLock(user, Provider.GITHUB, false, (current, writer) -> {
      locked.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 1;
    }));
    try {
      assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
      long started = System.nanoTime();
      UnavailableException e = org.assertj.core.api.Assertions.catchThrowableOfType(UnavailableException.class,
          () -> repository.withLock(user, Provider.GITHUB, false, (c, w) -> 2));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).isEqualTo("The database is unavailable");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
    } finally {
      release.countDown();
    }
    holder.get(30, TimeUnit.SECONDS);
  }

  @Test
  void dueForRefreshFiltersAndOrdersBySoonestExpiry() {
    UserId a = provisionedUser(ds);
    UserId b = provisionedUser(ds);
    UserId late = provisionedUser(ds);
    UserId reauth = provisionedUser(ds);
    UserId noRefresh = provisionedUser(ds);
    repository.save(github(a, Duration.ofMinutes(60)), githubEvent(a, AuditEvent.Actions.CONNECT));
    repository.save(github(b, Duration.ofMinutes(30)), githubEvent(b, AuditEvent.Actions.CONNECT));
    repository.save(github(late, Duration.ofMinutes(120)), githubEvent(late, AuditEvent.Actions.CONNECT));
    repository.save(github(reauth, Duration.ofMinutes(10)).needingReauth(T0),
        githubEvent(reauth, AuditEvent.Actions.UPDATE));
    OAuthConnection withoutRefresh = github(noRefresh, Duration.ofMinutes(5));
    repository.save(new OAuthConnection(noRefresh, Provider.GITHUB, ConnectionStatus.CONNECTED, "1", ACCESS, null,
        withoutRefresh.tokenExpiresAt(), null, List.of(), Map.of(), T0, T0, 1),
        githubEvent(noRefresh, AuditEvent.Actions.CONNECT));
    new JdbiMqttIntegrationRepository(ds).save(Fixtures.integration(a, T0), event(a, AuditEvent.Actions.CONNECT));

    Instant before = T0.plus(Duration.ofMinutes(90));
    assertThat(repository.dueForRefresh(before, 10))
        .containsExactly(new Key(b, Provider.GITHUB), new Key(a, Provider.GITHUB));
    assertThat(repository.dueForRefresh(before, 1)).containsExactly(new Key(b, Provider.GITHUB));
    assertThat(repository.dueForRefresh(T0, 10)).isEmpty();
    assertThatThrownBy(() -> repository.dueForRefresh(before, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dueForRefreshOfSomeProvidersListsOnlyTheirRows() {
    UserId a = provisionedUser(ds);
    UserId b = provisionedUser(ds);
    repository.save(github(a, Duration.ofMinutes(30)), githubEvent(a, AuditEvent.Actions.CONNECT));
    OAuthConnection arduino = github(b, Duration.ofMinutes(20));
    repository.save(new OAuthConnection(b, Provider.ARDUINO_CLOUD, ConnectionStatus.CONNECTED, "2", ACCESS,
        arduino.refreshToken(), arduino.tokenExpiresAt(), null, List.of(), Map.of(), T0, T0, 1),
        githubEvent(b, AuditEvent.Actions.CONNECT));
    Instant before = T0.plus(Duration.ofMinutes(90));

    assertThat(repository.dueForRefresh(before, 10)).hasSize(2);
    assertThat(repository.dueForRefresh(java.util.Set.of(Provider.GITHUB), before, 10))
        .containsExactly(new Key(a, Provider.GITHUB));
    assertThat(repository.dueForRefresh(java.util.Set.of(Provider.GITHUB, Provider.ARDUINO_CLOUD), before, 10))
        .containsExactly(new Key(b, Provider.ARDUINO_CLOUD), new Key(a, Provider.GITHUB));
    assertThat(repository.dueForRefresh(java.util.Set.of(), before, 10)).isEmpty();
  }

  @Test
  void anUnreadableRowIsUnavailable() {
    UserId user = provisionedUser(ds);
    repository.save(github(user), githubEvent(user, AuditEvent.Actions.CONNECT));
    Sql.exec(ds, "UPDATE user_integrations SET metadata = '{\"status\": \"weird\"}' WHERE user_id = ?", user.value());
    UnavailableException e = org.assertj.core.api.Assertions.catchThrowableOfType(UnavailableException.class,
        () -> repository.find(user, Provider.GITHUB));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).isEqualTo("The database holds an unreadable OAuth connection");
  }
}
