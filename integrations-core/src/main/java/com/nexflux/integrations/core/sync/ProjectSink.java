package com.nexflux.integrations.core.sync;

import com.nexflux.integrations.core.domain.UserId;

/**
 * Where imported projects go (SPI): hands a project fetched from a provider (a Drive or OneDrive folder, say) to
 * NexFlux. The standalone server writes {@code PROJECTS_DIR/<project_id>/...}; a hosting service supplies its own.
 */
@FunctionalInterface
public interface ProjectSink {
  /**
   * Stores the project as the user's, replacing a project with the same id.
   *
   * @throws com.nexflux.integrations.core.error.ValidationException when the project cannot be stored as given (a
   *     path that leaves the project's folder, say)
   * @throws com.nexflux.integrations.core.error.UnavailableException when the store fails
   */
  void store(UserId userId, Project project);
}
