package com.nexflux.integrations.core.oauth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a provider's tokens are obtained and renewed; {@link TokenService} and the {@link RefreshSweeper} act on it.
 *
 * <ul>
 *   <li>{@link AuthorizationCode}: the browser flow; renewed with the refresh token (a rotated one is kept; an
 *       answer without one keeps the old); {@code invalid_grant} means {@code needs_reauth}. Refreshed ahead of
 *       expiry by the sweeper. GitHub, Google, Microsoft.</li>
 *   <li>{@link ClientCredentials}: the user's own client id and secret (stored encrypted in the connection) are
 *       exchanged for a short-lived token, which is simply requested again when it is about to expire; there is no
 *       refresh token and expiry never means {@code needs_reauth}, only a refused client ({@code invalid_client},
 *       HTTP 401) does. On demand only. Arduino Cloud, Blynk's platform API.</li>
 *   <li>{@link PasswordLogin}: a login that answers an access and a refresh token ({@link PasswordLoginClient});
 *       renewed with the refresh token, and when that is refused or expired, by logging in again with the stored
 *       encrypted password; a refused login means {@code needs_reauth}. Refreshed ahead of expiry. ThingsBoard.</li>
 *   <li>{@link StaticApiKey}: a key the user pasted; nothing expires and nothing is renewed.</li>
 * </ul>
 */
public sealed interface GrantStrategy {
  /** @return the strategy's name, e.g. {@code authorization_code} */
  String key();

  /** @return whether the background sweeper renews tokens of this strategy ahead of their expiry */
  boolean refreshesAhead();

  /** @return how a disconnect revokes this provider's tokens upstream */
  Revocation revocation();

  /**
   * The authorization code grant (with refresh tokens).
   *
   * @param config the OAuth client configuration (endpoints, the deployment's client id and secret)
   * @param revocation how a disconnect revokes the grant
   */
  record AuthorizationCode(OAuthProviderConfig config, Revocation revocation) implements GrantStrategy {
    public AuthorizationCode {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(revocation, "revocation");
    }

    @Override
    public String key() {
      return "authorization_code";
    }

    @Override
    public boolean refreshesAhead() {
      return true;
    }
  }

  /**
   * The client credentials grant with the user's own client (RFC 6749 section 4.4).
   *
   * @param tokenEndpoint the token endpoint, e.g. {@code https://api2.arduino.cc/iot/v1/clients/token}
   * @param scopes the scopes to ask for (none: no {@code scope} parameter)
   * @param extraParameters further parameters of the token request (Arduino: {@code audience})
   * @param extraHeaders further headers of the token request (Arduino: {@code X-Organization}, per connection)
   * @param clientAuthentication how the client id and secret are sent
   * @param parameterPlacement where {@code grant_type}, {@code scope} and the extra parameters go: the form body
   *     (RFC 6749) or the query string (Blynk documents {@code POST /oauth2/token?grant_type=client_credentials});
   *     the query string only with {@link ClientAuthentication#HTTP_BASIC}, so a client secret is never in a URL
   * @param connectionEndpoints other token endpoints a connection may name as its own
   *     ({@link OAuthConnection#TOKEN_ENDPOINT_KEY}; Blynk: each regional server's {@code /oauth2/token}); any
   *     other stored endpoint is refused
   */
  record ClientCredentials(URI tokenEndpoint, List<String> scopes, Map<String, String> extraParameters,
      Map<String, String> extraHeaders, ClientAuthentication clientAuthentication,
      ParameterPlacement parameterPlacement, Set<URI> connectionEndpoints) implements GrantStrategy {
    /** Form parameters the grant itself sends; neither a provider nor a connection may set them. */
    public static final Set<String> RESERVED_PARAMETERS = Set.of("grant_type", "client_id", "client_secret",
        "scope");
    /** Headers the client sets itself (lower case); neither a provider nor a connection may set them. */
    public static final Set<String> RESERVED_HEADERS = Set.of("authorization", "content-type", "content-length",
        "host", "accept", "user-agent", "transfer-encoding", "connection");

    public ClientCredentials {
      Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
      scopes = List.copyOf(scopes);
      extraParameters = checked(extraParameters, RESERVED_PARAMETERS, false, "parameter");
      extraHeaders = checked(extraHeaders, RESERVED_HEADERS, true, "header");
      Objects.requireNonNull(clientAuthentication, "clientAuthentication");
      Objects.requireNonNull(parameterPlacement, "parameterPlacement");
      if (parameterPlacement == ParameterPlacement.QUERY_STRING
          && clientAuthentication != ClientAuthentication.HTTP_BASIC) {
        throw new IllegalArgumentException("parameters in the query string only with HTTP Basic (the client secret "
            + "would be in the URL)");
      }
      connectionEndpoints = Set.copyOf(connectionEndpoints);
    }

    /** A grant without extra headers, its parameters in the form body, no other endpoints. */
    public ClientCredentials(URI tokenEndpoint, List<String> scopes, Map<String, String> extraParameters,
        ClientAuthentication clientAuthentication) {
      this(tokenEndpoint, scopes, extraParameters, Map.of(), clientAuthentication, ParameterPlacement.FORM_BODY,
          Set.of());
    }

    /**
     * The grant for one connection: its own token request parameters and headers added (Arduino's
     * {@code organization_id} and {@code X-Organization}, kept in the row's {@code config}, see
     * {@link OAuthConnection#tokenParameters()}). A connection may not replace what the provider set.
     *
     * @throws IllegalArgumentException for a reserved name or one the provider already sets
     */
    public ClientCredentials forConnection(Map<String, String> parameters, Map<String, String> headers) {
      return forConnection(parameters, headers, null);
    }

    /**
     * Like {@link #forConnection(Map, Map)}, and the connection's own token endpoint
     * ({@link OAuthConnection#tokenEndpoint()}) in place of the provider's.
     *
     * @param endpoint the connection's endpoint, or {@code null} for the provider's
     * @throws IllegalArgumentException also for an endpoint that is neither {@link #tokenEndpoint()} nor one of
     *     {@link #connectionEndpoints()}
     */
    public ClientCredentials forConnection(Map<String, String> parameters, Map<String, String> headers,
        URI endpoint) {
      URI target = tokenEndpoint;
      if (endpoint != null && !endpoint.equals(tokenEndpoint)) {
        if (!connectionEndpoints.contains(endpoint)) {
          throw new IllegalArgumentException("the connection's token endpoint is not one of the provider's");
        }
        target = endpoint;
      }
      if (parameters.isEmpty() && headers.isEmpty() && target.equals(tokenEndpoint)) {
        return this;
      }
      Map<String, String> p = new LinkedHashMap<>(extraParameters);
      parameters.forEach((k, v) -> {
        if (p.putIfAbsent(k, v) != null) {
          throw new IllegalArgumentException("the token request parameter " + k + " is the provider's");
        }
      });
      Map<String, String> h = new LinkedHashMap<>(extraHeaders);
      headers.forEach((k, v) -> {
        boolean taken = h.keySet().stream().anyMatch(existing -> existing.equalsIgnoreCase(k));
        if (taken) {
          throw new IllegalArgumentException("the token request header " + k + " is the provider's");
        }
        h.put(k, v);
      });
      return new ClientCredentials(target, scopes, p, h, clientAuthentication, parameterPlacement,
          connectionEndpoints);
    }

    private static Map<String, String> checked(Map<String, String> values, Set<String> reserved,
        boolean ignoreCase, String what) {
      Map<String, String> copy = new LinkedHashMap<>();
      values.forEach((k, v) -> {
        Objects.requireNonNull(k, what);
        Objects.requireNonNull(v, what + " " + k);
        if (k.isBlank() || reserved.contains(ignoreCase ? k.toLowerCase(java.util.Locale.ROOT) : k)) {
          throw new IllegalArgumentException("the token request " + what + " " + k + " may not be set");
        }
        if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
          throw new IllegalArgumentException("the token request " + what + " " + k + " has a line break");
        }
        copy.put(k, v);
      });
      return java.util.Collections.unmodifiableMap(copy);
    }

    @Override
    public String key() {
      return "client_credentials";
    }

    @Override
    public boolean refreshesAhead() {
      return false;
    }

    @Override
    public Revocation revocation() {
      return Revocation.NONE;
    }
  }

  /**
   * A JSON login answering an access and a refresh token.
   *
   * @param defaultServer the server when the connection names none in {@code config.base_url}, or {@code null}
   */
  record PasswordLogin(URI defaultServer) implements GrantStrategy {
    @Override
    public String key() {
      return "password_login";
    }

    @Override
    public boolean refreshesAhead() {
      return true;
    }

    @Override
    public Revocation revocation() {
      return Revocation.NONE;
    }
  }

  /** A static API key stored as the access token: nothing expires. */
  record StaticApiKey() implements GrantStrategy {
    @Override
    public String key() {
      return "static_api_key";
    }

    @Override
    public boolean refreshesAhead() {
      return false;
    }

    @Override
    public Revocation revocation() {
      return Revocation.NONE;
    }
  }

  /** Where a client credentials request carries {@code grant_type}, {@code scope} and the extra parameters. */
  enum ParameterPlacement {
    /** The {@code application/x-www-form-urlencoded} body (RFC 6749; Arduino Cloud). */
    FORM_BODY,
    /** The query string of the {@code POST}, with an empty body (Blynk's documented token request). */
    QUERY_STRING
  }

  /** How a client authenticates at a token endpoint. */
  enum ClientAuthentication {
    /** {@code client_id} and {@code client_secret} as form parameters (Arduino Cloud). */
    REQUEST_BODY,
    /** HTTP Basic with the client id and secret (Blynk; RFC 6749's {@code client_secret_basic}). */
    HTTP_BASIC
  }
}
