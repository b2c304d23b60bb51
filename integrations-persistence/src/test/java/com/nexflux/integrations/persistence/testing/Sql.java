package com.nexflux.integrations.persistence.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Plain JDBC for tests: raw statements and rows as maps, bypassing the adapters under test. */
public final class Sql {
  private Sql() {}

  /** Runs a statement with positional ({@code ?}) parameters and returns the update count. */
  public static int exec(DataSource ds, String sql, Object... params) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
      ps.execute();
      return Math.max(ps.getUpdateCount(), 0);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Runs a statement, returning the driver's exception instead of throwing it ({@code null} when it worked). */
  public static SQLException tryExec(DataSource ds, String sql, Object... params) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
      ps.execute();
      return null;
    } catch (SQLException e) {
      return e;
    }
  }

  /** @return every row of a query, each as column label to value, in column order */
  public static List<Map<String, Object>> rows(DataSource ds, String sql, Object... params) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** @return the first column of the only row, or {@code null} when there is no row */
  public static Object scalar(DataSource ds, String sql, Object... params) {
    List<Map<String, Object>> rows = rows(ds, sql, params);
    if (rows.isEmpty()) {
      return null;
    }
    if (rows.size() > 1) {
      throw new IllegalStateException("expected at most one row, got " + rows.size());
    }
    return rows.get(0).values().iterator().next();
  }

  /** @return the count of {@code SELECT count(*) ...} */
  public static long count(DataSource ds, String sql, Object... params) {
    return ((Number) scalar(ds, sql, params)).longValue();
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
    return ps;
  }
}
