package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * @param oidc the provider's OpenID Connect settings when it is an OIDC provider (a nonce is sent, the
 *     {@code id_token} is required and verified, and its {@code sub} is the account id); {@code null} otherwise
 * @param authorizationParameters extra parameters of the authorization request, e.g. Google's
 *     {@code access_type=offline}, {@code prompt=consent}, {@code include_granted_scopes=true}; they never replace
 *     one of the protocol's own parameters
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
    URI apiBaseUrl,
    Oidc oidc,
    Map<String, String> authorizationParameters) {

  /** Parameters an authorization request always sets itself; {@link #authorizationParameters} may not name them. */
  public static final Set<String> PROTOCOL_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri", "scope",
      "state", "nonce", "code_challenge", "code_challenge_method");

  /** A provider configuration without OIDC and without extra authorization parameters (GitHub). */
  public OAuthProviderConfig(Provider provider, String clientId, Secret clientSecret, URI authorizationEndpoint,
      URI tokenEndpoint, URI callbackUrl, List<String> connectScopes, List<String> signInScopes, URI apiBaseUrl) {
    this(provider, clientId, clientSecret, authorizationEndpoint, tokenEndpoint, callbackUrl, connectScopes,
        signInScopes, apiBaseUrl, null, Map.of());
  }

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
    Map<String, String> params = new LinkedHashMap<>();
    if (authorizationParameters != null) {
      authorizationParameters.forEach((k, v) -> {
        Objects.requireNonNull(k, "authorization parameter name");
        Objects.requireNonNull(v, "authorization parameter value");
        if (k.isBlank() || PROTOCOL_PARAMETERS.contains(k)) {
          throw new IllegalArgumentException("authorization parameter " + k + " is set by the protocol");
        }
        params.put(k, v);
      });
    }
    authorizationParameters = Collections.unmodifiableMap(params);
  }

  /** @return whether this is an OpenID Connect provider */
  public boolean isOidc() {
    return oidc != null;
  }

  /** @return a copy with these OIDC settings */
  public OAuthProviderConfig withOidc(Oidc value) {
    return new OAuthProviderConfig(provider, clientId, clientSecret, authorizationEndpoint, tokenEndpoint,
        callbackUrl, connectScopes, signInScopes, apiBaseUrl, value, authorizationParameters);
  }

  /** @return a copy with these extra authorization parameters */
  public OAuthProviderConfig withAuthorizationParameters(Map<String, String> value) {
    return new OAuthProviderConfig(provider, clientId, clientSecret, authorizationEndpoint, tokenEndpoint,
        callbackUrl, connectScopes, signInScopes, apiBaseUrl, oidc, value);
  }

  /**
   * @return whether {@code issuer} is one of this provider's issuers (exact string match); false for a provider
   *     without OIDC settings
   */
  public boolean isIssuer(String issuer) {
    return oidc != null && issuer != null && oidc.issuers().contains(issuer);
  }

  /**
   * OpenID Connect settings of a provider.
   *
   * @param issuers the accepted {@code iss} values, the first one canonical (Google has two:
   *     {@code https://accounts.google.com} and {@code accounts.google.com}); also the accepted values of the RFC
   *     9207 {@code iss} callback parameter
   * @param jwksUri where the provider's signing keys are published
   */
  public record Oidc(List<String> issuers, URI jwksUri) {
    public Oidc {
      issuers = List.copyOf(issuers);
      if (issuers.isEmpty() || issuers.stream().anyMatch(String::isBlank)) {
        throw new IllegalArgumentException("an OIDC provider needs at least one issuer");
      }
      Objects.requireNonNull(jwksUri, "jwksUri");
    }
  }

  /** @return the scopes for a flow of this purpose */
  public List<String> scopesFor(FlowPurpose purpose) {
    return purpose == FlowPurpose.SIGN_IN ? signInScopes : connectScopes;
  }
}
