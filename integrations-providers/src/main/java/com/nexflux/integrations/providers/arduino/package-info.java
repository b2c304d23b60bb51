/** The Arduino Cloud adapter: {@link com.nexflux.integrations.providers.arduino.OkHttpArduinoApi}. */
package com.nexflux.integrations.providers.arduino;
