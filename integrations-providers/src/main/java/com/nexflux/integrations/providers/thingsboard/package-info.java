/**
 * The ThingsBoard adapter: {@link com.nexflux.integrations.providers.thingsboard.OkHttpThingsBoardApi}, the core's
 * {@link com.nexflux.integrations.core.thingsboard.ThingsBoardApi} and the password login client of the token
 * lifecycle, on the guarded user-host OkHttp client and Jackson.
 */
package com.nexflux.integrations.providers.thingsboard;
