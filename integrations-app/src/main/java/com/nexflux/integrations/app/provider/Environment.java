package com.nexflux.integrations.app.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The deployment's environment variables as the standalone server reads them: each provider module reads its own
 * variables through one of these ({@code GitHubModule.fromEnvironment}), and the shared settings are read the same
 * way, so every malformed variable of every provider is reported together, one message naming each. A message never
 * repeats a value (it may be a secret).
 */
public final class Environment {
  private final Map<String, String> vars;
  private final List<String> problems = new ArrayList<>();

  public Environment(Map<String, String> vars) {
    this.vars = Map.copyOf(Objects.requireNonNull(vars, "vars").entrySet().stream()
        .filter(e -> e.getKey() != null && e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  /** @return the variable, or {@code null} when unset or blank */
  public String text(String name) {
    String v = vars.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** @return the variable, or {@code dflt} when unset or blank */
  public String text(String name, String dflt) {
    String v = text(name);
    return v == null ? dflt : v;
  }

  /** @return the variable as an http or https URL with a host (trimmed), or {@code dflt}; else a problem */
  public String url(String name, String dflt) {
    String v = text(name);
    if (v == null) {
      return dflt;
    }
    try {
      URI u = new URI(v.trim());
      if (u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https"))
          && u.getHost() != null) {
        return v.trim();
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problem(name + " must be an http or https URL");
    return dflt;
  }

  /** @return the variable as a whole number in {@code [min, max]}, or {@code dflt}; else a problem */
  public int integer(String name, int dflt, int min, int max) {
    String v = text(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
      problem(name + " must be between " + min + " and " + max);
    } catch (NumberFormatException e) {
      problem(name + " must be a whole number");
    }
    return dflt;
  }

  /** @return the variable as {@code true}/{@code false} (any case), or {@code dflt}; else a problem */
  public boolean bool(String name, boolean dflt) {
    String v = text(name);
    if (v == null) {
      return dflt;
    }
    if (v.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (v.trim().equalsIgnoreCase("false")) {
      return false;
    }
    problem(name + " must be true or false");
    return dflt;
  }

  /** @return the comma-separated items of the variable, trimmed, empty ones dropped */
  public List<String> list(String name) {
    String v = text(name);
    if (v == null) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Records a problem: one line naming the variable, never its value. */
  public void problem(String message) {
    problems.add(Objects.requireNonNull(message, "message"));
  }

  /** @return every problem recorded so far, in order */
  public List<String> problems() {
    return List.copyOf(problems);
  }
}
