package com.nexflux.integrations.persistence.internal;

/** Fits free text into {@code VARCHAR(n)} columns and JSONB. */
public final class Text {
  private Text() {}

  /**
   * @return {@code value} with NUL replaced by U+FFFD (PostgreSQL text cannot hold NUL) and cut to at most
   *     {@code maxChars} characters (code points, as {@code VARCHAR(n)} counts them), or {@code null}
   */
  public static String clip(String value, int maxChars) {
    if (value == null) {
      return null;
    }
    String s = value.indexOf('\0') >= 0 ? value.replace('\0', '\uFFFD') : value;
    if (s.length() <= maxChars) {
      return s;
    }
    if (s.codePointCount(0, s.length()) <= maxChars) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, maxChars));
  }

  /** @return {@code value} with NUL replaced by U+FFFD, or {@code null} */
  public static String noNul(String value) {
    return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
  }
}
