/**
 * The Blynk integration: a user's Blynk devices, each known by a name and its device auth token (encrypted one by
 * one, each bound to its own device entry), the Blynk server they live on (the global {@code blynk.cloud} or a
 * regional host, remembered after a {@code 308} to the right region), their use cases
 * ({@link com.nexflux.integrations.core.blynk.BlynkIntegrations}, implemented by
 * {@link com.nexflux.integrations.core.blynk.BlynkIntegrationService}), their overview status and device inventory,
 * and the out-port only Blynk needs ({@link com.nexflux.integrations.core.blynk.BlynkDeviceApi}, Blynk's device
 * HTTPS API). Rows live in {@code user_integrations} through the shared
 * {@link com.nexflux.integrations.core.oauth.OAuthConnectionRepository}.
 */
package com.nexflux.integrations.core.blynk;
