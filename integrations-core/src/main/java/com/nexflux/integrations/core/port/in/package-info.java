/**
 * Incoming ports (API): the use cases that the HTTP adapter and embedding services call. Do not implement
 * these interfaces; obtain them from the library facade.
 */
package com.nexflux.integrations.core.port.in;
