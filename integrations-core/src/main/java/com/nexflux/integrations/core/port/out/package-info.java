/**
 * Outgoing ports (SPI): what the core needs from the outside world. Adapter modules implement them; the
 * core never sees the technology behind them. A port never lets a library exception through: failures
 * arrive as {@link com.nexflux.integrations.core.error.IntegrationsException} subclasses.
 */
package com.nexflux.integrations.core.port.out;
