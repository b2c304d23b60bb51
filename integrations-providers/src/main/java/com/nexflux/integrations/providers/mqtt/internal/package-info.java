/**
 * Implementation details of {@link com.nexflux.integrations.providers.mqtt.HiveMqBrokerProbe}: the per-probe state
 * machine, the HiveMQ client set-up, the exception to {@link com.nexflux.integrations.core.mqtt.ProbeErrorCode}
 * mapping and the {@code $SYS} version parser.
 *
 * <p><strong>Internal:</strong> the classes here are public only so that the adapter's own packages can use them.
 * They are not an API and may change or disappear at any time without notice.
 */
package com.nexflux.integrations.providers.mqtt.internal;
