package com.nexflux.integrations.core.blynk;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Blynk virtual pin, {@code V0} to {@code V255}.
 *
 * @param number 0 to 255
 */
public record BlynkPin(int number) {
  private static final Pattern FORMAT = Pattern.compile("[Vv](0|[1-9][0-9]{0,2})");

  public BlynkPin {
    if (number < 0 || number > 255) {
      throw new IllegalArgumentException("a virtual pin is V0 to V255");
    }
  }

  /** @return the pin written as {@code V12} or {@code v12}, or empty when it is not one of V0-V255 */
  public static Optional<BlynkPin> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    int n = Integer.parseInt(m.group(1));
    return n <= 255 ? Optional.of(new BlynkPin(n)) : Optional.empty();
  }

  /** @return the API's spelling, {@code V12} */
  public String label() {
    return "V" + number;
  }

  /** @return the query parameter of Blynk's device API, {@code v12} */
  public String parameter() {
    return label().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return label();
  }
}
