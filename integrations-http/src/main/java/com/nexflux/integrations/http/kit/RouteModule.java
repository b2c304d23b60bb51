package com.nexflux.integrations.http.kit;

/**
 * One provider's HTTP routes and their OpenAPI description. {@link com.nexflux.integrations.http.IntegrationsApi}
 * registers every module it is given beside the shared routes (overview, audit, health, OpenAPI) and merges each
 * module's fragment into {@code /openapi.json}; no shared file names a provider.
 *
 * <p>Paths a module may declare, and what the API does around them (in standalone and in mounted mode alike):
 * <ul>
 *   <li>{@code /api/v1/users/me/...}: bearer authentication, {@code Cache-Control: no-store}, the request id;</li>
 *   <li>{@code /api/v1/auth/...}: browser navigations that authenticate themselves (or not): no-store,
 *       {@code Referrer-Policy: no-referrer}, the request id;</li>
 *   <li>{@code /internal/v1/...}: service calls that check their own token: no-store, the request id.</li>
 * </ul>
 */
public interface RouteModule {
  /** Declares the routes; called once per mount. */
  void register(RouteRegistry routes, ApiKit kit);

  /**
   * @return this module's part of the OpenAPI 3.0 document, as JSON text: an object with {@code paths} and
   *     optionally {@code components} (schemas, headers, ...); it may refer to the shared components ({@code ErrorEnvelope},
   *     {@code Deleted}, the standard responses). A path or component that another module also declares is an error.
   */
  String openApi();
}
