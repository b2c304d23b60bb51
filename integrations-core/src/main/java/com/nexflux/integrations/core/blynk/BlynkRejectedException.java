package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.error.IntegrationsException;
import java.util.Objects;

/**
 * Blynk answered HTTP 400 to a device call: a refused device token, a pin in the wrong format, a pin without a
 * datastream, a value of the wrong type. The use cases turn it into a 400 naming the field (or a re-authorization).
 * The message is Blynk's own, which never repeats the token.
 */
public final class BlynkRejectedException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  /** What Blynk refused. */
  public enum Reason {
    /** {@code Invalid token.} */
    INVALID_TOKEN,
    /** {@code Wrong pin format.} */
    WRONG_PIN_FORMAT,
    /** {@code No datastream setup for that pin.} */
    NO_DATASTREAM,
    /** {@code Value doesn't match the Datastream data type.} and other 400s */
    OTHER
  }

  private final Reason reason;
  private final String blynkMessage;

  /**
   * @param reason what Blynk refused
   * @param blynkMessage Blynk's message (one line, clipped), e.g. {@code Wrong pin format.}
   */
  public BlynkRejectedException(Reason reason, String blynkMessage) {
    super("VALIDATION_FAILED", "Blynk refused the request: " + blynkMessage);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.blynkMessage = Objects.requireNonNull(blynkMessage, "blynkMessage");
  }

  /** @return what Blynk refused */
  public Reason reason() {
    return reason;
  }

  /** @return Blynk's message */
  public String blynkMessage() {
    return blynkMessage;
  }

  /** @return the reason Blynk's known message stands for */
  public static Reason reasonOf(String message) {
    if (message == null) {
      return Reason.OTHER;
    }
    String m = message.trim();
    if (m.equals("Invalid token.")) {
      return Reason.INVALID_TOKEN;
    }
    if (m.equals("Wrong pin format.")) {
      return Reason.WRONG_PIN_FORMAT;
    }
    if (m.equals("No datastream setup for that pin.")) {
      return Reason.NO_DATASTREAM;
    }
    return Reason.OTHER;
  }
}
