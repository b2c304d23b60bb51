package com.nexflux.integrations.providers.http;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * Hides secrets that travel in URLs before a URL or a message reaches a log line or an exception: the values of
 * sensitive query parameters (Blynk's {@code token}, Google's {@code key}, an OAuth {@code client_secret} …) become
 * {@value #MASK}, and user info ({@code user:password@}) and fragments are dropped. Parameter names are compared
 * without regard to case. Secrets in a URL's path are not recognised: providers that put one there need their own
 * care. Immutable and thread-safe.
 */
public final class Redactor {
  /** What a redacted value is replaced with. */
  public static final String MASK = "REDACTED";

  /** The query parameters redacted by {@link #DEFAULT}. */
  public static final Set<String> DEFAULT_PARAMETERS = Set.of(
      "token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "key", "client_secret",
      "secret", "password", "passwd", "code", "code_verifier", "auth", "authorization", "signature", "sig");

  /** Redacts {@link #DEFAULT_PARAMETERS}. */
  public static final Redactor DEFAULT = new Redactor(DEFAULT_PARAMETERS);

  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^\\s/?#@]*@");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-\\[\\]]{1,64}");

  private final Set<String> parameters;
  private final Pattern inText;

  private Redactor(Set<String> parameters) {
    this.parameters = Set.copyOf(parameters.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList());
    String names = this.parameters.stream().sorted().map(Pattern::quote).collect(Collectors.joining("|"));
    // a name counts only at the start of a query or parameter (not "mytoken="), its value runs to the next delimiter
    this.inText = Pattern.compile("(?i)(^|[?&;\\s])(" + names + ")=[^&#;\\s\"'<>]*");
  }

  /**
   * @param names more query parameters to redact, e.g. a provider's own {@code devicekey}
   * @return a redactor for this one's parameters and {@code names}
   * @throws IllegalArgumentException when a name is empty or has characters a parameter name should not have
   */
  public Redactor withParameters(String... names) {
    Set<String> all = new LinkedHashSet<>(parameters);
    for (String name : names) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a query parameter name: " + name);
      }
      all.add(name);
    }
    return new Redactor(all);
  }

  /** @return the (lower-case) names of the redacted query parameters */
  public Set<String> parameters() {
    return parameters;
  }

  /** @return whether {@code name} is a redacted query parameter */
  public boolean isSensitive(String name) {
    return name != null && parameters.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * @return {@code url} for a log line or a message: no user info, no fragment, sensitive query values replaced by
   *     {@value #MASK} (other parameters, the host and the path stay)
   */
  public String url(HttpUrl url) {
    Objects.requireNonNull(url, "url");
    HttpUrl.Builder out = url.newBuilder().username("").password("").fragment(null);
    if (url.querySize() > 0) {
      out.query(null);
      for (int i = 0; i < url.querySize(); i++) {
        String name = url.queryParameterName(i);
        String value = url.queryParameterValue(i);
        out.addQueryParameter(name, value != null && isSensitive(name) ? MASK : value);
      }
    }
    return out.build().toString();
  }

  /**
   * @param text free text, e.g. an exception message that may quote a URL, or {@code null}
   * @return the text with the user info of any URL dropped and every sensitive {@code name=value} pair's value
   *     replaced by {@value #MASK}; {@code null} for {@code null}
   */
  public String text(String text) {
    if (text == null) {
      return null;
    }
    String withoutUserInfo = USER_INFO.matcher(text).replaceAll("$1");
    Matcher m = inText.matcher(withoutUserInfo);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + "=" + MASK));
  }

  @Override
  public String toString() {
    return "Redactor" + Arrays.toString(parameters.stream().sorted().toArray());
  }
}
