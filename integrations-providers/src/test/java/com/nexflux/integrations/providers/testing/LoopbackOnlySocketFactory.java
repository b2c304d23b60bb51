package com.nexflux.integrations.providers.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * A safety net for tests of outbound guards: sockets that refuse, before any packet leaves, to connect anywhere but
 * loopback. A test whose guard were broken would fail here instead of sending traffic to the address a fake
 * resolver answered. Every refused address is recorded, so a test can also check none was tried.
 */
public final class LoopbackOnlySocketFactory extends SocketFactory {
  private final List<InetAddress> refused = new CopyOnWriteArrayList<>();

  /** @return every non-loopback address a socket was asked to connect to */
  public List<InetAddress> refused() {
    return List.copyOf(refused);
  }

  @Override
  public Socket createSocket() {
    return new Socket() {
      @Override
      public void connect(SocketAddress endpoint, int timeout) throws IOException {
        check(endpoint);
        super.connect(endpoint, timeout);
      }
    };
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(address, port));
  }

  private Socket connected(InetSocketAddress endpoint) throws IOException {
    Socket socket = createSocket();
    socket.connect(endpoint);
    return socket;
  }

  private void check(SocketAddress endpoint) throws SocketException {
    InetAddress address = endpoint instanceof InetSocketAddress i ? i.getAddress() : null;
    if (address == null || !address.isLoopbackAddress()) {
      if (address != null) {
        refused.add(address);
      }
      throw new SocketException("test safety net: refusing to connect to a non-loopback address " + endpoint);
    }
  }
}
