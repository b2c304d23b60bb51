package com.nexflux.integrations.persistence.internal;

import com.nexflux.integrations.core.error.ValidationException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque page cursor of the audit log: base64url (no padding) of a version byte {@code 0x01}, the
 * {@code created_at} of the page's last entry in epoch microseconds (8 bytes, big-endian) and its id (16 bytes).
 *
 * @param at the last entry's time
 * @param id the last entry's id
 */
public record AuditCursor(Instant at, UUID id) {
  private static final byte VERSION = 1;
  private static final int LENGTH = 1 + 8 + 16;
  /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z: the range a cursor can name. */
  private static final long MIN_MICROS = -62_135_596_800_000_000L;
  private static final long MAX_MICROS = 253_402_300_799_999_999L;

  /** @return the cursor text */
  public String encode() {
    ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
    buffer.put(VERSION);
    buffer.putLong(Timestamps.toEpochMicros(at));
    buffer.putLong(id.getMostSignificantBits());
    buffer.putLong(id.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }

  /**
   * Decodes a cursor issued by {@link #encode()}.
   *
   * @throws ValidationException (field {@code cursor}) for anything else
   */
  public static AuditCursor decode(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (bytes.length != LENGTH || bytes[0] != VERSION) {
      throw invalid();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, LENGTH - 1);
    long micros = buffer.getLong();
    if (micros < MIN_MICROS || micros > MAX_MICROS) {
      throw invalid();
    }
    return new AuditCursor(Timestamps.fromEpochMicros(micros), new UUID(buffer.getLong(), buffer.getLong()));
  }

  private static ValidationException invalid() {
    return ValidationException.of("cursor", "is not a valid cursor");
  }
}
