/** Arduino Cloud's wire format: JSON readers and the goa error body. Not for other packages. */
package com.nexflux.integrations.providers.arduino.internal;
