package com.nexflux.integrations.core.sync;

import com.nexflux.integrations.core.domain.UserId;
import java.util.Optional;

/**
 * Where project files come from (SPI). The standalone server reads {@code PROJECTS_DIR/<project_id>/...}; a hosting
 * service supplies its own.
 */
@FunctionalInterface
public interface ProjectSource {
  /** @return the user's project, or empty when the user has no such project */
  Optional<Project> load(UserId userId, String projectId);
}
