/**
 * The provider seam: what every integration contributes (its descriptor, its status for the overview) and the
 * per-user overview of every provider built from them.
 */
package com.nexflux.integrations.core.provider;
