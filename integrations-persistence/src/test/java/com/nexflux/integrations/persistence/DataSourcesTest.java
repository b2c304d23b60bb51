package com.nexflux.integrations.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * DATABASE_URL parsing against a real server that demands a password (scram-sha-256) from a role whose name and
 * password are full of URL-special characters.
 */
class DataSourcesTest {
  private static final String ROLE = "app@user:x";
  private static final String PASSWORD = "p@ss:w/rd#?%&+ é=;Zq9";
  private static final String DATABASE = "appdb";

  @TempDir
  static Path temp;
  private static EmbeddedDatabase server;

  @BeforeAll
  static void startServerThatDemandsAPassword() throws Exception {
    Path dir = temp.resolve("pgdata");
    try (EmbeddedDatabase setup = EmbeddedDatabase.start(dir)) {
      Sql.exec(setup.dataSource(), "CREATE ROLE \"" + ROLE + "\" LOGIN PASSWORD '" + PASSWORD + "'");
      Sql.exec(setup.dataSource(), "CREATE DATABASE " + DATABASE + " OWNER \"" + ROLE + "\"");
    }
    Path hba = dir.resolve("pg_hba.conf");
    Files.writeString(hba, "host all \"" + ROLE + "\" 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
    server = EmbeddedDatabase.start(dir);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Map<String, Object> whoAmI(HikariDataSource pool) {
    return Sql.rows(pool, "SELECT current_user AS usr, current_database() AS db, "
        + "current_setting('application_name') AS app, current_setting('TimeZone') AS tz").get(0);
  }

  private static String fullTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void connectsWithAPostgresUrlAndEncodedCredentials() {
    String url = "postgres://" + encode(ROLE) + ":" + encode(PASSWORD) + "@127.0.0.1:" + server.port() + "/"
        + DATABASE + "?sslmode=disable&ApplicationName=nexflux-test";
    try (HikariDataSource pool = DataSources.create(url, 2)) {
      assertThat(whoAmI(pool)).containsEntry("usr", ROLE).containsEntry("db", DATABASE)
          .containsEntry("app", "nexflux-test");
      assertThat(pool.getPoolName()).isEqualTo(DataSources.POOL_NAME);
      assertThat(pool.getJdbcUrl()).doesNotContain(PASSWORD).doesNotContain(encode(PASSWORD));
      assertThat(pool.getMaximumPoolSize()).isEqualTo(2);
      assertThat(pool.getConnectionTimeout()).isEqualTo(3_000);
    }
  }

  @Test
  void acceptsThePostgresqlSchemeAndJdbcUrls() {
    String postgresql = "postgresql://" + encode(ROLE) + ":" + encode(PASSWORD) + "@127.0.0.1:" + server.port()
        + "/" + DATABASE;
    try (HikariDataSource pool = DataSources.create(postgresql, 1)) {
      assertThat(whoAmI(pool)).containsEntry("usr", ROLE).containsEntry("app", "nexflux-integrations");
    }
    String jdbc = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + DATABASE + "?user="
        + URLEncoder.encode(ROLE, StandardCharsets.UTF_8) + "&password="
        + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
    try (HikariDataSource pool = DataSources.create(jdbc, 1)) {
      assertThat(whoAmI(pool)).containsEntry("usr", ROLE).containsEntry("db", DATABASE);
      assertThat(pool.getJdbcUrl()).doesNotContain("password");
    }
  }

  @Test
  void aWrongPasswordFailsWithoutShowingAnyPasswordInExceptionsOrLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<Logger> chatty = List.of(context.getLogger("com.zaxxer.hikari"), context.getLogger("org.postgresql"), root);
    List<Level> levels = chatty.stream().map(Logger::getLevel).toList();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    chatty.forEach(l -> l.setLevel(Level.DEBUG));
    String wrong = "Wr0ng-" + PASSWORD;
    try {
      String url = "postgres://" + encode(ROLE) + ":" + encode(wrong) + "@127.0.0.1:" + server.port() + "/"
          + DATABASE;
      Throwable failure;
      try (HikariDataSource pool = DataSources.create(url, 1)) {
        failure = catchThrowable(() -> {
          try (Connection c = pool.getConnection()) {
            c.isValid(1);
          }
        });
      }
      assertThat(failure).isNotNull();
      assertThat(fullTrace(failure)).contains("password authentication failed")
          .doesNotContain(wrong).doesNotContain(encode(wrong)).doesNotContain(PASSWORD);

      Throwable malformed = catchThrowable(() -> DataSources.create("postgres://u:" + wrong + "%zz@h/db", 1));
      assertThat(malformed).isInstanceOf(IntegrationsException.class);
      assertThat(((IntegrationsException) malformed).code()).isEqualTo("DATABASE_URL_INVALID");
      assertThat(fullTrace(malformed)).doesNotContain(wrong);
    } finally {
      root.detachAppender(appender);
      for (int i = 0; i < chatty.size(); i++) {
        chatty.get(i).setLevel(levels.get(i));
      }
    }
    assertThat(appender.list).isNotEmpty();
    for (ILoggingEvent event : appender.list) {
      String text = event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      assertThat(text).doesNotContain(wrong).doesNotContain(encode(wrong)).doesNotContain(PASSWORD);
    }
  }

  @Test
  void worksWithTheRepositoriesOnAMigratedDatabase() {
    TestDatabase db = TestDatabase.create();
    String url = "postgres://postgres@127.0.0.1:" + TestDatabase.server().port() + "/" + db.name();
    try (HikariDataSource pool = DataSources.create(url, 2)) {
      PostgresPersistence persistence = new PostgresPersistence(pool);
      persistence.health().check();
      com.nexflux.integrations.core.domain.UserId user = Fixtures.provisionedUser(pool);
      persistence.mqttRepository().save(Fixtures.integration(user, Fixtures.T0),
          Fixtures.event(user, com.nexflux.integrations.core.domain.AuditEvent.Actions.CONNECT));
      assertThat(persistence.mqttRepository().find(user)).isPresent();
      assertThat(persistence.auditLog().list(user, null, 10).items()).hasSize(1);
    }
  }

  @Test
  void rejectsAPoolSizeBelowOne() {
    assertThatThrownBy(() -> DataSources.create("postgres://h/db", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
