package com.nexflux.integrations.persistence.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Instants in and out of JDBC. Values are bound as UTC {@link OffsetDateTime}s and read as {@code timestamptz}
 * ({@code TIMESTAMP} columns are converted with {@code timezone('UTC', ...)} in SQL), so the JVM's default time zone
 * plays no part.
 */
public final class Timestamps {
  private Timestamps() {}

  /** @return {@code instant} cut to PostgreSQL's microsecond precision */
  public static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** @return the value to bind for {@code instant} ({@code null} stays {@code null}) */
  public static OffsetDateTime bind(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC);
  }

  /** Reads a {@code timestamptz} column. */
  public static Instant read(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** @return epoch microseconds of {@code instant} */
  public static long toEpochMicros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  /** @return the instant of {@code epochMicros} */
  public static Instant fromEpochMicros(long epochMicros) {
    return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
        Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
  }
}
