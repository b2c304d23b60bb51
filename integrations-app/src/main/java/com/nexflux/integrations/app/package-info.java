/**
 * The composition root: {@link com.nexflux.integrations.app.NexfluxIntegrations} (the library facade that
 * NexFlux JVM services embed), {@link com.nexflux.integrations.app.StandaloneServer} and
 * {@link com.nexflux.integrations.app.Main}. Everything is wired by hand here; nothing else depends on this
 * package.
 */
package com.nexflux.integrations.app;
