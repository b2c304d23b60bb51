package com.nexflux.integrations.providers.internal;

import java.util.regex.Pattern;

/**
 * Makes text that came from a provider fit for an exception message: one line, printable, short. Used only for
 * values that are documented to be descriptive (an OAuth {@code error} code, GitHub's {@code message}); secrets are
 * never passed here.
 */
public final class SafeText {
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private SafeText() {}

  /**
   * @param code an error code such as {@code invalid_grant}
   * @return the code when it looks like one ({@code [A-Za-z0-9_.:-]}, at most 64 characters), else {@code "unknown"}
   */
  public static String code(String code) {
    return code != null && CODE.matcher(code).matches() ? code : "unknown";
  }

  /**
   * @param text free text, or {@code null}
   * @param max the longest result (an ellipsis marks a cut)
   * @return the text with control characters replaced by spaces, whitespace collapsed, cut to {@code max}
   *     characters; {@code ""} for {@code null}
   */
  public static String line(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
    boolean space = false;
    for (int i = 0; i < text.length() && out.length() <= max; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.append(c);
    }
    return out.length() > max ? out.substring(0, max) + "…" : out.toString();
  }
}
