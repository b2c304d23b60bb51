package com.nexflux.integrations.providers.oauth.internal;

import com.github.scribejava.core.builder.api.DefaultApi20;
import com.github.scribejava.core.extractors.TokenExtractor;
import com.github.scribejava.core.httpclient.HttpClient;
import com.github.scribejava.core.httpclient.HttpClientConfig;
import com.github.scribejava.core.model.OAuth2AccessToken;
import com.github.scribejava.core.oauth.OAuth20Service;
import com.github.scribejava.core.oauth2.clientauthentication.ClientAuthentication;
import com.github.scribejava.core.oauth2.clientauthentication.RequestBodyAuthenticationScheme;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;

/**
 * A ScribeJava {@link DefaultApi20} whose endpoints come from configuration (so GitHub Enterprise and test servers
 * work, unlike ScribeJava's {@code GitHubApi.instance()}), with the client id and secret in the request body, the
 * strict {@link TokenResponseParser} and a service that asks for JSON ({@link JsonAcceptingOAuth20Service}).
 */
public final class ConfiguredApi20 extends DefaultApi20 {
  private final String authorizationEndpoint;
  private final String tokenEndpoint;
  private final TokenExtractor<OAuth2AccessToken> extractor;
  private final ClientAuthentication clientAuthentication;
  private final Map<String, String> extraParameters;
  private final Map<String, String> extraHeaders;
  private final boolean parametersInQuery;

  /**
   * @param authorizationEndpoint the authorization endpoint (may carry a query of its own)
   * @param tokenEndpoint the token endpoint
   * @param extractor how token responses are read
   */
  public ConfiguredApi20(String authorizationEndpoint, String tokenEndpoint,
      TokenExtractor<OAuth2AccessToken> extractor) {
    this(authorizationEndpoint, tokenEndpoint, extractor, RequestBodyAuthenticationScheme.instance(), Map.of(),
        Map.of(), false);
  }

  /**
   * @param clientAuthentication how the client id and secret are sent
   * @param extraParameters parameters added to client credentials requests (Arduino's {@code audience})
   * @param extraHeaders headers added to client credentials requests (Arduino's {@code X-Organization})
   * @param parametersInQuery whether a client credentials request carries {@code grant_type}, {@code scope} and
   *     the extra parameters in its query string (with an empty body) instead of the form body (Blynk)
   */
  public ConfiguredApi20(String authorizationEndpoint, String tokenEndpoint,
      TokenExtractor<OAuth2AccessToken> extractor, ClientAuthentication clientAuthentication,
      Map<String, String> extraParameters, Map<String, String> extraHeaders, boolean parametersInQuery) {
    this.parametersInQuery = parametersInQuery;
    this.authorizationEndpoint = Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
    this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    this.extractor = Objects.requireNonNull(extractor, "extractor");
    this.clientAuthentication = Objects.requireNonNull(clientAuthentication, "clientAuthentication");
    this.extraParameters = Map.copyOf(extraParameters);
    this.extraHeaders = Map.copyOf(extraHeaders);
  }

  /** @return the form parameters added to client credentials requests */
  public Map<String, String> extraParameters() {
    return extraParameters;
  }

  /** @return whether client credentials parameters go in the query string */
  public boolean parametersInQuery() {
    return parametersInQuery;
  }

  /** @return the headers added to client credentials requests */
  public Map<String, String> extraHeaders() {
    return extraHeaders;
  }

  @Override
  public String getAccessTokenEndpoint() {
    return tokenEndpoint;
  }

  @Override
  protected String getAuthorizationBaseUrl() {
    return authorizationEndpoint;
  }

  /**
   * Body parameters by default: GitHub documents {@code client_id}/{@code client_secret} as body parameters, not
   * HTTP Basic.
   */
  @Override
  public ClientAuthentication getClientAuthentication() {
    return clientAuthentication;
  }

  @Override
  public TokenExtractor<OAuth2AccessToken> getAccessTokenExtractor() {
    return extractor;
  }

  @Override
  public OAuth20Service createService(String apiKey, String apiSecret, String callback, String defaultScope,
      String responseType, OutputStream debugStream, String userAgent, HttpClientConfig httpClientConfig,
      HttpClient httpClient) {
    return new JsonAcceptingOAuth20Service(this, apiKey, apiSecret, callback, defaultScope, responseType,
        debugStream, userAgent, httpClientConfig, httpClient);
  }
}
