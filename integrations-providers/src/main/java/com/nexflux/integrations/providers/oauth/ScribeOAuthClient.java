package com.nexflux.integrations.providers.oauth;

import com.github.scribejava.core.builder.ServiceBuilder;
import com.github.scribejava.core.exceptions.OAuthException;
import com.github.scribejava.core.model.OAuth2AccessToken;
import com.github.scribejava.core.oauth.AccessTokenRequestParams;
import com.github.scribejava.core.oauth.OAuth20Service;
import com.github.scribejava.core.pkce.PKCE;
import com.github.scribejava.core.pkce.PKCECodeChallengeMethod;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.UnavailableException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.scribejava.core.oauth2.clientauthentication.ClientAuthentication;
import com.github.scribejava.core.oauth2.clientauthentication.HttpBasicAuthenticationScheme;
import com.github.scribejava.core.oauth2.clientauthentication.RequestBodyAuthenticationScheme;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nexflux.integrations.core.oauth.Revocation;
import com.nexflux.integrations.providers.internal.RetryAfter;
import java.nio.charset.StandardCharsets;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.oauth.OAuthClient;
import com.nexflux.integrations.providers.internal.BoundedBodies;
import com.nexflux.integrations.providers.oauth.internal.ConfiguredApi20;
import com.nexflux.integrations.providers.oauth.internal.OkHttpScribeTransport;
import com.nexflux.integrations.providers.oauth.internal.ParsedToken;
import com.nexflux.integrations.providers.oauth.internal.TokenResponseParser;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import okhttp3.OkHttpClient;

/**
 * The core's {@link OAuthClient} on ScribeJava 8.3 (authorization URL, PKCE parameters, token request assembly)
 * with OkHttp as ScribeJava's HTTP client and a strict token response parser of our own.
 *
 * <p>For each call a ScribeJava {@code OAuth20Service} is built from the {@link OAuthProviderConfig}: its
 * endpoints (never ScribeJava's hard-coded {@code GitHubApi}, so GitHub Enterprise and test servers work), the
 * client id and secret sent in the request body, and {@link OAuthProviderConfig#callbackUrl()} as
 * {@code redirect_uri} in both the authorization URL and the code exchange.
 *
 * <ul>
 *   <li>The authorization URL carries {@code response_type=code}, {@code client_id}, {@code redirect_uri},
 *       {@code scope} (space-separated; left out when there are none), {@code state}, {@code code_challenge} and
 *       {@code code_challenge_method=S256}, then the config's extra authorization parameters and, for an OpenID
 *       Connect provider, the {@code nonce}.</li>
 *   <li>The code exchange posts {@code grant_type=authorization_code}, {@code code}, {@code redirect_uri},
 *       {@code code_verifier}, {@code client_id} and {@code client_secret}; the refresh posts
 *       {@code grant_type=refresh_token}, {@code refresh_token}, {@code client_id} and {@code client_secret}; both
 *       with {@code Accept: application/json}.</li>
 *   <li>The answer must be JSON. An {@code error} member is honoured whatever the HTTP status (GitHub uses 200).
 *       See {@link TokenResponseParser} for the mapping to {@code OAuthGrantException},
 *       {@code OAuthProtocolException}, {@code RateLimitedException} and {@code UnavailableException}; network
 *       errors and timeouts are {@link UnavailableException}.</li>
 *   <li>An {@code id_token} in the answer is handed on as it is ({@link TokenSet#idToken()}); the
 *       {@link NimbusIdTokenVerifier} checks it.</li>
 *   <li>{@code expires_at} and the refresh token's expiry are the instant the request was sent plus
 *       {@code expires_in} / {@code refresh_token_expires_in}; {@code null} when the provider sends none.</li>
 *   <li>Granted scopes are read from {@code scope}, comma- or space-separated (GitHub answers {@code "repo,gist"});
 *       an empty or missing {@code scope} yields the requested scopes for an exchange, an empty list for a
 *       refresh.</li>
 * </ul>
 *
 * <p><b>Client credentials</b> ({@link #clientCredentials}): {@code grant_type=client_credentials}, the grant's
 * scopes, extra parameters (Arduino's {@code audience}, a connection's {@code organization_id}) and extra headers
 * ({@code X-Organization}), the user's client id and secret in the body or as HTTP
 * Basic as the grant says; {@code grant_type}, {@code scope} and the extra parameters in the form body or, for
 * {@link GrantStrategy.ParameterPlacement#QUERY_STRING} (Blynk, always with HTTP Basic), in the query string of a
 * {@code POST} with an empty body; {@code invalid_client}, {@code unauthorized_client} or an HTTP 401 is
 * {@link CredentialsRejectedException}; a refresh token in the answer is dropped.
 *
 * <p><b>Revocation</b> ({@link #revoke}): RFC 7009 ({@code POST token, token_type_hint, client_id, client_secret};
 * 200 is success, an invalid token included, as the RFC says) or GitHub's grant API
 * ({@code DELETE {api}/applications/{client_id}/grant}, HTTP Basic with the app's id and secret, body
 * {@code {"access_token"}}; 204, 404 and 422 count as revoked, 401 is {@link OAuthProtocolException}). 429 is
 * {@link RateLimitedException}, 5xx and network failures {@link UnavailableException}, anything else
 * {@link OAuthProtocolException}.
 *
 * <p>Token requests use a copy of the given {@link OkHttpClient} that follows no redirects and has its own connect
 * and read timeouts (5 s and 10 s by default) and a bound on the whole call (20 s by default: a provider that
 * trickles its answer cannot hold a caller, or the database connection a refresh holds, longer). Give it a guarded
 * client for the provider's fixed hosts ({@link com.nexflux.integrations.providers.http.OutboundHttpClients#fixedHosts},
 * with the token and revocation endpoints' hosts): the copy keeps its allow-list, and an endpoint on any other host is
 * refused with {@link com.nexflux.integrations.providers.http.OutboundRefusedException} ({@code HOST_NOT_ALLOWED})
 * before anything is sent. Nothing is logged; no exception message contains a token, code, verifier or secret.
 * Thread-safe; share one instance.
 */
public final class ScribeOAuthClient implements OAuthClient {
  /** The default connect timeout for token requests: 5 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The default read timeout for token requests: 10 s. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  /** The default bound on a whole token or revocation call: 20 s. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(20);

  private static final String USER_AGENT = "NexFlux-Integrations";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient tokenHttp;
  private final OkHttpScribeTransport transport;
  private final TokenResponseParser parser;
  private final TokenResponseParser userClientParser;
  private final Clock clock;

  /**
   * A client with the default timeouts (5 s connect, 10 s read).
   *
   * @param http the shared OkHttp client (its connection pool and dispatcher are reused)
   * @param clock the clock for expiry times
   */
  public ScribeOAuthClient(OkHttpClient http, Clock clock) {
    this(http, clock, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  /**
   * A client with its own timeouts.
   *
   * @param http the shared OkHttp client (its connection pool and dispatcher are reused)
   * @param clock the clock for expiry times
   * @param connectTimeout how long to wait for a connection to the token endpoint
   * @param readTimeout how long to wait for each read of the token endpoint's answer
   * @throws IllegalArgumentException when a timeout is not positive
   */
  public ScribeOAuthClient(OkHttpClient http, Clock clock, Duration connectTimeout, Duration readTimeout) {
    this(http, clock, connectTimeout, readTimeout, max(DEFAULT_CALL_TIMEOUT, connectTimeout.plus(readTimeout)));
  }

  /**
   * A client with its own timeouts and a bound on each whole call.
   *
   * @param callTimeout the longest a whole call may take (connect, write, every read)
   * @throws IllegalArgumentException when a timeout is not positive
   */
  public ScribeOAuthClient(OkHttpClient http, Clock clock, Duration connectTimeout, Duration readTimeout,
      Duration callTimeout) {
    Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    requirePositive(callTimeout, "callTimeout");
    this.tokenHttp = http.newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false) // an authorization code is single-use: never send it twice
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(readTimeout)
        .callTimeout(callTimeout)
        .build();
    this.transport = new OkHttpScribeTransport(tokenHttp);
    this.parser = new TokenResponseParser(clock);
    this.userClientParser = TokenResponseParser.forUserClient(clock);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public URI authorizationUrl(OAuthProviderConfig config, String state, String codeChallenge,
      List<String> scopes) {
    return authorizationUrl(config, state, codeChallenge, scopes, null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The config's extra parameters come after the protocol's own; {@code nonce} is sent when not null.
   */
  @Override
  public URI authorizationUrl(OAuthProviderConfig config, String state, String codeChallenge,
      List<String> scopes, String nonce) {
    Objects.requireNonNull(config, "config");
    requireText(state, "state");
    requireText(codeChallenge, "codeChallenge");
    Objects.requireNonNull(scopes, "scopes");
    PKCE pkce = new PKCE();
    pkce.setCodeChallenge(codeChallenge);
    pkce.setCodeChallengeMethod(PKCECodeChallengeMethod.S256);
    String scope = scopes.isEmpty() ? null : String.join(" ", scopes);
    // the service needs no closing: its only resource is the transport, which owns nothing
    OAuth20Service service = service(config);
    Map<String, String> extra = new LinkedHashMap<>(config.authorizationParameters());
    if (nonce != null) {
      requireText(nonce, "nonce");
      extra.put("nonce", nonce);
    }
    return URI.create(service.createAuthorizationUrlBuilder().state(state).scope(scope).pkce(pkce)
        .additionalParams(extra).build());
  }

  @Override
  public TokenSet exchangeCode(OAuthProviderConfig config, String code, Secret codeVerifier,
      List<String> requestedScopes) {
    Objects.requireNonNull(config, "config");
    requireText(code, "code");
    Objects.requireNonNull(codeVerifier, "codeVerifier");
    Objects.requireNonNull(requestedScopes, "requestedScopes");
    AccessTokenRequestParams params = AccessTokenRequestParams.create(code)
        .pkceCodeVerifier(codeVerifier.reveal());
    return call(config, requestedScopes, service -> service.getAccessToken(params));
  }

  @Override
  public TokenSet refresh(OAuthProviderConfig config, Secret refreshToken) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(refreshToken, "refreshToken");
    if (refreshToken.isEmpty()) {
      throw new IllegalArgumentException("refreshToken is empty");
    }
    return call(config, List.of(), service -> service.refreshAccessToken(refreshToken.reveal()));
  }

  @Override
  public TokenSet clientCredentials(GrantStrategy.ClientCredentials grant, String clientId, Secret clientSecret) {
    Objects.requireNonNull(grant, "grant");
    requireText(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    if (clientSecret.isEmpty()) {
      throw new IllegalArgumentException("clientSecret is empty");
    }
    String endpoint = grant.tokenEndpoint().toString();
    ClientAuthentication auth = grant.clientAuthentication() == GrantStrategy.ClientAuthentication.HTTP_BASIC
        ? HttpBasicAuthenticationScheme.instance() : RequestBodyAuthenticationScheme.instance();
    OAuth20Service service = new ServiceBuilder(clientId)
        .apiSecret(clientSecret.reveal())
        .userAgent(USER_AGENT)
        .httpClient(transport)
        .build(new ConfiguredApi20(endpoint, endpoint, userClientParser, auth, grant.extraParameters(),
            grant.extraHeaders(), grant.parameterPlacement() == GrantStrategy.ParameterPlacement.QUERY_STRING));
    String scope = grant.scopes().isEmpty() ? null : String.join(" ", grant.scopes());
    TokenSet tokens = send(grant.scopes(), () -> scope == null ? service.getAccessTokenClientCredentialsGrant()
        : service.getAccessTokenClientCredentialsGrant(scope));
    // the token is simply requested again: a refresh token (Blynk sends one) is not kept
    return new TokenSet(tokens.accessToken(), null, tokens.expiresAt(), null, tokens.scopes());
  }

  @Override
  public void revoke(OAuthProviderConfig config, Revocation revocation, Secret token, Revocation.TokenKind kind) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(revocation, "revocation");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(kind, "kind");
    Request request;
    String what;
    if (revocation instanceof Revocation.Rfc7009 rfc) {
      what = "the revocation endpoint";
      request = new Request.Builder().url(httpUrl(rfc.endpoint(), what))
          .header("Accept", "application/json")
          .header("User-Agent", USER_AGENT)
          .post(new FormBody.Builder()
              .add("token", token.reveal())
              .add("token_type_hint", kind.hint())
              .add("client_id", config.clientId())
              .add("client_secret", config.clientSecret().reveal())
              .build())
          .build();
    } else if (revocation instanceof Revocation.GitHubGrant github) {
      what = "GitHub's grant API";
      HttpUrl url = httpUrl(github.apiBaseUrl(), what).newBuilder()
          .addPathSegment("applications").addPathSegment(config.clientId()).addPathSegment("grant").build();
      ObjectNode body = JSON.createObjectNode().put("access_token", token.reveal());
      request = new Request.Builder().url(url)
          .header("Accept", "application/vnd.github+json")
          .header("X-GitHub-Api-Version", "2022-11-28")
          .header("User-Agent", USER_AGENT)
          .header("Authorization", Credentials.basic(config.clientId(), config.clientSecret().reveal(),
              StandardCharsets.UTF_8))
          .delete(RequestBody.create(body.toString(), JSON_TYPE))
          .build();
    } else {
      throw new IllegalArgumentException("the provider offers no revocation");
    }
    int status;
    String retryAfter;
    try (Response response = tokenHttp.newCall(request).execute()) {
      status = response.code();
      retryAfter = response.header("Retry-After");
    } catch (InterruptedIOException e) {
      throw new UnavailableException(what + " did not answer in time (" + e.getClass().getSimpleName() + ")", e);
    } catch (IOException e) {
      throw new UnavailableException(what + " could not be reached (" + e.getClass().getSimpleName() + ")", e);
    }
    boolean github = revocation instanceof Revocation.GitHubGrant;
    if (status == 200 || (github && (status == 204 || status == 404 || status == 422))) {
      return; // GitHub: 404/422 mean the token or grant is already gone
    }
    if (status == 429) {
      throw new RateLimitedException(what + " is rate limiting (HTTP 429)",
          RetryAfter.parse(retryAfter, clock).orElse(TokenResponseParser.DEFAULT_RETRY_AFTER));
    }
    if (status >= 500) {
      throw new UnavailableException(what + " failed (HTTP " + status + ")", null);
    }
    if (status == 401) {
      throw new OAuthProtocolException(what + " refused the OAuth app's client id and secret (HTTP 401)");
    }
    throw new OAuthProtocolException(what + " refused the revocation (HTTP " + status + ")");
  }

  private static HttpUrl httpUrl(URI uri, String what) {
    HttpUrl url = HttpUrl.parse(uri.toString());
    if (url == null) {
      throw new OAuthProtocolException("The configured address of " + what + " is not an http(s) URL");
    }
    return url;
  }

  @FunctionalInterface
  private interface Send {
    OAuth2AccessToken send() throws IOException, InterruptedException, ExecutionException;
  }

  private TokenSet send(List<String> scopesWhenNoneGranted, Send send) {
    return call(null, scopesWhenNoneGranted, ignored -> send.send());
  }

  @FunctionalInterface
  private interface TokenCall {
    OAuth2AccessToken send(OAuth20Service service) throws IOException, InterruptedException, ExecutionException;
  }

  private TokenSet call(OAuthProviderConfig config, List<String> scopesWhenNoneGranted, TokenCall call) {
    Instant sentAt = clock.instant();
    OAuth2AccessToken token;
    try {
      token = call.send(config == null ? null : service(config));
    } catch (BoundedBodies.TooLargeException e) {
      throw new OAuthProtocolException("The token endpoint's answer is larger than "
          + OkHttpScribeTransport.MAX_BODY_BYTES + " bytes");
    } catch (InterruptedIOException e) {
      throw new UnavailableException("The token endpoint did not answer in time ("
          + e.getClass().getSimpleName() + ")", e);
    } catch (IOException e) {
      throw new UnavailableException("The token endpoint could not be reached ("
          + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("Interrupted while waiting for the token endpoint", e);
    } catch (ExecutionException e) {
      throw new UnavailableException("The token request failed (" + e.getCause().getClass().getSimpleName() + ")",
          null);
    } catch (OAuthException e) {
      // ScribeJava's own exceptions may quote the response body: keep only the type
      throw new OAuthProtocolException("The token request failed (" + e.getClass().getSimpleName() + ")");
    }
    if (!(token instanceof ParsedToken parsed)) {
      throw new IllegalStateException("unexpected token type " + token.getClass().getName());
    }
    List<String> granted = scopes(parsed.getScope());
    return new TokenSet(
        Secret.of(parsed.getAccessToken()),
        parsed.getRefreshToken() == null ? null : Secret.of(parsed.getRefreshToken()),
        plus(sentAt, parsed.expiresInSeconds()),
        plus(sentAt, parsed.refreshTokenExpiresInSeconds()),
        granted.isEmpty() ? scopesWhenNoneGranted : granted,
        parsed.idToken() == null ? null : Secret.of(parsed.idToken()));
  }

  private OAuth20Service service(OAuthProviderConfig config) {
    ServiceBuilder builder = new ServiceBuilder(config.clientId())
        .callback(config.callbackUrl().toString())
        .userAgent(USER_AGENT)
        .httpClient(transport);
    if (config.clientSecret().isEmpty()) {
      builder.apiSecretIsEmptyStringUnsafe();
    } else {
      builder.apiSecret(config.clientSecret().reveal());
    }
    return builder.build(new ConfiguredApi20(config.authorizationEndpoint().toString(),
        config.tokenEndpoint().toString(), parser));
  }

  private static List<String> scopes(String scope) {
    if (scope == null || scope.isBlank()) {
      return List.of();
    }
    return Arrays.stream(scope.trim().split("[,\\s]+")).filter(s -> !s.isEmpty()).distinct().toList();
  }

  private static Instant plus(Instant sentAt, Long seconds) {
    return seconds == null ? null : sentAt.plusSeconds(seconds);
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " is blank");
    }
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
