/**
 * The one guarded outbound HTTP client of the provider adapters:
 * {@link com.nexflux.integrations.providers.http.OutboundHttpClients} builds OkHttp clients, all on one shared
 * connection pool and dispatcher, that reach only allowed hosts (a fixed allow-list for provider hosts, the core's
 * {@link com.nexflux.integrations.core.net.OutboundGuard} on every lookup for hosts users type), follow redirects
 * only to such hosts, have bounded {@link com.nexflux.integrations.providers.http.Timeouts}, may enforce a
 * provider's {@link com.nexflux.integrations.providers.http.RateLimit} per connection, and put URLs into log lines
 * and messages only through a {@link com.nexflux.integrations.providers.http.Redactor}.
 */
package com.nexflux.integrations.providers.http;
