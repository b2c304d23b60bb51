/**
 * The exception hierarchy: {@link com.nexflux.integrations.core.error.IntegrationsException} is the one unchecked root,
 * each subclass carries a stable code that the HTTP layer maps to a status.
 */
package com.nexflux.integrations.core.error;
