/** Outbound connection policy: which user-supplied hosts this server may connect to. */
package com.nexflux.integrations.core.net;
