package com.nexflux.integrations.providers.oauth.internal;

import com.github.scribejava.core.builder.api.DefaultApi20;
import com.github.scribejava.core.httpclient.HttpClient;
import com.github.scribejava.core.httpclient.HttpClientConfig;
import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.core.oauth.AccessTokenRequestParams;
import com.github.scribejava.core.oauth.OAuth20Service;
import java.io.OutputStream;

/**
 * ScribeJava's {@link OAuth20Service} with {@code Accept: application/json} on the token requests (authorization
 * code and refresh grants). GitHub answers form-encoded without it.
 */
public final class JsonAcceptingOAuth20Service extends OAuth20Service {
  /** As {@link OAuth20Service#OAuth20Service}. */
  public JsonAcceptingOAuth20Service(DefaultApi20 api, String apiKey, String apiSecret, String callback,
      String defaultScope, String responseType, OutputStream debugStream, String userAgent,
      HttpClientConfig httpClientConfig, HttpClient httpClient) {
    super(api, apiKey, apiSecret, callback, defaultScope, responseType, debugStream, userAgent, httpClientConfig,
        httpClient);
  }

  @Override
  protected OAuthRequest createAccessTokenRequest(AccessTokenRequestParams params) {
    OAuthRequest request = super.createAccessTokenRequest(params);
    request.addHeader("Accept", "application/json");
    return request;
  }

  @Override
  protected OAuthRequest createAccessTokenClientCredentialsGrantRequest(String scope) {
    OAuthRequest request = super.createAccessTokenClientCredentialsGrantRequest(scope);
    request.addHeader("Accept", "application/json");
    if (getApi() instanceof ConfiguredApi20 configured) {
      configured.extraParameters().forEach(request::addBodyParameter);
      configured.extraHeaders().forEach(request::addHeader);
      if (configured.parametersInQuery()) {
        return inQuery(request);
      }
    }
    return request;
  }

  @Override
  protected OAuthRequest createRefreshTokenRequest(String refreshToken, String scope) {
    OAuthRequest request = super.createRefreshTokenRequest(refreshToken, scope);
    request.addHeader("Accept", "application/json");
    return request;
  }

  /**
   * @return the same request with every body parameter moved to the query string and an empty body (only used
   *     with HTTP Basic, so no client secret is among them)
   */
  private static OAuthRequest inQuery(OAuthRequest request) {
    OAuthRequest moved = new OAuthRequest(request.getVerb(), request.getUrl());
    request.getHeaders().forEach(moved::addHeader);
    request.getQueryStringParams().getParams().forEach(p -> moved.addQuerystringParameter(p.getKey(), p.getValue()));
    for (var p : request.getBodyParams().getParams()) {
      if (p.getKey().equals("client_secret")) {
        throw new IllegalStateException("a client secret is never put in a query string");
      }
      moved.addQuerystringParameter(p.getKey(), p.getValue());
    }
    return moved;
  }
}
