/**
 * The OAuth 2.0 adapter: {@link com.nexflux.integrations.providers.oauth.ScribeOAuthClient}, the core's
 * {@link com.nexflux.integrations.core.oauth.OAuthClient} on ScribeJava with OkHttp underneath (authorization
 * code grant with PKCE S256, refresh grant, GitHub's token endpoint quirks).
 */
package com.nexflux.integrations.providers.oauth;
