/**
 * The Blynk adapter: {@link com.nexflux.integrations.providers.blynk.OkHttpBlynkApi}, the core's
 * {@link com.nexflux.integrations.core.blynk.BlynkDeviceApi} on the guarded OkHttp client (Blynk's device HTTPS API,
 * the device auth token in the query string, a 308 to the right region followed and reported).
 */
package com.nexflux.integrations.providers.blynk;
