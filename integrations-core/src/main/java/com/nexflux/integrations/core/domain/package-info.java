/** Value types and aggregates shared by every integration. Records validate themselves in their constructors. */
package com.nexflux.integrations.core.domain;
