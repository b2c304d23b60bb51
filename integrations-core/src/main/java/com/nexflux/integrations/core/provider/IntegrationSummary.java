package com.nexflux.integrations.core.provider;

import com.nexflux.integrations.core.domain.Provider;
import java.time.Instant;

/**
 * One line of the user's integration overview.
 *
 * @param provider the integration
 * @param available whether this release implements it
 * @param configured whether the user connected it
 * @param enabled whether it is switched on
 * @param status the provider's status word ({@code not_available} for providers not built yet)
 * @param connectedAt when the user connected it, or {@code null}
 */
public record IntegrationSummary(
    Provider provider, boolean available, boolean configured, boolean enabled, String status, Instant connectedAt) {}
