package com.nexflux.integrations.providers.http.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Fixed provider hosts: exact names or IP literals ({@code api.github.com}, {@code 127.0.0.1}, {@code ::1}) and
 * subdomain patterns ({@code *.blynk.cloud} matches {@code fra1.blynk.cloud}, not {@code blynk.cloud} itself, which
 * is listed on its own when wanted). Entries are put in OkHttp's canonical host form (lower case, IDN as punycode,
 * IPv6 compressed), the form of {@link HttpUrl#host()}, so comparisons are exact.
 */
public final class HostAllowList {
  private final Set<String> exact;
  private final List<String> suffixes; // ".blynk.cloud"

  private HostAllowList(Set<String> exact, List<String> suffixes) {
    this.exact = Set.copyOf(exact);
    this.suffixes = List.copyOf(suffixes);
  }

  /**
   * @param entries host names, IP literals and {@code *.domain} patterns (at least one)
   * @throws IllegalArgumentException when an entry is not a host, or a pattern's domain has no dot ({@code *.com})
   */
  public static HostAllowList of(Collection<String> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("give at least one allowed host");
    }
    Set<String> exact = new LinkedHashSet<>();
    Set<String> suffixes = new LinkedHashSet<>();
    for (String entry : entries) {
      String e = entry == null ? "" : entry.trim();
      if (e.startsWith("*.")) {
        String domain = canonical(e.substring(2), entry);
        if (!domain.contains(".") || IpLiterals.isLiteral(domain)) {
          throw new IllegalArgumentException("a host pattern needs a domain with a dot, e.g. *.blynk.cloud: " + entry);
        }
        suffixes.add("." + domain);
      } else {
        exact.add(canonical(e, entry));
      }
    }
    return new HostAllowList(exact, List.copyOf(suffixes));
  }

  private static String canonical(String host, String entry) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty() || h.contains("*") || h.contains("/") || h.contains("@")) {
      throw new IllegalArgumentException("not a host: " + entry);
    }
    HttpUrl url = HttpUrl.parse("http://" + (h.contains(":") ? "[" + h + "]" : h) + "/");
    if (url == null) {
      throw new IllegalArgumentException("not a host: " + entry);
    }
    return url.host();
  }

  /** @param host a host in {@link HttpUrl#host()} form @return whether it is allowed */
  public boolean matches(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (exact.contains(h)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (h.length() > suffix.length() && h.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    List<String> all = new java.util.ArrayList<>(exact);
    suffixes.forEach(s -> all.add("*" + s));
    return all.toString();
  }
}
