package com.nexflux.integrations.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * V5__oidc_flows.sql: the OIDC nonce hash, the return path and the added scopes on {@code oauth_authorizations}; a
 * flow row written under V4 survives with no nonce, no return path and no added scopes.
 */
class MigrationV5Test {

  @Test
  void aFlowWrittenBeforeV5KeepsItsColumnsAndGetsTheNewOnesEmpty() {
    DataSource ds = TestDatabase.createEmpty().dataSource();
    MigrationV2Test.migrateTo(ds, "4");
    Sql.exec(ds, """
        INSERT INTO oauth_authorizations (state_hash, browser_binding_hash, provider, purpose, redirect_uri,
                                          code_verifier_encrypted, scopes, created_at, expires_at)
        VALUES ('s', 'b', 'github', 'sign_in', 'http://127.0.0.1/cb', 'dmVy', '["read:user"]',
                '2026-01-15T09:00:00Z', '2026-01-15T09:10:00Z')""");

    Migrations.migrate(ds);

    assertThat(Sql.rows(ds, "SELECT version FROM " + Migrations.HISTORY_TABLE
        + " WHERE version IS NOT NULL ORDER BY installed_rank"))
        .extracting(r -> r.get("version")).containsExactly("1", "2", "4", "5");
    Map<String, Object> row = Sql.rows(ds, "SELECT provider, scopes::text AS scopes, nonce_hash, return_to,"
        + " added_scopes::text AS added FROM oauth_authorizations WHERE state_hash = 's'").get(0);
    assertThat(row.get("provider")).isEqualTo("github");
    assertThat(row.get("scopes")).isEqualTo("[\"read:user\"]");
    assertThat(row.get("nonce_hash")).isNull();
    assertThat(row.get("return_to")).isNull();
    assertThat(row.get("added")).isEqualTo("[]");
    assertThat(Sql.rows(ds, "SELECT column_name FROM information_schema.columns WHERE table_name ="
        + " 'oauth_authorizations' AND column_name IN ('nonce_hash', 'return_to', 'added_scopes')"))
        .hasSize(3);
  }
}
