package com.nexflux.integrations.providers.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Hosts that OkHttp treats as IP addresses. OkHttp connects to those directly, without asking its {@link okhttp3.Dns}
 * (its {@code canParseAsIpAddress}: anything with a colon, or made only of digits and dots, which it hands to
 * {@link InetAddress#getByName}). So a guarded client must check them itself, and parse them without any lookup.
 */
public final class IpLiterals {
  // the shape OkHttp's RouteSelector takes for an address (okhttp3.internal.canParseAsIpAddress)
  private static final Pattern OKHTTP_LITERAL = Pattern.compile("([0-9a-fA-F]*:[0-9a-fA-F:.]*)|([\\d.]+)");
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private IpLiterals() {}

  /** @return whether OkHttp would connect to {@code host} as an address, bypassing DNS */
  public static boolean isLiteral(String host) {
    return OKHTTP_LITERAL.matcher(host).matches();
  }

  /**
   * @param host a host for which {@link #isLiteral} is true
   * @return the address, or {@code null} when the host is not a plain dotted quad or an IPv6 address ({@code 127.1},
   *     {@code 2130706433}, {@code 1.2.3.4.5}: forms the JDK reads loosely or would even look up)
   */
  public static InetAddress parse(String host) {
    boolean v4 = DOTTED_QUAD.matcher(host).matches();
    boolean v6 = host.contains(":") && IPV6.matcher(host).matches();
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(host); // a literal of these shapes is parsed, never looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
