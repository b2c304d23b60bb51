/**
 * The seam between the shared HTTP API and each provider's routes: a provider contributes a {@link
 * com.nexflux.integrations.http.kit.RouteModule} (its routes and its OpenAPI fragment), written with the {@link
 * com.nexflux.integrations.http.kit.ApiKit}.
 */
package com.nexflux.integrations.http.kit;
