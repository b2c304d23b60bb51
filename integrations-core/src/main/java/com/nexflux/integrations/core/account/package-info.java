/** NexFlux users as this library sees them: admission (provisioning) and the user directory port. */
package com.nexflux.integrations.core.account;
