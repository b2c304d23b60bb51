/**
 * Where the standalone server's projects come from:
 * {@link com.nexflux.integrations.providers.projects.FileSystemProjectSource}, the core's
 * {@link com.nexflux.integrations.core.sync.ProjectSource} over {@code PROJECTS_DIR/<project_id>/...}.
 */
package com.nexflux.integrations.providers.projects;
