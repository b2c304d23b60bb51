package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.persistence.internal.DatabaseUrl;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Connection pools (HikariCP) from a {@code DATABASE_URL}.
 *
 * <p>Accepted URLs: {@code postgres://user:password@host:port/database?sslmode=require&...} or
 * {@code postgresql://...} (user and password percent-decoded; several {@code host:port} pairs separated by commas
 * and bracketed IPv6 literals pass through; query parameters go to the PostgreSQL JDBC driver as they are), or a
 * {@code jdbc:postgresql://...} URL (its {@code user} and {@code password} parameters are used as credentials). The
 * password is handed to the pool apart from the URL, which the pool may log; it never appears in an exception.
 *
 * <p>Pool settings: pool name {@value #POOL_NAME}; connection timeout 3 s (a database that is down fails requests
 * fast instead of queueing them); validation timeout 1 s; creating the pool does not connect (failures show on
 * first use and in {@link DatabaseHealth}). Driver defaults, each overridable by a URL parameter of the same name:
 * {@code connectTimeout=3}, {@code socketTimeout=30} (seconds), {@code tcpKeepAlive=true},
 * {@code ApplicationName=nexflux-integrations}, {@code logServerErrorDetail=false} (server error details, which can
 * quote row values, stay out of exception messages).
 */
public final class DataSources {
  /** The pool name (shown in HikariCP's logs and thread names). */
  public static final String POOL_NAME = "nexflux-integrations";
  /** How long a request waits for a connection before failing, in milliseconds. */
  public static final long CONNECTION_TIMEOUT_MS = 3_000;

  private DataSources() {}

  /**
   * Creates a pool. The caller owns it and closes it at shutdown.
   *
   * @param databaseUrl a {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql://} URL
   * @param maxPoolSize the most connections the pool opens (at least 1)
   * @return a new pool; it has not connected yet
   * @throws IntegrationsException with code {@code DATABASE_URL_INVALID} when the URL is malformed (the message
   *     does not repeat it)
   * @throws IllegalArgumentException when {@code maxPoolSize} is below 1
   */
  public static HikariDataSource create(String databaseUrl, int maxPoolSize) {
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1");
    }
    DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName(POOL_NAME);
    config.setDriverClassName("org.postgresql.Driver");
    config.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      config.setUsername(url.user());
    }
    if (url.password() != null) {
      config.setPassword(url.password());
    }
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(Math.min(2, maxPoolSize));
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    config.setValidationTimeout(1_000);
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("connectTimeout", "3");
    config.addDataSourceProperty("socketTimeout", "30");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty("ApplicationName", "nexflux-integrations");
    config.addDataSourceProperty("logServerErrorDetail", "false");
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IntegrationsException(DatabaseUrl.INVALID,
          "The database URL could not be used (" + e.getClass().getSimpleName() + ")");
    }
  }
}
