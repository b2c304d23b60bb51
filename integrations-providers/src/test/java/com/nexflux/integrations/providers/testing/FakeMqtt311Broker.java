package com.nexflux.integrations.providers.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal MQTT 3.1.1-only "broker" on 127.0.0.1 made of raw sockets, for protocol fallback tests. It answers
 * <ul>
 *   <li>a CONNECT with protocol level 5 (MQTT 5) with the 3.1.1 CONNACK {@code 20 02 00 01} ("unacceptable
 *       protocol version") and closes the connection, as an old broker does;</li>
 *   <li>a CONNECT with protocol level 4 (MQTT 3.1.1) with {@code 20 02 00 00} (accepted);</li>
 *   <li>SUBSCRIBE with a SUBACK granting QoS 0 to every filter (it never publishes anything), PINGREQ with
 *       PINGRESP, DISCONNECT by closing.</li>
 * </ul>
 * Every CONNECT's protocol level and client identifier is recorded.
 */
public final class FakeMqtt311Broker implements AutoCloseable {
  /**
   * One CONNECT received.
   *
   * @param protocolLevel 4 for MQTT 3.1.1, 5 for MQTT 5
   * @param clientId the client identifier
   */
  public record Connect(int protocolLevel, String clientId) {}

  private final List<Connect> connects = new CopyOnWriteArrayList<>();
  private final LoopbackTcpServer server;

  private FakeMqtt311Broker() {
    this.server = LoopbackTcpServer.start("fake-mqtt311", this::serve);
  }

  /** Binds 127.0.0.1 on a free port and starts serving. */
  public static FakeMqtt311Broker start() {
    return new FakeMqtt311Broker();
  }

  /** @return the port on 127.0.0.1 */
  public int port() {
    return server.port();
  }

  /** @return every CONNECT received, in order */
  public List<Connect> connects() {
    return List.copyOf(connects);
  }

  private void serve(Socket socket) {
    try (socket; DataInputStream in = new DataInputStream(socket.getInputStream())) {
      OutputStream out = socket.getOutputStream();
      while (true) {
        int header = in.read();
        if (header == -1) {
          return;
        }
        byte[] body = new byte[readRemainingLength(in)];
        in.readFully(body);
        switch (header >> 4) {
          case 1 -> { // CONNECT
            Connect connect = parseConnect(body);
            connects.add(connect);
            if (connect.protocolLevel() != 4) {
              out.write(new byte[] {0x20, 0x02, 0x00, 0x01});
              out.flush();
              return;
            }
            out.write(new byte[] {0x20, 0x02, 0x00, 0x00});
            out.flush();
          }
          case 8 -> { // SUBSCRIBE: packet id, then (filter, options) pairs
            int filters = countFilters(body);
            byte[] suback = new byte[4 + filters];
            suback[0] = (byte) 0x90;
            suback[1] = (byte) (2 + filters);
            suback[2] = body[0];
            suback[3] = body[1];
            out.write(suback); // every granted QoS is 0 (the array's zeros)
            out.flush();
          }
          case 12 -> { // PINGREQ
            out.write(new byte[] {(byte) 0xD0, 0x00});
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
    } catch (EOFException e) {
      // client went away
    } catch (IOException e) {
      // client went away or we were closed
    }
  }

  private static int readRemainingLength(DataInputStream in) throws IOException {
    int value = 0;
    int multiplier = 1;
    for (int i = 0; i < 4; i++) {
      int b = in.readUnsignedByte();
      value += (b & 0x7F) * multiplier;
      if ((b & 0x80) == 0) {
        return value;
      }
      multiplier *= 128;
    }
    throw new IOException("malformed remaining length");
  }

  /** CONNECT variable header: protocol name, level, flags, keep alive, [v5 properties]; payload: client id. */
  private static Connect parseConnect(byte[] body) {
    int pos = 0;
    int nameLength = ((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF);
    pos += 2 + nameLength;
    int level = body[pos] & 0xFF;
    pos += 1 + 1 + 2; // level, flags, keep alive
    if (level == 5) {
      int[] lengthAndSize = variableByteInteger(body, pos);
      pos += lengthAndSize[1] + lengthAndSize[0];
    }
    int idLength = ((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF);
    String clientId = new String(body, pos + 2, idLength, StandardCharsets.UTF_8);
    return new Connect(level, clientId);
  }

  /** @return {value, bytes used} */
  private static int[] variableByteInteger(byte[] body, int pos) {
    int value = 0;
    int multiplier = 1;
    int used = 0;
    int b;
    do {
      b = body[pos + used] & 0xFF;
      value += (b & 0x7F) * multiplier;
      multiplier *= 128;
      used++;
    } while ((b & 0x80) != 0 && used < 4);
    return new int[] {value, used};
  }

  private static int countFilters(byte[] body) {
    int pos = 2; // packet id
    int count = 0;
    while (pos + 2 <= body.length) {
      int length = ((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF);
      pos += 2 + length + 1; // filter and its options byte
      count++;
    }
    return count;
  }

  /** Closes the server socket and every connection. */
  @Override
  public void close() {
    server.close();
  }
}
