/**
 * Implementation of the REST adapter: handlers, request/response shapes, body reading and the one place where
 * exceptions become HTTP responses ({@link com.nexflux.integrations.http.internal.ErrorResponses}).
 *
 * <p>Not API: these classes may change or disappear in any release without notice. Use
 * {@link com.nexflux.integrations.http.IntegrationsApi} instead.
 */
package com.nexflux.integrations.http.internal;
