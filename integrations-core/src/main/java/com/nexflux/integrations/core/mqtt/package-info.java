/**
 * The MQTT integration: the broker URL and settings (which validate themselves), the stored aggregate, its status,
 * the result of a connection test, its use cases ({@link com.nexflux.integrations.core.mqtt.MqttIntegrations},
 * implemented by {@link com.nexflux.integrations.core.mqtt.MqttIntegrationService}) and the out-ports only it needs
 * (the broker probe and its repository).
 */
package com.nexflux.integrations.core.mqtt;
