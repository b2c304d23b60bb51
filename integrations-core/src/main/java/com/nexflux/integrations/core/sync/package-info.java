/**
 * Provider-neutral projects and sync: the {@link com.nexflux.integrations.core.sync.Project} model, where projects
 * come from ({@link com.nexflux.integrations.core.sync.ProjectSource}), sync jobs, their repository and the job
 * scheduler port.
 */
package com.nexflux.integrations.core.sync;
