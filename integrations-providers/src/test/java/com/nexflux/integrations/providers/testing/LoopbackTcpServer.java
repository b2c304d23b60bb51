package com.nexflux.integrations.providers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The socket plumbing the raw-socket test servers share: a server socket on 127.0.0.1 with a free port, an accept
 * loop on a daemon thread, each connection handled on its own daemon thread, and every socket (accepted, or handed
 * in with {@link #track}) closed with the server.
 */
public final class LoopbackTcpServer implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private LoopbackTcpServer(ServerSocket server, String name, Consumer<Socket> handler) {
    this.server = server;
    this.acceptor = new Thread(() -> acceptLoop(name, handler), name + "-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  /**
   * Binds 127.0.0.1 on a free port and starts accepting.
   *
   * @param name the threads' name prefix
   * @param handler serves one accepted connection (on its own thread)
   */
  public static LoopbackTcpServer start(String name, Consumer<Socket> handler) {
    Objects.requireNonNull(handler, "handler");
    try {
      LoopbackTcpServer s = new LoopbackTcpServer(new ServerSocket(0, 50, LoopbackPorts.loopback()), name, handler);
      s.acceptor.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void acceptLoop(String name, Consumer<Socket> handler) {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        Thread t = new Thread(() -> handler.accept(socket), name + "-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** @return the port on 127.0.0.1 */
  public int port() {
    return server.getLocalPort();
  }

  /** @return whether {@link #close} has run */
  public boolean isClosed() {
    return server.isClosed();
  }

  /** Closes {@code socket} with the server (e.g. a proxy's upstream connection). @return the socket */
  public Socket track(Socket socket) {
    sockets.add(Objects.requireNonNull(socket, "socket"));
    return socket;
  }

  /** Closes a socket, ignoring failures. */
  public static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** Closes the server socket and every connection. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // best effort
    }
    sockets.forEach(LoopbackTcpServer::closeQuietly);
    acceptor.interrupt();
  }
}
