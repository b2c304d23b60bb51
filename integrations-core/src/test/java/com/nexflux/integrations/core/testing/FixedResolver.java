package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.net.HostResolver;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A {@link HostResolver} with fixed answers and no network. Names map to the addresses a test gives
 * ({@link #map}); an unmapped IP literal resolves to itself (as the system resolver does, parsed without a
 * lookup); anything else throws {@link UnknownHostException}. Every lookup is recorded. Thread-safe; the
 * answers may change during a test (DNS rebinding).
 */
public final class FixedResolver implements HostResolver {
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
  private final List<String> lookups = new CopyOnWriteArrayList<>();

  /** A resolver that knows no names yet. */
  public FixedResolver() {}

  /** Shorthand for {@code new FixedResolver().map(host, ips)}. */
  public static FixedResolver of(String host, String... ips) {
    return new FixedResolver().map(host, ips);
  }

  /**
   * Makes {@code host} resolve to the given IP literals (replacing any earlier answer). An IPv6 literal stays an
   * {@link Inet6Address} even in the {@code ::ffff:a.b.c.d} form, as a real AAAA answer would.
   */
  public FixedResolver map(String host, String... ips) {
    InetAddress[] addresses = new InetAddress[ips.length];
    for (int i = 0; i < ips.length; i++) {
      addresses[i] = literal(host, ips[i]);
    }
    return map(host, addresses);
  }

  /** Makes {@code host} resolve to {@code addresses} (replacing any earlier answer). */
  public FixedResolver map(String host, InetAddress... addresses) {
    if (addresses.length == 0) {
      throw new IllegalArgumentException("give at least one address; use forget() for an unknown host");
    }
    answers.put(key(host), List.of(addresses));
    return this;
  }

  /** Makes {@code host} unknown again. */
  public FixedResolver forget(String host) {
    answers.remove(key(host));
    return this;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    lookups.add(host);
    List<InetAddress> a = host == null ? null : answers.get(key(host));
    if (a != null) {
      return a.toArray(InetAddress[]::new);
    }
    if (host != null && isIpLiteral(host)) {
      return new InetAddress[] {literal(null, host)};
    }
    throw new UnknownHostException(host + ": not known to this FixedResolver");
  }

  /** @return every host name looked up, in order */
  public List<String> lookups() {
    return List.copyOf(lookups);
  }

  /** @return how often {@code host} was looked up */
  public long lookupCount(String host) {
    return lookups.stream().filter(host::equals).count();
  }

  /**
   * Parses an IP literal without any lookup; the result carries {@code host} as its name (may be {@code null}).
   *
   * @throws IllegalArgumentException when {@code ip} is not an IP literal
   */
  public static InetAddress literal(String host, String ip) {
    if (!isIpLiteral(ip)) {
      throw new IllegalArgumentException("not an IP literal: " + ip);
    }
    try {
      // Safe: a string of this shape is parsed as a literal by the JDK, never looked up.
      byte[] bytes = InetAddress.getByName(ip).getAddress();
      if (ip.contains(":") && bytes.length == 4) {
        // the JDK turns ::ffff:a.b.c.d into an Inet4Address; keep the IPv6 form a resolver would return
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return Inet6Address.getByAddress(host, mapped, -1);
      }
      return InetAddress.getByAddress(host, bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }

  /** @return whether {@code s} is shaped like an IPv4 dotted quad or an IPv6 literal (no zone, no brackets) */
  public static boolean isIpLiteral(String s) {
    return IPV4.matcher(s).matches() || (s.contains(":") && IPV6.matcher(s).matches());
  }

  private static String key(String host) {
    return host.toLowerCase(Locale.ROOT);
  }
}
