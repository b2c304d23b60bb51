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
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
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
 * <p>Token requests use a copy of the given {@link OkHttpClient} that follows no redirects and has its own connect
 * and read timeouts (5 s and 10 s by default). Give it a guarded client for the provider's fixed hosts
 * ({@link com.nexflux.integrations.providers.http.OutboundHttpClients#fixedHosts}, with the token endpoint's host):
 * the copy keeps its allow-list and call timeout, and a token endpoint on any other host is refused with
 * {@link com.nexflux.integrations.providers.http.OutboundRefusedException} ({@code HOST_NOT_ALLOWED}) before
 * anything is sent. Nothing is logged; no exception message contains a token, code, verifier or secret.
 * Thread-safe; share one instance.
 */
public final class ScribeOAuthClient implements OAuthClient {
  /** The default connect timeout for token requests: 5 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The default read timeout for token requests: 10 s. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  private static final String USER_AGENT = "NexFlux-Integrations";

  private final OkHttpScribeTransport transport;
  private final TokenResponseParser parser;
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
    Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    OkHttpClient tokenHttp = http.newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false) // an authorization code is single-use: never send it twice
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(readTimeout)
        .build();
    this.transport = new OkHttpScribeTransport(tokenHttp);
    this.parser = new TokenResponseParser(clock);
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

  @FunctionalInterface
  private interface TokenCall {
    OAuth2AccessToken send(OAuth20Service service) throws IOException, InterruptedException, ExecutionException;
  }

  private TokenSet call(OAuthProviderConfig config, List<String> scopesWhenNoneGranted, TokenCall call) {
    Instant sentAt = clock.instant();
    OAuth2AccessToken token;
    try {
      token = call.send(service(config));
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
