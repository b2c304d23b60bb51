package com.nexflux.integrations.providers.github.internal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the values that go into GitHub URL paths, so that none can change the path's meaning (no {@code ..}, no
 * empty segment, no control characters). Failures are {@link IllegalArgumentException}s that quote the value (these
 * are names, never secrets).
 */
public final class GitHubNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
  private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
  private static final Pattern REF_SEGMENT = Pattern.compile("[^\\x00-\\x20\\x7f~^:?*\\[\\\\]{1,255}");

  private GitHubNames() {}

  /** @return {@code value} when it is a valid owner or repository name */
  public static String name(String value, String what) {
    if (value == null || !NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("not a valid GitHub " + what + " name: " + quote(value));
    }
    return value;
  }

  /** @return {@code value} when it is a 40 (SHA-1) or 64 (SHA-256) hex digit object id */
  public static String sha(String value, String what) {
    if (value == null || !SHA.matcher(value).matches()) {
      throw new IllegalArgumentException("not a valid git object id for " + what + ": " + quote(value));
    }
    return value;
  }

  /**
   * @return the branch's {@code /}-separated segments when it is a valid branch name (git's check-ref-format
   *     rules that matter for a URL: no empty, {@code .}-leading or {@code .lock}-ending segment, no {@code ..},
   *     no {@code @{}, no control characters, spaces or {@code ~^:?*[\})
   */
  public static List<String> branch(String value) {
    if (value == null || value.isEmpty() || value.length() > 1024 || value.contains("..") || value.contains("@{")
        || value.endsWith(".") || value.equals("@")) {
      throw new IllegalArgumentException("not a valid branch name: " + quote(value));
    }
    List<String> segments = List.of(value.split("/", -1));
    for (String segment : segments) {
      if (!REF_SEGMENT.matcher(segment).matches() || segment.startsWith(".") || segment.endsWith(".lock")) {
        throw new IllegalArgumentException("not a valid branch name: " + quote(value));
      }
    }
    return segments;
  }

  private static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
