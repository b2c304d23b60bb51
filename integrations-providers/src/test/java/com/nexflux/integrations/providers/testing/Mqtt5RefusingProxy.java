package com.nexflux.integrations.providers.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a real broker that makes the broker look like one that only knows MQTT
 * 3.1.1: it reads each connection's first packet, answers an MQTT 5 CONNECT with a refusal in one of the forms old
 * brokers use (a {@link ScriptedMqttListener.Reply terminal reply}: a 3.1.1 CONNACK with return code 1, the same
 * code in a CONNACK shaped like MQTT 5, a malformed CONNACK, a close, a reset) and pipes every other connection,
 * CONNECT included, to the broker at {@code 127.0.0.1:upstreamPort} unchanged. It records every CONNECT it read.
 */
public final class Mqtt5RefusingProxy implements AutoCloseable {
  private final LoopbackTcpServer server;
  private final int upstreamPort;
  private final ScriptedMqttListener.Reply refusal;
  private final List<MqttWire.Connect> connects = new CopyOnWriteArrayList<>();

  private Mqtt5RefusingProxy(int upstreamPort, ScriptedMqttListener.Reply refusal) {
    this.upstreamPort = upstreamPort;
    this.refusal = refusal;
    this.server = LoopbackTcpServer.start("mqtt5-refusing-proxy", this::serve);
  }

  /**
   * Binds 127.0.0.1 on a free port and starts proxying.
   *
   * @param upstreamPort the real broker's MQTT-over-TCP port on 127.0.0.1
   * @param refusal what an MQTT 5 CONNECT gets instead of the broker
   * @throws IllegalArgumentException if {@code refusal} is not a terminal reply
   */
  public static Mqtt5RefusingProxy start(int upstreamPort, ScriptedMqttListener.Reply refusal) {
    Objects.requireNonNull(refusal, "refusal");
    if (!refusal.terminal()) {
      throw new IllegalArgumentException(refusal + " does not end the connection");
    }
    return new Mqtt5RefusingProxy(upstreamPort, refusal);
  }

  /** @return the proxy's port on 127.0.0.1 */
  public int port() {
    return server.port();
  }

  /** @return the protocol level of every CONNECT read, in order (5 refused, 4 piped) */
  public List<Integer> protocolLevels() {
    return connects.stream().map(MqttWire.Connect::protocolLevel).toList();
  }

  /** @return every CONNECT read, in order */
  public List<MqttWire.Connect> connects() {
    return List.copyOf(connects);
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      int first = in.read();
      if (first == -1) {
        client.close();
        return;
      }
      byte[] packet = MqttWire.readPacket(first, in);
      MqttWire.Connect connect = MqttWire.parseConnect(packet);
      if (connect != null) {
        connects.add(connect);
        if (connect.protocolLevel() == 5) {
          refusal.endWith(client);
          return;
        }
      }
      Socket broker = server.track(new Socket());
      broker.connect(new InetSocketAddress(LoopbackPorts.loopback(), upstreamPort), 5_000);
      broker.getOutputStream().write(packet);
      broker.getOutputStream().flush();
      Thread back = new Thread(() -> pipe(broker, client), "mqtt5-refusing-proxy-back");
      back.setDaemon(true);
      back.start();
      pipe(client, broker);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  /** Copies {@code from} to {@code to} until {@code from} ends, then half-closes {@code to}. */
  private static void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
      return;
    }
    if (from.isOutputShutdown()) { // the other direction has ended too
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    LoopbackTcpServer.closeQuietly(socket);
  }

  /** Closes the server socket and every connection. */
  @Override
  public void close() {
    server.close();
  }
}
