package com.nexflux.integrations.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.0.0/8} or {@code fc00::/7}.
 *
 * @param network the network's address bytes (4 or 16)
 * @param prefixLength the number of leading bits that must match
 */
public record CidrRange(byte[] network, int prefixLength) {
  public CidrRange {
    Objects.requireNonNull(network, "network");
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("network must have 4 or 16 bytes");
    }
    if (prefixLength < 0 || prefixLength > network.length * 8) {
      throw new IllegalArgumentException("prefix length out of range");
    }
    network = network.clone();
  }

  /**
   * Parses {@code address/prefix} (or a bare address, meaning a single host). Only IP literals are accepted,
   * never host names.
   *
   * @throws IllegalArgumentException when the text is not a CIDR range
   */
  public static CidrRange parse(String text) {
    String t = Objects.requireNonNull(text, "text").trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    if (!looksLikeIpLiteral(addr)) {
      throw new IllegalArgumentException("not an IP network: " + t);
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP network: " + t, e);
    }
    int prefix;
    try {
      prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IP network: " + t, e);
    }
    return new CidrRange(bytes, prefix);
  }

  // Strict shapes: anything else would make InetAddress.getByName fall back to a name lookup (e.g. 256.1.1.1).
  private static final java.util.regex.Pattern IPV4 =
      java.util.regex.Pattern.compile("(25[0-5]|2[0-4]\\d|[01]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[01]?\\d?\\d)){3}");
  private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private static boolean looksLikeIpLiteral(String s) {
    return IPV4.matcher(s).matches() || (s.contains(":") && IPV6.matcher(s).matches());
  }

  /** @return a copy of the network's address bytes (the shared deny list must not be changeable through it) */
  @Override
  public byte[] network() {
    return network.clone();
  }

  /** @return whether {@code address} lies in this network (IPv4 ranges never match IPv6 addresses) */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }

  /** @return whether {@code address} lies in this network */
  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrRange c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
