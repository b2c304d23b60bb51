package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static com.nexflux.integrations.persistence.OAuthFixtures.github;
import static com.nexflux.integrations.persistence.OAuthFixtures.githubEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.oauth.FlowPurpose;
import com.nexflux.integrations.core.oauth.PendingAuthorization;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.postgresql.ds.PGSimpleDataSource;

/** The V2 adapters and the scheduler surface a database that is down as UnavailableException. */
class OAuthDatabaseDownTest {

  private static Map<String, Executable> everyCall(DataSource ds, UserId user) {
    PostgresPersistence p = new PostgresPersistence(ds);
    DbSchedulerJobScheduler scheduler = new DbSchedulerJobScheduler(ds,
        Map.<String, Consumer<String>>of("github-sync", id -> { }), "down", Duration.ofSeconds(1), 1);
    PendingAuthorization flow = new PendingAuthorization("h", "b", Provider.GITHUB, FlowPurpose.SIGN_IN, null,
        URI.create("https://x.example.com/cb"), new EncryptedSecret("eA=="), List.of(), T0, T0);
    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("flows.save", () -> p.authorizationFlows().save(flow));
    calls.put("flows.consume", () -> p.authorizationFlows().consume("h"));
    calls.put("flows.purgeExpired", () -> p.authorizationFlows().purgeExpired(T0));
    calls.put("connections.find", () -> p.oauthConnections().find(user, Provider.GITHUB));
    calls.put("connections.save", () -> p.oauthConnections().save(github(user),
        githubEvent(user, AuditEvent.Actions.CONNECT)));
    calls.put("connections.updateConfig", () -> p.oauthConnections().updateConfig(github(user)));
    calls.put("connections.delete", () -> p.oauthConnections().delete(user, Provider.GITHUB,
        githubEvent(user, AuditEvent.Actions.DISCONNECT)));
    calls.put("connections.withLock", () -> p.oauthConnections().withLock(user, Provider.GITHUB, false,
        (c, w) -> 1));
    calls.put("connections.withLock(skip)", () -> p.oauthConnections().withLock(user, Provider.GITHUB, true,
        (c, w) -> 1));
    calls.put("connections.dueForRefresh", () -> p.oauthConnections().dueForRefresh(T0, 10));
    calls.put("identities.findUser", () -> p.identities().findUser(Provider.GITHUB, "1"));
    calls.put("identities.findOrCreate", () -> p.identities().findOrCreate(Provider.GITHUB, "1", user));
    calls.put("identities.linkIfAbsent", () -> p.identities().linkIfAbsent(Provider.GITHUB, "1", user));
    calls.put("jobs.save", () -> p.syncJobs().save(SyncJob.queued(new com.nexflux.integrations.core.sync.SyncTarget(user, Provider.GITHUB, "1"), List.of("p"), T0)));
    calls.put("jobs.find", () -> p.syncJobs().find(UUID.randomUUID()));
    calls.put("jobs.findOwn", () -> p.syncJobs().find(user, UUID.randomUUID()));
    calls.put("jobs.recent", () -> p.syncJobs().recent(user, Provider.GITHUB, 5));
    calls.put("jobs.addPending", () -> p.syncJobs().addPending(new com.nexflux.integrations.core.sync.SyncTarget(user, Provider.GITHUB, "1"), "p"));
    calls.put("jobs.takePending", () -> p.syncJobs().takePending(new com.nexflux.integrations.core.sync.SyncTarget(user, Provider.GITHUB, "1")));
    calls.put("scheduler.schedule", () -> scheduler.schedule("github-sync", "x", Instant.now()));
    calls.put("scheduler.scheduleOrPostpone", () -> scheduler.scheduleOrPostpone("github-sync", "x", Instant.now()));
    calls.put("scheduler.start", scheduler::start);
    return calls;
  }

  private static void assertAllUnavailable(DataSource ds) {
    UserId user = new UserId(UUID.randomUUID());
    everyCall(ds, user).forEach((name, call) -> {
      UnavailableException e = catchThrowableOfType(UnavailableException.class, () -> {
        try {
          call.execute();
        } catch (Throwable t) {
          throw t instanceof Exception ex ? ex : new RuntimeException(t);
        }
      });
      assertThat(e).as(name).isNotNull();
      assertThat(e.getMessage()).as(name).isEqualTo("The database is unavailable");
    });
  }

  @Test
  void aClosedPoolIsUnavailableEverywhere() {
    HikariDataSource pool = DataSources.create(TestDatabase.create().jdbcUrl(), 1);
    new PostgresPersistence(pool).health().check();
    pool.close();
    assertAllUnavailable(pool);
  }

  @Test
  void anUnreachableServerIsUnavailableEverywhere() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName("nowhere");
    ds.setUser("postgres");
    assertAllUnavailable(ds);
  }
}
