/** ThingsBoard's provider module: {@link com.nexflux.integrations.app.thingsboard.ThingsBoardModule}. */
package com.nexflux.integrations.app.thingsboard;
