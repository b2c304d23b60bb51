/**
 * Implementation details of {@link com.nexflux.integrations.providers.http.OutboundHttpClients}: the host policies
 * that serve as OkHttp's {@code Dns}, the refusal, redirect and guard interceptors, the host allow-list and the
 * IP-literal rules.
 *
 * <p><strong>Internal:</strong> the classes here are public only so that the adapter packages can use them. They
 * are not an API and may change or disappear at any time without notice.
 */
package com.nexflux.integrations.providers.http.internal;
