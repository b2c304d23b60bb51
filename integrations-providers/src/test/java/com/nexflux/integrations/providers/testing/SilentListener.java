package com.nexflux.integrations.providers.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on 127.0.0.1 that accepts connections and never answers: for timeout tests. It reads (and drops)
 * what clients send, keeps every socket open, and counts connections the client side has closed, so a test can
 * check that a client hung up after its timeout.
 */
public final class SilentListener implements AutoCloseable {
  private final LoopbackTcpServer server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger closedByClient = new AtomicInteger();

  /** Binds 127.0.0.1 on a free port and starts accepting. */
  public SilentListener() {
    server = LoopbackTcpServer.start("silent-listener", this::drain);
  }

  private void drain(Socket socket) {
    accepted.incrementAndGet();
    byte[] buffer = new byte[1024];
    try (InputStream in = socket.getInputStream()) {
      while (in.read(buffer) != -1) {
        // drop it: never answer
      }
      closedByClient.incrementAndGet();
    } catch (IOException e) {
      if (!server.isClosed()) {
        closedByClient.incrementAndGet(); // reset by the client
      }
    }
  }

  /** @return the port on 127.0.0.1 */
  public int port() {
    return server.port();
  }

  /** @return how many connections were accepted */
  public int acceptedCount() {
    return accepted.get();
  }

  /** @return how many accepted connections the client side has closed (or reset) */
  public int closedByClientCount() {
    return closedByClient.get();
  }

  /**
   * Waits until every accepted connection (at least one) has been closed by its client.
   *
   * @return whether that happened within {@code timeout}
   */
  public boolean awaitAllClosedByClient(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (accepted.get() > 0 && closedByClient.get() >= accepted.get()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Closes the server socket and every accepted connection. */
  @Override
  public void close() {
    server.close();
  }
}
