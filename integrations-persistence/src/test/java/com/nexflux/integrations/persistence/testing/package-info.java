/**
 * Reusable test fixtures for real PostgreSQL, shipped in the {@code integrations-persistence} test-jar:
 * {@link com.nexflux.integrations.persistence.testing.TestDatabase} (one embedded server per JVM, a fresh migrated
 * database per test) and {@link com.nexflux.integrations.persistence.testing.Sql} (raw JDBC helpers).
 */
package com.nexflux.integrations.persistence.testing;
