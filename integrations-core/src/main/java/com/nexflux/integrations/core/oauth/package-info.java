/**
 * The provider-neutral OAuth 2.0 client: flows bound to the browser that started them (state, PKCE S256, a
 * flow cookie), stored connections with encrypted tokens, and their refresh.
 */
package com.nexflux.integrations.core.oauth;
