package com.nexflux.integrations.providers.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket server on 127.0.0.1 that answers each MQTT CONNECT as its script says for the CONNECT's protocol
 * level: one {@link Reply} for MQTT 5 (level 5), one for MQTT 3.1.1 (level 4). It records every CONNECT (level,
 * client id, whether it carried a user name and a password) and counts connections, so a test can check both the
 * client's outcome and what the server saw.
 *
 * <p>A connection whose first packet is not a CONNECT (a TLS ClientHello, an HTTP request) is counted in
 * {@link #otherCount()} and answered with the MQTT 5 reply when that is a terminal one, else closed.
 *
 * <p>After a terminal reply the server half-closes (FIN) and reads until the client closes, like a server that
 * lingers on close; only {@link Reply#RESET} resets the connection.
 */
public final class ScriptedMqttListener implements AutoCloseable {
  /** How long a connection is kept after a terminal reply, waiting for the client to close. */
  private static final int LINGER_MS = 5_000;

  /** What the server does with a CONNECT. */
  public enum Reply {
    /**
     * Like nginx on a request it cannot parse: {@code HTTP/1.1 400 Bad Request} with nginx's headers and HTML page
     * (well over 100 bytes), at once, then close.
     */
    HTTP_400(nginx400()),
    /**
     * A header-only {@code HTTP/1.1 400 Bad Request} (81 bytes), then close. Shorter than the 86 bytes an MQTT
     * decoder waits for when it reads {@code "HT"} as a fixed header (type 4, remaining length 0x54 = 84), so the
     * MQTT client only sees the connection close.
     */
    HTTP_400_SHORT(ascii("HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\nConnection: close"
        + "\r\n\r\n")),
    /** The 2-byte MQTT 3.1.1 CONNACK "unacceptable protocol version": {@code 20 02 00 01}, then close. */
    CONNACK_311_UNACCEPTABLE_VERSION(bytes(0x20, 0x02, 0x00, 0x01)),
    /**
     * The 3.1.1 return code 1 in a CONNACK shaped like MQTT 5 (flags, code, empty properties):
     * {@code 20 03 00 01 00}, then close. 0x01 is no MQTT 5 reason code.
     */
    CONNACK_5_SHAPED_CODE_1(bytes(0x20, 0x03, 0x00, 0x01, 0x00)),
    /** A CONNACK too short for any MQTT version (remaining length 1): {@code 20 01 01}, then close. */
    CONNACK_MALFORMED(bytes(0x20, 0x01, 0x01)),
    /** The MQTT 5 CONNACK "unsupported protocol version": {@code 20 03 00 84 00}, then close. */
    CONNACK_5_UNSUPPORTED_VERSION(bytes(0x20, 0x03, 0x00, 0x84, 0x00)),
    /** The MQTT 5 CONNACK "not authorized": {@code 20 03 00 87 00}, then close. */
    CONNACK_5_NOT_AUTHORIZED(bytes(0x20, 0x03, 0x00, 0x87, 0x00)),
    /** The 2-byte MQTT 3.1.1 CONNACK "not authorized": {@code 20 02 00 05}, then close. */
    CONNACK_311_NOT_AUTHORIZED(bytes(0x20, 0x02, 0x00, 0x05)),
    /** Close right after the CONNECT, with nothing sent (FIN). */
    CLOSE(new byte[0]),
    /** Reset the connection right after the CONNECT (RST, SO_LINGER 0). */
    RESET(new byte[0]),
    /** Never answer; keep the connection open until the client closes it. */
    SILENT(null),
    /**
     * Accept as an MQTT 3.1.1 broker: {@code 20 02 00 00}, then SUBACK (QoS 0 granted) to every SUBSCRIBE, PINGRESP
     * to PINGREQ, close on DISCONNECT. It never publishes anything.
     */
    ACCEPT_311(null);

    private final byte[] bytes;

    Reply(byte[] bytes) {
      this.bytes = bytes;
    }

    /** @return whether this reply ends the connection (everything but {@link #SILENT} and {@link #ACCEPT_311}) */
    public boolean terminal() {
      return bytes != null;
    }

    /**
     * Sends this terminal reply on {@code socket} and ends the connection: half-close and read until the client
     * closes (at most {@value #LINGER_MS} ms), or reset for {@link #RESET}. Closes {@code socket}.
     */
    void endWith(Socket socket) throws IOException {
      if (!terminal()) {
        throw new IllegalStateException(this + " is not a terminal reply");
      }
      try (socket) {
        if (this == RESET) {
          socket.setSoLinger(true, 0);
          return;
        }
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        socket.shutdownOutput();
        socket.setSoTimeout(LINGER_MS);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[512];
        while (in.read(buffer) != -1) {
          // drop what the client still sends until it closes
        }
      } catch (SocketTimeoutException e) {
        // the client kept its side open; give up
      }
    }
  }

  private final LoopbackTcpServer server;
  private final Reply toMqtt5;
  private final Reply toMqtt311;
  private final List<MqttWire.Connect> connects = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger others = new AtomicInteger();

  private ScriptedMqttListener(Reply toMqtt5, Reply toMqtt311) {
    this.toMqtt5 = toMqtt5;
    this.toMqtt311 = toMqtt311;
    this.server = LoopbackTcpServer.start("scripted-mqtt", this::serve);
  }

  /**
   * Binds 127.0.0.1 on a free port and starts serving.
   *
   * @param toMqtt5 the reply to a CONNECT with protocol level 5
   * @param toMqtt311 the reply to a CONNECT with protocol level 4
   */
  public static ScriptedMqttListener start(Reply toMqtt5, Reply toMqtt311) {
    Objects.requireNonNull(toMqtt5, "toMqtt5");
    Objects.requireNonNull(toMqtt311, "toMqtt311");
    return new ScriptedMqttListener(toMqtt5, toMqtt311);
  }

  /** @return the port on 127.0.0.1 */
  public int port() {
    return server.port();
  }

  /** @return every CONNECT received, in order */
  public List<MqttWire.Connect> connects() {
    return List.copyOf(connects);
  }

  /** @return the protocol level of every CONNECT received, in order (5 for MQTT 5, 4 for MQTT 3.1.1) */
  public List<Integer> protocolLevels() {
    return connects.stream().map(MqttWire.Connect::protocolLevel).toList();
  }

  /** @return how many connections were accepted */
  public int acceptedCount() {
    return accepted.get();
  }

  /** @return how many connections did not start with an MQTT CONNECT */
  public int otherCount() {
    return others.get();
  }

  private void serve(Socket socket) {
    accepted.incrementAndGet();
    try {
      InputStream in = socket.getInputStream();
      int first = in.read();
      if (first == -1) {
        socket.close();
        return;
      }
      MqttWire.Connect connect = first == MqttWire.CONNECT_HEADER
          ? MqttWire.parseConnect(MqttWire.readPacket(first, in))
          : null;
      if (connect == null) {
        others.incrementAndGet();
        if (toMqtt5.terminal()) {
          toMqtt5.endWith(socket);
        } else {
          socket.close();
        }
        return;
      }
      connects.add(connect);
      Reply reply = connect.protocolLevel() == 5 ? toMqtt5 : toMqtt311;
      if (reply.terminal()) {
        reply.endWith(socket);
      } else if (reply == Reply.SILENT) {
        try (socket) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      } else {
        try (socket) {
          OutputStream out = socket.getOutputStream();
          out.write(bytes(0x20, 0x02, 0x00, 0x00));
          out.flush();
          serveSession(in, out);
        }
      }
    } catch (IOException e) {
      // the client went away, or the listener was closed
      LoopbackTcpServer.closeQuietly(socket);
    }
  }

  /** After an accepted CONNECT: SUBACK, PINGRESP, close on DISCONNECT or end of stream. */
  private static void serveSession(InputStream in, OutputStream out) throws IOException {
    for (int first = in.read(); first != -1; first = in.read()) {
      byte[] packet = MqttWire.readPacket(first, in);
      int bodyStart = packet.length - bodyLength(packet);
      switch (first >> 4) {
        case 8 -> { // SUBSCRIBE: packet id, then (filter, options) pairs
          int filters = 0;
          for (int pos = bodyStart + 2; pos + 2 <= packet.length; filters++) {
            pos += 2 + (((packet[pos] & 0xFF) << 8) | (packet[pos + 1] & 0xFF)) + 1;
          }
          byte[] suback = new byte[4 + filters]; // every granted QoS is 0 (the array's zeros)
          suback[0] = (byte) 0x90;
          suback[1] = (byte) (2 + filters);
          suback[2] = packet[bodyStart];
          suback[3] = packet[bodyStart + 1];
          out.write(suback);
          out.flush();
        }
        case 12 -> { // PINGREQ
          out.write(bytes(0xD0, 0x00));
          out.flush();
        }
        case 14 -> { // DISCONNECT
          return;
        }
        default -> {
          // ignore anything else
        }
      }
    }
  }

  /** @return the remaining length of {@code packet} */
  private static int bodyLength(byte[] packet) {
    int length = 0;
    int multiplier = 1;
    for (int pos = 1; ; pos++) {
      length += (packet[pos] & 0x7F) * multiplier;
      if ((packet[pos] & 0x80) == 0) {
        return length;
      }
      multiplier *= 128;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** nginx's answer to a request line it cannot parse (its built-in 400 page). */
  private static byte[] nginx400() {
    String body = "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n"
        + "<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    return ascii("HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
        + "Content-Type: text/html\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
  }

  /** Closes the server socket and every connection. */
  @Override
  public void close() {
    server.close();
  }
}
