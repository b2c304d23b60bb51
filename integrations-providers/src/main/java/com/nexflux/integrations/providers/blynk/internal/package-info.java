/**
 * Implementation details of the Blynk adapter; may change at any time.
 */
package com.nexflux.integrations.providers.blynk.internal;
