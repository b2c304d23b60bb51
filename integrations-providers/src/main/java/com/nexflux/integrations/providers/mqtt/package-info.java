/**
 * The MQTT adapter: {@link com.nexflux.integrations.providers.mqtt.HiveMqBrokerProbe}, the broker connection test
 * ({@link com.nexflux.integrations.core.mqtt.MqttBrokerProbe}) on the HiveMQ MQTT client.
 */
package com.nexflux.integrations.providers.mqtt;
