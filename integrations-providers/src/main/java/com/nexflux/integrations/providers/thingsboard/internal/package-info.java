/** Implementation details of the ThingsBoard adapter; may change at any time. */
package com.nexflux.integrations.providers.thingsboard.internal;
