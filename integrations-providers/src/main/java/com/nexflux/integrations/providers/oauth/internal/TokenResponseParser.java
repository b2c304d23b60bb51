package com.nexflux.integrations.providers.oauth.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.scribejava.core.extractors.TokenExtractor;
import com.github.scribejava.core.model.OAuth2AccessToken;
import com.github.scribejava.core.model.Response;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nexflux.integrations.providers.internal.RetryAfter;
import com.nexflux.integrations.providers.internal.SafeText;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a token endpoint's answer strictly, GitHub's quirks included, and turns every failure into one of the
 * core's exceptions (ScribeJava's own JSON extractor only looks for {@code error} on non-200 answers, and GitHub
 * reports errors with HTTP 200):
 * <ol>
 *   <li>HTTP 429: {@link RateLimitedException} ({@code Retry-After}, else 60 s); HTTP 5xx:
 *       {@link UnavailableException}; HTTP 3xx: {@link OAuthProtocolException} (redirects are not followed);</li>
 *   <li>a body that is not a JSON object: {@link OAuthProtocolException};</li>
 *   <li>an {@code error} member, whatever the status: {@code invalid_grant}, {@code bad_verification_code},
 *       {@code bad_refresh_token} → {@link OAuthGrantException}; {@code temporarily_unavailable},
 *       {@code server_error} → {@link UnavailableException}; anything else ({@code invalid_client},
 *       {@code incorrect_client_credentials}, {@code unauthorized_client}, {@code redirect_uri_mismatch}, ...) →
 *       {@link OAuthProtocolException};</li>
 *   <li>any other non-2xx status, a missing {@code access_token}, a {@code token_type} other than {@code bearer}
 *       (any case), or non-numeric lifetimes: {@link OAuthProtocolException}.</li>
 * </ol>
 * Messages carry the status, the provider's error code and fixed text: never a body, a token or a secret.
 *
 * <p>{@link #forUserClient} reads answers to a client credentials request made with the <em>user's</em> own client:
 * there {@code invalid_client}, {@code unauthorized_client} and an HTTP 401 without an error code are the user's
 * credentials being refused, {@link CredentialsRejectedException}.
 */
public final class TokenResponseParser implements TokenExtractor<OAuth2AccessToken> {
  /** The wait for a 429 without {@code Retry-After}. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> GRANT_ERRORS = Set.of("invalid_grant", "bad_verification_code",
      "bad_refresh_token");
  private static final Set<String> UNAVAILABLE_ERRORS = Set.of("temporarily_unavailable", "server_error");

  private static final Set<String> USER_CLIENT_ERRORS = Set.of("invalid_client", "unauthorized_client");

  private final Clock clock;
  private final boolean userClient;

  /** @param clock for {@code Retry-After} dates */
  public TokenResponseParser(Clock clock) {
    this(clock, false);
  }

  private TokenResponseParser(Clock clock, boolean userClient) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.userClient = userClient;
  }

  /** @return a parser for client credentials answers to the user's own client */
  public static TokenResponseParser forUserClient(Clock clock) {
    return new TokenResponseParser(clock, true);
  }

  @Override
  public ParsedToken extract(Response response) throws IOException {
    int status = response.getCode();
    if (status == 429) {
      throw new RateLimitedException("The token endpoint is rate limiting (HTTP 429)",
          RetryAfter.parse(response.getHeader("Retry-After"), clock).orElse(DEFAULT_RETRY_AFTER));
    }
    if (status >= 500) {
      throw new UnavailableException("The token endpoint failed (HTTP " + status + ")", null);
    }
    if (status >= 300 && status < 400) {
      throw new OAuthProtocolException("The token endpoint answered with a redirect (HTTP " + status
          + "), which is not followed; check the configured token endpoint");
    }
    JsonNode json;
    try {
      json = parse(response.getBody(), status);
    } catch (OAuthProtocolException e) {
      if (userClient && status == 401) {
        throw new CredentialsRejectedException("http_401"); // a 401 without a JSON body
      }
      throw e;
    }
    JsonNode error = json.get("error");
    if (error != null && !error.isNull()) {
      String code = SafeText.code(error.isTextual() ? error.asText() : null);
      if (GRANT_ERRORS.contains(code)) {
        throw new OAuthGrantException(code);
      }
      if (userClient && USER_CLIENT_ERRORS.contains(code)) {
        throw new CredentialsRejectedException(code);
      }
      if (UNAVAILABLE_ERRORS.contains(code)) {
        throw new UnavailableException("The token endpoint is unavailable (" + code + ")", null);
      }
      throw new OAuthProtocolException("The token endpoint refused the request (" + code + ", HTTP " + status
          + "); check the OAuth app's client id, secret and callback URL");
    }
    if (userClient && status == 401) {
      throw new CredentialsRejectedException("http_401");
    }
    if (status < 200 || status >= 300) {
      throw new OAuthProtocolException("The token endpoint answered HTTP " + status + " without an error code");
    }
    String accessToken = text(json, "access_token");
    if (accessToken == null || accessToken.isBlank()) {
      throw new OAuthProtocolException("The token response has no access_token");
    }
    String tokenType = text(json, "token_type");
    if (tokenType == null || !"bearer".equals(tokenType.toLowerCase(Locale.ROOT))) {
      throw new OAuthProtocolException("The token response's token_type is not bearer ("
          + (tokenType == null ? "missing" : SafeText.code(tokenType)) + ")");
    }
    String refreshToken = text(json, "refresh_token");
    String idToken = text(json, "id_token");
    return new ParsedToken(accessToken, tokenType, seconds(json, "expires_in"),
        refreshToken == null || refreshToken.isBlank() ? null : refreshToken,
        seconds(json, "refresh_token_expires_in"), text(json, "scope"),
        idToken == null || idToken.isBlank() ? null : idToken);
  }

  private static JsonNode parse(String body, int status) {
    try {
      JsonNode json = body == null ? null : JSON.readTree(body);
      if (json != null && json.isObject()) {
        return json;
      }
    } catch (JsonProcessingException e) {
      // fall through; the parser's message may quote the body, so it is dropped
    }
    throw new OAuthProtocolException("The token endpoint's answer (HTTP " + status + ") is not a JSON object");
  }

  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : null;
  }

  private static Long seconds(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
      return null;
    }
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.asLong();
    } else if (node.isTextual() && node.asText().trim().matches("[0-9]{1,12}")) {
      value = Long.parseLong(node.asText().trim());
    } else {
      throw new OAuthProtocolException("The token response's " + field + " is not a number of seconds");
    }
    if (value < 0) {
      throw new OAuthProtocolException("The token response's " + field + " is negative");
    }
    return value;
  }
}
