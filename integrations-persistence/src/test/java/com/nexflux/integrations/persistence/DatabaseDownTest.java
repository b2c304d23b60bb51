package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static com.nexflux.integrations.persistence.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.mqtt.TestRecord;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A database that is down surfaces as UnavailableException from every adapter, never as a library exception. */
class DatabaseDownTest {

  private static Map<String, Executable> everyCall(PostgresPersistence p, UserId user) {
    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("repository.find", () -> p.mqttRepository().find(user));
    calls.put("repository.save", () -> p.mqttRepository().save(Fixtures.integration(user, T0),
        event(user, AuditEvent.Actions.UPDATE)));
    calls.put("repository.delete", () -> p.mqttRepository().delete(user, event(user, AuditEvent.Actions.DISCONNECT)));
    calls.put("repository.recordTest", () -> p.mqttRepository().recordTest(user, 1,
        new TestRecord(T0, true, null), event(user, AuditEvent.Actions.TEST)));
    calls.put("auditLog.append", () -> p.auditLog().append(event(user, AuditEvent.Actions.DECRYPT_FAILED)));
    calls.put("auditLog.list", () -> p.auditLog().list(user, null, 10));
    calls.put("userDirectory.exists", () -> p.userDirectory().exists(user));
    calls.put("userDirectory.provision", () -> p.userDirectory().provision(user));
    calls.put("health.check", () -> p.health().check());
    return calls;
  }

  private static void assertAllUnavailable(PostgresPersistence persistence, UserId user) {
    everyCall(persistence, user).forEach((name, call) -> {
      UnavailableException e = catchThrowableOfType(UnavailableException.class, () -> {
        try {
          call.execute();
        } catch (Throwable t) {
          throw t instanceof Exception ex ? ex : new RuntimeException(t);
        }
      });
      assertThat(e).as(name).isNotNull();
      assertThat(e.code()).as(name).isEqualTo("UNAVAILABLE");
      assertThat(e.getMessage()).as(name).isEqualTo("The database is unavailable");
    });
  }

  @Test
  void aStoppedServerIsUnavailableEverywhere() {
    EmbeddedDatabase server = EmbeddedDatabase.startTemporary();
    HikariDataSource pool;
    PostgresPersistence persistence;
    UserId user = new UserId(UUID.randomUUID());
    try {
      Migrations.migrate(server.dataSource());
      pool = DataSources.create(server.jdbcUrl(), 2);
      persistence = new PostgresPersistence(pool);
      persistence.health().check();
      persistence.userDirectory().provision(user);
      persistence.mqttRepository().save(Fixtures.integration(user, T0), event(user, AuditEvent.Actions.CONNECT));
      assertThat(persistence.mqttRepository().find(user)).isPresent();
    } finally {
      server.close();
    }
    try {
      assertAllUnavailable(persistence, user);
      UnavailableException migrate = catchThrowableOfType(UnavailableException.class,
          () -> Migrations.migrate(pool));
      assertThat(migrate).isNotNull();
    } finally {
      pool.close();
    }
  }

  @Test
  void aClosedPoolIsUnavailableEverywhere() {
    HikariDataSource pool = DataSources.create(TestDatabase.create().jdbcUrl(), 1);
    PostgresPersistence persistence = new PostgresPersistence(pool);
    persistence.health().check();
    pool.close();
    assertAllUnavailable(persistence, new UserId(UUID.randomUUID()));
  }
}
