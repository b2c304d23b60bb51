package com.nexflux.integrations.persistence.internal;

import com.nexflux.integrations.core.error.IntegrationsException;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code DATABASE_URL}: a JDBC URL without credentials, and the credentials apart (so a pool never logs
 * them as part of the URL).
 *
 * <p>Accepted forms: {@code postgres://user:pass@host[:port][,host2[:port]]/db?param=value&...} (also
 * {@code postgresql://}; user and password are percent-decoded, query parameters pass through to the driver) and
 * {@code jdbc:postgresql://...} (its {@code user} and {@code password} query parameters are taken out). Error
 * messages never repeat the URL, which may hold a password.
 *
 * @param jdbcUrl the JDBC URL, free of user and password
 * @param user the user, or {@code null}
 * @param password the password, or {@code null}
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {
  /** The error code of a malformed URL. */
  public static final String INVALID = "DATABASE_URL_INVALID";

  @Override
  public String toString() {
    return "DatabaseUrl[" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
  }

  /**
   * Parses {@code url}.
   *
   * @throws IntegrationsException with code {@link #INVALID} when it is not one of the accepted forms
   */
  public static DatabaseUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw invalid("is empty");
    }
    String text = url.trim();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      return parseJdbc(text);
    }
    String rest;
    if (lower.startsWith("postgres://")) {
      rest = text.substring("postgres://".length());
    } else if (lower.startsWith("postgresql://")) {
      rest = text.substring("postgresql://".length());
    } else {
      throw invalid("must start with postgres://, postgresql:// or jdbc:postgresql://");
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash >= 0 ? rest.substring(0, slash) : rest;
    String database = slash >= 0 ? rest.substring(slash + 1) : "";
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    String hosts = authority;
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      hosts = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        user = percentDecode(userInfo.substring(0, colon));
        password = percentDecode(userInfo.substring(colon + 1));
      } else {
        user = percentDecode(userInfo);
      }
      if (user.isEmpty()) {
        user = null;
      }
    }
    if (hosts.isEmpty()) {
      throw invalid("has no host");
    }
    if (database.contains("/")) {
      throw invalid("has more than one path segment");
    }
    Params params = Params.split(query, DatabaseUrl::percentDecode);
    if (user == null) {
      user = params.user;
    }
    if (password == null) {
      password = params.password;
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(database);
    if (!params.rest.isEmpty()) {
      jdbc.append('?').append(String.join("&", params.rest));
    }
    return new DatabaseUrl(jdbc.toString(), user, password);
  }

  private static DatabaseUrl parseJdbc(String text) {
    int q = text.indexOf('?');
    if (q < 0) {
      return new DatabaseUrl(text, null, null);
    }
    // the PostgreSQL driver decodes query values with URLDecoder ('+' is a space); do the same
    Params params = Params.split(text.substring(q + 1), DatabaseUrl::formDecode);
    String base = text.substring(0, q);
    String jdbc = params.rest.isEmpty() ? base : base + "?" + String.join("&", params.rest);
    return new DatabaseUrl(jdbc, params.user, params.password);
  }

  private static final class Params {
    final List<String> rest = new ArrayList<>();
    String user;
    String password;

    static Params split(String query, java.util.function.UnaryOperator<String> decode) {
      Params p = new Params();
      if (query.isEmpty()) {
        return p;
      }
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = eq >= 0 ? pair.substring(0, eq) : pair;
        String value = eq >= 0 ? pair.substring(eq + 1) : "";
        if (key.equals("user")) {
          p.user = decode.apply(value);
        } else if (key.equals("password")) {
          p.password = decode.apply(value);
        } else {
          p.rest.add(pair);
        }
      }
      return p;
    }
  }

  /** RFC 3986 percent-decoding as UTF-8; {@code +} stays a plus sign. */
  static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == '%') {
        if (i + 2 >= s.length()) {
          throw invalid("has a bad percent-escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw invalid("has a bad percent-escape");
        }
        out.write(hi * 16 + lo);
        i += 3;
      } else {
        int j = s.indexOf('%', i);
        if (j < 0) {
          j = s.length();
        }
        out.writeBytes(s.substring(i, j).getBytes(StandardCharsets.UTF_8));
        i = j;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String formDecode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("has a bad percent-escape");
    }
  }

  private static IntegrationsException invalid(String why) {
    return new IntegrationsException(INVALID, "The database URL " + why);
  }
}
