/**
 * ThingsBoard: a user's own ThingsBoard server (cloud or self-hosted), connected with a username and password
 * ({@code POST /api/auth/login}, tokens renewed by the shared token lifecycle) or a 4.x API key; devices with their
 * latest telemetry, and RPC to a device. {@link com.nexflux.integrations.core.thingsboard.ThingsBoardIntegrations} is
 * the use case (in-port), {@link com.nexflux.integrations.core.thingsboard.ThingsBoardApi} the REST out-port.
 */
package com.nexflux.integrations.core.thingsboard;
