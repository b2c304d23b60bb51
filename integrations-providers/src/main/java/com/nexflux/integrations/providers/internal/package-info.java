/**
 * Helpers shared by the HTTP-based adapters of this module (OAuth, GitHub): {@code Retry-After} parsing, bounded
 * body reads, and making provider-supplied text safe to put into an exception message.
 *
 * <p><strong>Internal:</strong> the classes here are public only so that the adapter packages can use them. They
 * are not an API and may change or disappear at any time without notice.
 */
package com.nexflux.integrations.providers.internal;
