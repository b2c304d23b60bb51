package com.nexflux.integrations.http.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.oauth.OAuthFlows;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;
import java.util.Map;
import java.util.Objects;

/**
 * The OAuth routes of one provider: {@code GET /api/v1/auth/{slug}/connect} and {@code GET
 * /api/v1/auth/{slug}/callback}. Every OAuth provider gets its own pair of exact paths (never a pattern, so a host's
 * own {@code /api/v1/auth/...} routes are untouched).
 */
public final class OAuthRoutes implements RouteModule {
  private final Provider provider;
  private final String displayName;
  private final OAuthFlows flows;

  /**
   * @param displayName the provider's name in messages and in the OpenAPI document
   * @param flows the OAuth flows, or {@code null} when the deployment has no credentials for this provider (then
   *     both routes answer 503 {@code PROVIDER_NOT_CONFIGURED})
   */
  public OAuthRoutes(Provider provider, String displayName, OAuthFlows flows) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.displayName = Objects.requireNonNull(displayName, "displayName");
    this.flows = flows;
  }

  /** @return the provider */
  public Provider provider() {
    return provider;
  }

  /** @return the provider's display name */
  public String displayName() {
    return displayName;
  }

  /** @return whether the deployment has OAuth credentials for this provider */
  public boolean configured() {
    return flows != null && flows.isConfigured(provider);
  }

  /** @return whether a login page may offer "sign in with" this provider here */
  public boolean offersSignIn() {
    return configured() && flows.offersSignIn(provider);
  }

  /** @return {@code /api/v1/auth/{slug}/connect} */
  public static String connectPath(Provider provider) {
    return ApiKit.AUTH + "/" + provider.slug() + "/connect";
  }

  /** @return {@code /api/v1/auth/{slug}/callback} */
  public static String callbackPath(Provider provider) {
    return ApiKit.AUTH + "/" + provider.slug() + "/callback";
  }

  @Override
  public void register(RouteRegistry routes, ApiKit kit) {
    OAuthHandlers h = new OAuthHandlers(provider, displayName, flows, kit.authentication(), kit.json(), kit.cookies());
    routes.get(connectPath(provider), h::connect);
    routes.get(callbackPath(provider), h::callback);
  }

  @Override
  public String openApi() {
    return OpenApiFragments.template(OAuthRoutes.class, "openapi-oauth.json",
        Map.of("{slug}", provider.slug(), "{key}", provider.key(), "{name}", displayName));
  }
}
