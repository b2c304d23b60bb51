/**
 * Blynk's HTTP routes ({@link com.nexflux.integrations.http.blynk.BlynkRoutes}): its devices under
 * {@code /api/v1/users/me/integrations/blynk}, their pins, and its OpenAPI fragment.
 */
package com.nexflux.integrations.http.blynk;
