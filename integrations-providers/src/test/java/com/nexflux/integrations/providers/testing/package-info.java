/**
 * Reusable test fixtures, all on 127.0.0.1 only; published in this module's test-jar
 * ({@code integrations-providers}, type {@code test-jar}, scope {@code test}).
 *
 * <p>MQTT:
 * <ul>
 *   <li>{@link com.nexflux.integrations.providers.testing.EmbeddedHiveMqBroker}: in-process HiveMQ CE, TCP and
 *       WebSocket listeners, optional user name/password;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.Mosquitto}: Debian's mosquitto as a child process,
 *       TCP only, optional password file;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.SilentListener}: accepts and never answers;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.FakeMqtt311Broker}: refuses MQTT 5 like an old broker,
 *       accepts MQTT 3.1.1;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.ScriptedMqttListener}: answers each CONNECT as scripted
 *       per protocol level (HTTP 400, the forms of refusing MQTT 5, close, reset, silence, a 3.1.1 accept) and
 *       records what it received;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.Mqtt5RefusingProxy}: in front of a real broker, refuses
 *       MQTT 5 CONNECTs in one of those forms and pipes everything else through;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.LoopbackPorts},
 *       {@link com.nexflux.integrations.providers.testing.HiveMqClientThreads}: helpers.</li>
 * </ul>
 * Using {@code EmbeddedHiveMqBroker} needs {@code com.hivemq:hivemq-community-edition-embedded} as a test
 * dependency of the using module (the test-jar does not bring its dependencies).
 *
 * <p>OAuth and GitHub:
 * <ul>
 *   <li>{@link com.nexflux.integrations.providers.testing.FakeGitHub}: GitHub's REST API subset over a real
 *       in-memory git object model ({@link com.nexflux.integrations.providers.testing.GitObjectStore}), every
 *       exchange validated against GitHub's OpenAPI description (the spec ships in the test-jar, next to the
 *       fixtures, under {@code github-openapi/}); needs {@code com.atlassian.oai:swagger-request-validator-core}
 *       as a test dependency of the using module;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory}: sockets that refuse to
 *       connect anywhere but loopback, the safety net of outbound-guard tests;</li>
 *   <li>{@link com.nexflux.integrations.providers.testing.MockOAuthServer}: a real OAuth 2.0/OIDC authorization
 *       server (NAV's mock-oauth2-server) with a provider configuration pointing at it; needs
 *       {@code no.nav.security:mock-oauth2-server} as a test dependency of the using module.</li>
 * </ul>
 */
package com.nexflux.integrations.providers.testing;
