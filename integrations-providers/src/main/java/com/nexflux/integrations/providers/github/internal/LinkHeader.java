package com.nexflux.integrations.providers.github.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code rel="next"} target of an RFC 8288 {@code Link} header as GitHub sends it, e.g.
 * {@code <https://api.github.com/user/repos?page=2>; rel="next", <https://api.github.com/user/repos?page=5>;
 * rel="last"}. Targets may contain commas (GitHub repeats query values such as {@code affiliation=a,b}), so the
 * header is split on {@code <...>} rather than on commas.
 */
public final class LinkHeader {
  private static final Pattern LINK = Pattern.compile("<([^>]*)>([^<]*)");
  private static final Pattern REL = Pattern.compile("(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;,\\s]+))");

  private LinkHeader() {}

  /**
   * @param header the {@code Link} header's value, or {@code null}
   * @return the target whose {@code rel} includes {@code next}, as written (maybe relative)
   */
  public static Optional<String> next(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher link = LINK.matcher(header);
    while (link.find()) {
      Matcher rel = REL.matcher(link.group(2));
      while (rel.find()) {
        String value = rel.group(1) != null ? rel.group(1) : rel.group(2);
        for (String r : value.trim().toLowerCase(Locale.ROOT).split("\\s+")) {
          if (r.equals("next")) {
            return Optional.of(link.group(1).trim());
          }
        }
      }
    }
    return Optional.empty();
  }
}
