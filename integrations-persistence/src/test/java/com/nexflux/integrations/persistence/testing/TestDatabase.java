package com.nexflux.integrations.persistence.testing;

import com.nexflux.integrations.persistence.EmbeddedDatabase;
import com.nexflux.integrations.persistence.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A reusable test fixture: one embedded PostgreSQL per JVM (started lazily, stopped and deleted at JVM exit) and a
 * fresh database for each caller, so tests never see each other's rows.
 *
 * <pre>{@code
 * DataSource ds = TestDatabase.freshDataSource();        // new database, migrations applied
 * TestDatabase db = TestDatabase.create();               // same, with its name and JDBC URL
 * TestDatabase empty = TestDatabase.createEmpty();       // new database, no migrations
 * }</pre>
 *
 * <p>Data sources are unpooled ({@link PGSimpleDataSource}: every connection is a new one), so nothing needs
 * closing. Shipped in this module's test-jar ({@code integrations-persistence:tests}) for other modules.
 */
public final class TestDatabase {
  private static EmbeddedDatabase server;

  private final String name;
  private final PGSimpleDataSource dataSource;

  private TestDatabase(String name) {
    this.name = name;
    this.dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {"127.0.0.1"});
    dataSource.setPortNumbers(new int[] {server().port()});
    dataSource.setDatabaseName(name);
    dataSource.setUser("postgres");
    dataSource.setConnectTimeout(5);
  }

  /** @return the shared embedded server of this JVM, started on first use */
  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      server = EmbeddedDatabase.startTemporary();
    }
    return server;
  }

  /** @return a data source on a new database with the migrations applied */
  public static DataSource freshDataSource() {
    return create().dataSource();
  }

  /** @return a new database with the migrations applied */
  public static TestDatabase create() {
    TestDatabase db = createEmpty();
    Migrations.migrate(db.dataSource());
    return db;
  }

  /** @return a new, empty database (no migrations) */
  public static TestDatabase createEmpty() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    try (Connection c = server().dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    return new TestDatabase(name);
  }

  /** @return the database's name ({@code t_<32 hex digits>}) */
  public String name() {
    return name;
  }

  /** @return an unpooled data source on this database, as the {@code postgres} superuser */
  public DataSource dataSource() {
    return dataSource;
  }

  /** @return the JDBC URL of this database, as the {@code postgres} superuser */
  public String jdbcUrl() {
    return server().jdbcUrl(name);
  }

  @Override
  public String toString() {
    return "TestDatabase[" + name + "]";
  }
}
