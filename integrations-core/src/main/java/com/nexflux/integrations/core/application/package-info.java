/** Use-case implementations: they implement the API ports with the SPI ports they are given. */
package com.nexflux.integrations.core.application;
