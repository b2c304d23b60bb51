/**
 * The REST adapter of NexFlux Integrations (public API).
 *
 * <p>{@link com.nexflux.integrations.http.IntegrationsApi} registers the {@code /api/v1/users/me/integrations/...}
 * routes (MQTT, GitHub, overview, audit), the GitHub OAuth routes {@code /api/v1/auth/github/connect|callback}, the
 * service-to-service {@code /internal/v1/projects/changed}, {@code /health/*} and {@code /openapi.json} on a
 * Javalin 7 configuration, either a host service's own
 * ({@link com.nexflux.integrations.http.IntegrationsApi#mount}) or a standalone server's
 * ({@link com.nexflux.integrations.http.IntegrationsApi#createServer}). Callers are authenticated by an
 * {@link com.nexflux.integrations.http.Authenticator}, normally a
 * {@link com.nexflux.integrations.http.JwtAuthenticator}.
 *
 * <p>Everything in {@code com.nexflux.integrations.http.internal} is implementation and may change in any release;
 * do not use it directly.
 *
 * @since 0.1
 */
package com.nexflux.integrations.http;
