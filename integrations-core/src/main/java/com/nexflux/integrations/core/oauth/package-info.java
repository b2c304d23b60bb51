/**
 * The provider-neutral OAuth 2.0 client: flows bound to the browser that started them (state, PKCE S256, a
 * flow cookie), stored connections with encrypted tokens, their refresh (single flight across instances) and the
 * sweeper, sign-in identities, and the ports they need (the OAuth client, flow and connection stores).
 */
package com.nexflux.integrations.core.oauth;
