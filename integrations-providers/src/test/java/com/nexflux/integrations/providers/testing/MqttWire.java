package com.nexflux.integrations.providers.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading MQTT packets off a raw socket, for the raw-socket fixtures; {@link Connect} is what they record. */
public final class MqttWire {
  /** The first byte of every CONNECT (packet type 1, flags 0). */
  static final int CONNECT_HEADER = 0x10;
  /** Bodies bigger than this are not read (no client sends such a CONNECT). */
  private static final int MAX_BODY = 64 * 1024;

  private MqttWire() {}

  /**
   * Reads the rest of a packet whose first byte has been read.
   *
   * @return the whole packet: first byte, remaining length, body
   * @throws EOFException if the stream ends inside the packet
   * @throws IOException if the remaining length is malformed or too big
   */
  static byte[] readPacket(int firstByte, InputStream in) throws IOException {
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(firstByte);
    int length = 0;
    int multiplier = 1;
    for (int i = 0; ; i++) {
      int b = in.read();
      if (b == -1) {
        throw new EOFException("stream ended inside the fixed header");
      }
      packet.write(b);
      length += (b & 0x7F) * multiplier;
      if ((b & 0x80) == 0) {
        break;
      }
      if (i == 3) {
        throw new IOException("malformed remaining length");
      }
      multiplier *= 128;
    }
    if (length > MAX_BODY) {
      throw new IOException("packet too big: " + length);
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("stream ended inside the packet");
    }
    packet.write(body);
    return packet.toByteArray();
  }

  /** @return where the body of {@code packet} starts (after the first byte and the remaining length) */
  private static int bodyOffset(byte[] packet) {
    int pos = 1;
    while ((packet[pos] & 0x80) != 0) {
      pos++;
    }
    return pos + 1;
  }

  /**
   * Parses a CONNECT packet.
   *
   * @param packet a whole packet as {@link #readPacket} returns it
   * @return the CONNECT, or {@code null} when {@code packet} is not a well-formed MQTT 3.1.1 or 5 CONNECT
   */
  static Connect parseConnect(byte[] packet) {
    if ((packet[0] & 0xFF) != CONNECT_HEADER) {
      return null;
    }
    try {
      int pos = bodyOffset(packet);
      int nameLength = u16(packet, pos);
      String name = new String(packet, pos + 2, nameLength, StandardCharsets.UTF_8);
      pos += 2 + nameLength;
      int level = packet[pos] & 0xFF;
      int flags = packet[pos + 1] & 0xFF;
      pos += 1 + 1 + 2; // level, flags, keep alive
      if (!name.equals("MQTT") || (level != 4 && level != 5)) {
        return null;
      }
      if (level == 5) { // properties: a variable byte integer length, then the properties
        int propertiesLength = 0;
        int multiplier = 1;
        int b;
        do {
          b = packet[pos++] & 0xFF;
          propertiesLength += (b & 0x7F) * multiplier;
          multiplier *= 128;
        } while ((b & 0x80) != 0);
        pos += propertiesLength;
      }
      int idLength = u16(packet, pos);
      String clientId = new String(packet, pos + 2, idLength, StandardCharsets.UTF_8);
      return new Connect(level, clientId, (flags & 0x80) != 0, (flags & 0x40) != 0);
    } catch (IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static int u16(byte[] bytes, int pos) {
    return ((bytes[pos] & 0xFF) << 8) | (bytes[pos + 1] & 0xFF);
  }

  /**
   * One CONNECT as a fixture received it.
   *
   * @param protocolLevel 5 for MQTT 5, 4 for MQTT 3.1.1
   * @param clientId the client identifier
   * @param userName whether the CONNECT carried a user name
   * @param password whether the CONNECT carried a password
   */
  public record Connect(int protocolLevel, String clientId, boolean userName, boolean password) {}
}
