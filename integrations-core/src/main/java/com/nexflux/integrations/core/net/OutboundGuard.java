package com.nexflux.integrations.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether this server may open a connection to a user-supplied host (SSRF protection).
 *
 * <p>The host is resolved once; every resolved address must be allowed, and the caller connects to the
 * checked address, never to a second lookup. Refused unless listed in the allow list: loopback, unspecified,
 * link-local (cloud metadata included), private and unique-local, CGNAT, multicast, broadcast, reserved,
 * documentation and benchmarking ranges, and IPv6 forms that embed a refused IPv4 address (mapped,
 * compatible, NAT64, 6to4, Teredo).
 */
public final class OutboundGuard {

  /** Networks refused by default (RFC 6890 special-purpose registries). */
  public static final List<CidrRange> DENIED = List.of(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
      "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
      "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
      "::/128", "::1/128", "fe80::/10", "fc00::/7", "ff00::/8", "2001:db8::/32", "100::/64", "64:ff9b:1::/48", "fec0::/10")
      .stream().map(CidrRange::parse).toList();

  private final HostResolver resolver;
  private final List<CidrRange> allowed;

  /**
   * @param resolver resolves host names (the system resolver in production)
   * @param allowed networks let through even though they are in {@link #DENIED}
   *     ({@code OUTBOUND_ALLOWED_NETWORKS}); empty by default
   */
  public OutboundGuard(HostResolver resolver, List<CidrRange> allowed) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.allowed = List.copyOf(allowed);
  }

  /** The outcome of {@link #check}. */
  public sealed interface Decision {
    /** The connection may go to {@link ResolvedTarget#address()}. */
    record Allowed(ResolvedTarget target) implements Decision {}

    /** The host does not resolve. */
    record Unresolvable(String host) implements Decision {}

    /**
     * The host resolves to a refused address.
     *
     * @param host the host
     * @param address the first refused address
     */
    record Denied(String host, InetAddress address) implements Decision {}
  }

  /** Resolves {@code host} once and checks every address. */
  public Decision check(String host, int port) {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return new Decision.Unresolvable(host);
    }
    if (addresses == null || addresses.length == 0) {
      return new Decision.Unresolvable(host);
    }
    for (InetAddress a : addresses) {
      if (!isAllowed(a)) {
        return new Decision.Denied(host, a);
      }
    }
    return new Decision.Allowed(new ResolvedTarget(host, addresses[0], port));
  }

  /** @return whether a connection to {@code address} is allowed */
  public boolean isAllowed(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (allowed.stream().anyMatch(r -> r.contains(bytes))) {
      return true;
    }
    if (DENIED.stream().anyMatch(r -> r.contains(bytes))) {
      return false;
    }
    Optional<byte[]> embedded = embeddedIpv4(bytes);
    if (embedded.isPresent()) {
      byte[] v4 = embedded.get();
      return allowed.stream().anyMatch(r -> r.contains(v4)) || DENIED.stream().noneMatch(r -> r.contains(v4));
    }
    return true;
  }

  /** @return the IPv4 address that an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo) */
  static Optional<byte[]> embeddedIpv4(byte[] a) {
    if (a.length != 16) {
      return Optional.empty();
    }
    boolean first10Zero = allZero(a, 0, 10);
    if (first10Zero && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) {
      return Optional.of(Arrays.copyOfRange(a, 12, 16)); // ::ffff:a.b.c.d
    }
    if (first10Zero && a[10] == 0 && a[11] == 0) {
      return Optional.of(Arrays.copyOfRange(a, 12, 16)); // ::a.b.c.d (deprecated compatible form)
    }
    if ((a[0] & 0xFF) == 0x00 && (a[1] & 0xFF) == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B
        && allZero(a, 4, 12)) {
      return Optional.of(Arrays.copyOfRange(a, 12, 16)); // 64:ff9b::a.b.c.d (NAT64)
    }
    if ((a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x02) {
      return Optional.of(Arrays.copyOfRange(a, 2, 6)); // 2002:aabb:ccdd::/48 (6to4)
    }
    if ((a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x01 && a[2] == 0 && a[3] == 0) {
      byte[] client = Arrays.copyOfRange(a, 12, 16); // Teredo: client address, bits inverted
      for (int i = 0; i < 4; i++) {
        client[i] = (byte) ~client[i];
      }
      return Optional.of(client);
    }
    return Optional.empty();
  }

  private static boolean allZero(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** @return the networks let through despite the deny list */
  public List<CidrRange> allowedNetworks() {
    return allowed;
  }

  /** Parses {@code OUTBOUND_ALLOWED_NETWORKS}: comma-separated CIDRs, blank for none. */
  public static List<CidrRange> parseNetworks(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(CidrRange::parse).toList();
  }
}
