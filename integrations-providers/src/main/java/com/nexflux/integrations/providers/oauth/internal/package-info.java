/**
 * Implementation details of {@link com.nexflux.integrations.providers.oauth.ScribeOAuthClient}: the ScribeJava
 * {@code DefaultApi20} built from an {@link com.nexflux.integrations.core.oauth.OAuthProviderConfig}, the
 * {@code OAuth20Service} that asks for JSON, the ScribeJava {@code HttpClient} on OkHttp, and the strict token
 * response parser.
 *
 * <p><strong>Internal:</strong> the classes here are public only so that the adapter's own packages can use them.
 * They are not an API and may change or disappear at any time without notice.
 */
package com.nexflux.integrations.providers.oauth.internal;
