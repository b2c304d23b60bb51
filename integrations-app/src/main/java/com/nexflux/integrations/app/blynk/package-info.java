/** Blynk's provider module: {@link com.nexflux.integrations.app.blynk.BlynkModule}. */
package com.nexflux.integrations.app.blynk;
