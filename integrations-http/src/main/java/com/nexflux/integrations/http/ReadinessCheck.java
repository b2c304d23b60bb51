package com.nexflux.integrations.http;

/**
 * Tells {@code GET /health/ready} whether the service can take traffic (typically: the database answers).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ReadinessCheck {

  /**
   * Returns normally when ready.
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when not ready; any other exception is
   *     treated the same way (logged, answered with 503 {@code UNAVAILABLE})
   */
  void check();
}
