/**
 * Arduino Cloud: the user's own API key (client credentials), their devices, things and properties, and publishing a
 * property value. Tokens come from the OAuth engine's client credentials strategy; the adapter of {@link
 * com.nexflux.integrations.core.arduino.ArduinoApi} speaks Arduino's REST API.
 */
package com.nexflux.integrations.core.arduino;
