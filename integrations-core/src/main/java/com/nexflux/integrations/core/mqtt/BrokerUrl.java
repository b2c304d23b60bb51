package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.error.FieldError;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated broker address: {@code ws}, {@code wss}, {@code mqtt} or {@code mqtts}, a host, a port, and for
 * WebSocket schemes a path (default {@code /mqtt}) and an optional query.
 *
 * @param text the URL as the user gave it (trimmed); this is what the API shows back
 * @param scheme the scheme in lower case
 * @param host the host in ASCII (IDN converted), without brackets for IPv6 literals
 * @param port the port, the scheme's default when the URL has none
 * @param path the WebSocket path ({@code /mqtt} when empty), {@code ""} for TCP schemes
 * @param query the WebSocket query string without {@code ?}, or {@code ""}
 */
public record BrokerUrl(String text, String scheme, String host, int port, String path, String query) {
  static final int MAX_LENGTH = 2048;

  public BrokerUrl {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
  }

  /** @return whether the transport is WebSocket */
  public boolean webSocket() {
    return scheme.startsWith("ws");
  }

  /** @return whether the transport is TLS */
  public boolean tls() {
    return scheme.equals("wss") || scheme.equals("mqtts");
  }

  /**
   * Whether {@code other} is the same server: the same scheme, the same host as {@link #parse} normalizes it
   * (lower case, IDN as punycode; IPv6 literals compared without regard to case) and the same effective port.
   * The WebSocket path and query do not count. Names are not resolved: {@code localhost} and {@code 127.0.0.1},
   * or {@code [::1]} and {@code [0:0:0:0:0:0:0:1]}, count as different servers.
   */
  public boolean sameServer(BrokerUrl other) {
    return other != null && scheme.equals(other.scheme) && host.equalsIgnoreCase(other.host)
        && port == other.port;
  }

  /**
   * Parses and validates a broker URL.
   *
   * @return the URL, or the error for field {@code field}
   */
  public static Result parse(String field, String input) {
    if (input == null || input.isBlank()) {
      return Result.error(field, "is required");
    }
    String text = input.trim();
    if (text.length() > MAX_LENGTH) {
      return Result.error(field, "must be at most " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(asciiHost(text));
    } catch (URISyntaxException e) {
      return Result.error(field, "is not a valid URL");
    } catch (IllegalArgumentException e) {
      return Result.error(field, "host is not a valid host name");
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !(scheme.equals("ws") || scheme.equals("wss")
        || scheme.equals("mqtt") || scheme.equals("mqtts"))) {
      return Result.error(field, "scheme must be ws, wss, mqtt or mqtts");
    }
    if (uri.isOpaque()) {
      return Result.error(field, "must look like " + scheme + "://host:port");
    }
    if (uri.getRawUserInfo() != null) {
      return Result.error(field, "must not contain a user name or password; use the username and password fields");
    }
    if (uri.getRawFragment() != null) {
      return Result.error(field, "must not contain a fragment (#...)");
    }
    String rawHost = uri.getHost();
    if (rawHost == null || rawHost.isEmpty()) {
      if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
        return Result.error(field, "must not contain a user name or password; use the username and password fields");
      }
      return Result.error(field, "must contain a host");
    }
    String host;
    if (rawHost.startsWith("[") && rawHost.endsWith("]")) {
      host = rawHost.substring(1, rawHost.length() - 1);
    } else {
      try {
        host = IDN.toASCII(rawHost, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        return Result.error(field, "host is not a valid host name");
      }
      if (host.isEmpty()) {
        return Result.error(field, "must contain a host");
      }
    }
    int port = uri.getPort();
    if (port == -1) {
      if (uri.getRawAuthority() != null && uri.getRawAuthority().matches(".*:\\d*$")
          && !uri.getRawAuthority().endsWith("]")) {
        return Result.error(field, "port must be between 1 and 65535");
      }
      port = defaultPort(scheme);
    } else if (port < 1 || port > 65535) {
      return Result.error(field, "port must be between 1 and 65535");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    boolean ws = scheme.startsWith("ws");
    if (!ws) {
      if (!(path.isEmpty() || path.equals("/"))) {
        return Result.error(field, "a path is only allowed for ws:// and wss:// URLs");
      }
      if (!query.isEmpty() || text.contains("?")) {
        return Result.error(field, "a query is only allowed for ws:// and wss:// URLs");
      }
      path = "";
    } else if (path.isEmpty() || path.equals("/")) {
      path = "/mqtt";
    }
    return new Result(new BrokerUrl(text, scheme, host, port, path, query), null);
  }

  /**
   * {@link URI} leaves a non-ASCII (IDN) host out of {@link URI#getHost()}, so convert such a host to punycode
   * before parsing. Authorities with user info or an IPv6 literal are left as they are.
   *
   * @throws IllegalArgumentException when the host is not a valid internationalized host name
   */
  private static String asciiHost(String text) {
    int start = text.indexOf("://");
    if (start < 0) {
      return text;
    }
    start += 3;
    int end = start;
    while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    String authority = text.substring(start, end);
    if (authority.chars().allMatch(c -> c < 0x80) || authority.contains("@") || authority.startsWith("[")) {
      return text;
    }
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    String port = colon < 0 ? "" : authority.substring(colon);
    return text.substring(0, start) + IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES) + port + text.substring(end);
  }

  /** @return the port used when the URL names none: 1883, 8883, 80 or 443 */
  public static int defaultPort(String scheme) {
    return switch (scheme) {
      case "mqtt" -> 1883;
      case "mqtts" -> 8883;
      case "ws" -> 80;
      case "wss" -> 443;
      default -> throw new IllegalArgumentException("scheme");
    };
  }

  /**
   * The outcome of {@link #parse}.
   *
   * @param url the URL, or {@code null}
   * @param error the error, or {@code null}
   */
  public record Result(BrokerUrl url, FieldError error) {
    static Result error(String field, String message) {
      return new Result(null, new FieldError(field, message));
    }

    /** @return the URL when valid */
    public Optional<BrokerUrl> value() {
      return Optional.ofNullable(url);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
