/**
 * Reusable test fixtures for MQTT tests, all on 127.0.0.1 only; published in this module's test-jar
 * ({@code integrations-providers}, type {@code test-jar}, scope {@code test}).
 * <ul>
 *   <li>{@link com.nexflux.integrations.providers.testing.EmbeddedHiveMqBroker}: in-process HiveMQ CE, TCP and
 *       WebSocket listeners, optional user name/password;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.Mosquitto}: Debian's mosquitto as a child process,
 *       TCP only, optional password file;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.SilentListener}: accepts and never answers;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.FakeMqtt311Broker}: refuses MQTT 5 like an old broker,
 *       accepts MQTT 3.1.1;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.LoopbackPorts},
 *       {@link com.nexflux.integrations.providers.testing.HiveMqClientThreads}: helpers.</li>
 * </ul>
 * Using {@code EmbeddedHiveMqBroker} needs {@code com.hivemq:hivemq-community-edition-embedded} as a test
 * dependency of the using module (the test-jar does not bring its dependencies).
 */
package com.nexflux.integrations.providers.testing;
