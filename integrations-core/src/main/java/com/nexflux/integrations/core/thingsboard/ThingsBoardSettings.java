package com.nexflux.integrations.core.thingsboard;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Validated connection settings: the server and either a login ({@code username}, {@code password}) or an API key.
 * {@link #validate} reports every failing field at once. {@link #toString()} never shows a secret.
 *
 * @param baseUrl the server without a trailing slash, query or fragment ({@code https}, or {@code http} for a host
 *     in {@code OUTBOUND_ALLOWED_NETWORKS})
 * @param username the login, or {@code null} with an API key
 * @param password the login password, or {@code null} with an API key
 * @param apiKey the API key, or {@code null} with a login
 */
public record ThingsBoardSettings(URI baseUrl, String username, Secret password, Secret apiKey) {
  /** The longest {@code base_url} accepted. */
  public static final int MAX_URL_CHARS = 2048;
  /** The longest username accepted. */
  public static final int MAX_USERNAME_CHARS = 255;
  /** The longest password or API key accepted. */
  public static final int MAX_SECRET_CHARS = 4096;

  public static final String BASE_URL = "base_url";
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String API_KEY = "api_key";

  public ThingsBoardSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if ((apiKey == null) == (username == null || password == null)) {
      throw new IllegalArgumentException("either a username and password or an API key");
    }
  }

  /** @return whether these settings use an API key (else a login) */
  public boolean usesApiKey() {
    return apiKey != null;
  }

  /**
   * Checks every field and reports every failing one.
   *
   * @param plainHttpAllowed whether an {@code http} URL may be used (its host is in {@code OUTBOUND_ALLOWED_NETWORKS})
   * @throws ValidationException naming each failing field
   */
  public static ThingsBoardSettings validate(ThingsBoardSettingsInput in, Predicate<URI> plainHttpAllowed) {
    Objects.requireNonNull(in, "in");
    List<FieldError> errors = new ArrayList<>();
    URI base = baseUrl(in.baseUrl(), errors);
    if (base != null && base.getScheme().equals("http") && !plainHttpAllowed.test(base)) {
      errors.add(new FieldError(BASE_URL,
          "must use https (http only for a host in the server's OUTBOUND_ALLOWED_NETWORKS)"));
      base = null;
    }
    boolean login = in.username() != null || in.password() != null;
    boolean key = in.apiKey() != null;
    String username = null;
    Secret password = null;
    Secret apiKey = null;
    if (login && key) {
      errors.add(new FieldError(API_KEY, "give either api_key or username and password, not both"));
    } else if (key) {
      apiKey = secret(API_KEY, in.apiKey(), errors);
    } else if (login) {
      username = username(in.username(), errors);
      password = secret(PASSWORD, in.password(), errors);
    } else {
      errors.add(new FieldError(USERNAME, "is required (or give api_key)"));
      errors.add(new FieldError(PASSWORD, "is required (or give api_key)"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new ThingsBoardSettings(base, username, password, apiKey);
  }

  private static URI baseUrl(String text, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      errors.add(new FieldError(BASE_URL, "is required"));
      return null;
    }
    String t = text.trim();
    if (t.length() > MAX_URL_CHARS) {
      errors.add(new FieldError(BASE_URL, "must be at most " + MAX_URL_CHARS + " characters"));
      return null;
    }
    URI u;
    try {
      u = new URI(t);
    } catch (URISyntaxException e) {
      errors.add(new FieldError(BASE_URL, "must be a URL such as https://thingsboard.example.com"));
      return null;
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      errors.add(new FieldError(BASE_URL, "must be an https URL"));
      return null;
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      errors.add(new FieldError(BASE_URL, "must name a host"));
      return null;
    }
    if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
      errors.add(new FieldError(BASE_URL, "must not carry user info, a query or a fragment"));
      return null;
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
    String host = u.getHost().toLowerCase(Locale.ROOT);
    return URI.create(scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
        + (u.getPort() == -1 ? "" : ":" + u.getPort()) + path);
  }

  private static String username(String text, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      errors.add(new FieldError(USERNAME, "is required with a password"));
      return null;
    }
    String t = text.trim();
    if (t.length() > MAX_USERNAME_CHARS || t.chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError(USERNAME, "must be at most " + MAX_USERNAME_CHARS + " printable characters"));
      return null;
    }
    return t;
  }

  private static Secret secret(String field, Secret value, List<FieldError> errors) {
    if (value == null || value.isEmpty() || value.reveal().isBlank()) {
      errors.add(new FieldError(field, field.equals(PASSWORD) ? "is required with a username" : "must not be blank"));
      return null;
    }
    if (value.reveal().length() > MAX_SECRET_CHARS) {
      errors.add(new FieldError(field, "must be at most " + MAX_SECRET_CHARS + " characters"));
      return null;
    }
    return field.equals(API_KEY) ? Secret.of(value.reveal().trim()) : value;
  }

  @Override
  public String toString() {
    return "ThingsBoardSettings[baseUrl=" + baseUrl + ", username=" + username + ", password="
        + (password == null ? "null" : "[redacted]") + ", apiKey=" + (apiKey == null ? "null" : "[redacted]") + "]";
  }
}
