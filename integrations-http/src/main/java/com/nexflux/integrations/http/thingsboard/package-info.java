/**
 * ThingsBoard's HTTP routes ({@link com.nexflux.integrations.http.thingsboard.ThingsBoardRoutes}) and their OpenAPI
 * fragment {@code openapi-thingsboard.json}.
 */
package com.nexflux.integrations.http.thingsboard;
