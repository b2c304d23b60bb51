package com.nexflux.integrations.providers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Ports on 127.0.0.1 for tests. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** @return the loopback address 127.0.0.1 */
  public static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }

  /**
   * A port that was free a moment ago: bound on 127.0.0.1 with port 0, then released. Another process could take
   * it in between; good enough for tests that start a server on it right away.
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A port nothing listens on: a socket is bound there and closed again, so a connection is refused.
   */
  public static int closedPort() {
    return freePort();
  }

  /** @return whether a TCP connection to 127.0.0.1:{@code port} opens within {@code timeout} */
  public static boolean accepts(int port, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(loopback(), port), (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits until 127.0.0.1:{@code port} accepts connections.
   *
   * @param alive checked between tries; waiting stops early when it turns false (the server died)
   * @return whether the port accepted before {@code timeout}
   */
  public static boolean awaitAccepting(int port, Duration timeout, java.util.function.BooleanSupplier alive) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (accepts(port, Duration.ofMillis(200))) {
        return true;
      }
      if (!alive.getAsBoolean()) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
