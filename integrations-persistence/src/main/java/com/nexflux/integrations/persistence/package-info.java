/**
 * PostgreSQL and Tink adapters for NexFlux Integrations: the public API of the persistence module.
 *
 * <ul>
 *   <li>{@link com.nexflux.integrations.persistence.Migrations} creates and upgrades the schema (Flyway).</li>
 *   <li>{@link com.nexflux.integrations.persistence.PostgresPersistence} wires the JDBI adapters of the core's
 *       outgoing ports ({@link com.nexflux.integrations.persistence.JdbiMqttIntegrationRepository},
 *       {@link com.nexflux.integrations.persistence.JdbiAuditLog},
 *       {@link com.nexflux.integrations.persistence.JdbiUserDirectory}) and
 *       {@link com.nexflux.integrations.persistence.DatabaseHealth} on one shared JDBI instance, and the OAuth and
 *       GitHub adapters of schema version 2 ({@link com.nexflux.integrations.persistence.JdbiAuthorizationFlowStore},
 *       {@link com.nexflux.integrations.persistence.JdbiOAuthConnectionRepository},
 *       {@link com.nexflux.integrations.persistence.JdbiIdentityRepository},
 *       {@link com.nexflux.integrations.persistence.JdbiSyncJobRepository}).</li>
 *   <li>{@link com.nexflux.integrations.persistence.DbSchedulerJobScheduler} runs background jobs cluster-wide on
 *       db-scheduler and its {@code scheduled_tasks} table.</li>
 *   <li>{@link com.nexflux.integrations.persistence.TinkSecretCipher} encrypts stored secrets (AES-256-GCM with
 *       associated data).</li>
 *   <li>{@link com.nexflux.integrations.persistence.DataSources} turns a {@code DATABASE_URL} into a connection
 *       pool; {@link com.nexflux.integrations.persistence.EmbeddedDatabase} runs a local PostgreSQL for development
 *       and tests.</li>
 * </ul>
 *
 * <p>Every adapter translates library failures before they leave it: a database that is down, slow or refusing a
 * statement surfaces as {@link com.nexflux.integrations.core.error.UnavailableException}, never as a JDBI, JDBC or
 * Flyway exception. Exception messages never contain secrets, ciphertexts, key material or passwords.
 *
 * <p><b>Time.</b> The spec's {@code user_integrations} timestamps are {@code TIMESTAMP} (without time zone). They
 * hold UTC wall-clock time: every statement writes them as {@code timezone('UTC', <timestamptz>)} and reads them
 * back as {@code timezone('UTC', column)}, so the JVM's and the database session's time zones never matter.
 * Timestamps are stored with microsecond precision (PostgreSQL's); finer fractions are truncated.
 */
package com.nexflux.integrations.persistence;
