package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * How this deployment talks OAuth 2.0 to one provider. Endpoints are configuration, never taken from a request.
 *
 * @param provider the provider
 * @param clientId the OAuth app's client id
 * @param clientSecret the OAuth app's client secret
 * @param authorizationEndpoint e.g. {@code https://github.com/login/oauth/authorize}
 * @param tokenEndpoint e.g. {@code https://github.com/login/oauth/access_token}
 * @param callbackUrl the redirect URI registered with the provider (sent identically in both requests)
 * @param connectScopes scopes asked for when linking the integration
 * @param signInScopes scopes asked for when signing in
 * @param apiBaseUrl the provider's REST API base, e.g. {@code https://api.github.com}
 */
public record OAuthProviderConfig(
    Provider provider,
    String clientId,
    Secret clientSecret,
    URI authorizationEndpoint,
    URI tokenEndpoint,
    URI callbackUrl,
    List<String> connectScopes,
    List<String> signInScopes,
    URI apiBaseUrl) {

  public OAuthProviderConfig {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
    Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    Objects.requireNonNull(callbackUrl, "callbackUrl");
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    connectScopes = List.copyOf(connectScopes);
    signInScopes = List.copyOf(signInScopes);
  }

  /** @return the scopes for a flow of this purpose */
  public List<String> scopesFor(FlowPurpose purpose) {
    return purpose == FlowPurpose.SIGN_IN ? signInScopes : connectScopes;
  }
}
