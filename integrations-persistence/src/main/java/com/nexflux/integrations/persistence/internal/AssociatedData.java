package com.nexflux.integrations.persistence.internal;

import com.nexflux.integrations.core.domain.SecretContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The associated data that binds a ciphertext to its place: a version byte {@code 0x01}, then for each of user id
 * (canonical lower-case UUID text), provider key and field name a 4-byte big-endian length followed by that many
 * bytes of UTF-8. Length prefixes make the encoding unambiguous: no two different contexts give the same bytes.
 */
public final class AssociatedData {
  /** The first byte of the current encoding. */
  public static final byte VERSION_1 = 0x01;

  private AssociatedData() {}

  /** @return the version-1 associated data of {@code context} */
  public static byte[] of(SecretContext context) {
    return encode(context.userId().value().toString(), context.provider().key(), context.field());
  }

  /** @return version byte 1 followed by the length-prefixed UTF-8 {@code parts} */
  static byte[] encode(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(VERSION_1);
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }
}
