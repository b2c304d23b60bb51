/**
 * The MQTT integration's domain: the broker URL and settings (which validate themselves), the stored
 * aggregate, its status and the result of a connection test.
 */
package com.nexflux.integrations.core.mqtt;
