package com.nexflux.integrations.core.net;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A host name resolved once and checked: connect to {@link #address()}, never resolve {@link #host()} again.
 *
 * @param host the host name as the user gave it (for TLS SNI, certificate checks and the WebSocket Host header)
 * @param address the checked address to connect to
 * @param port the port
 */
public record ResolvedTarget(String host, InetAddress address, int port) {
  public ResolvedTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(address, "address");
  }
}
