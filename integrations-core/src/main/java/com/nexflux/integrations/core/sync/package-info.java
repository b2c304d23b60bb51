/**
 * Provider-neutral projects and sync: the {@link com.nexflux.integrations.core.sync.Project} model, where projects
 * come from ({@link com.nexflux.integrations.core.sync.ProjectSource}) and go on import
 * ({@link com.nexflux.integrations.core.sync.ProjectSink}), sync jobs keyed by their
 * {@link com.nexflux.integrations.core.sync.SyncTarget} (user, provider, target id), their repository, the job
 * scheduler port, and the one {@link com.nexflux.integrations.core.sync.SyncService} (queue, debounce, retries,
 * last-sync bookkeeping) with a {@link com.nexflux.integrations.core.sync.SyncDestination} per provider.
 */
package com.nexflux.integrations.core.sync;
