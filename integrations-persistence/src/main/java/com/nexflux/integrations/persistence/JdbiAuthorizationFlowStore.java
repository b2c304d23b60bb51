package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.FlowPurpose;
import com.nexflux.integrations.core.oauth.PendingAuthorization;
import com.nexflux.integrations.core.oauth.AuthorizationFlowStore;
import com.nexflux.integrations.persistence.internal.Db;
import com.nexflux.integrations.persistence.internal.OAuthRows;
import com.nexflux.integrations.persistence.internal.Timestamps;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.util.PGobject;

/**
 * {@link AuthorizationFlowStore} on the {@code oauth_authorizations} table (V2, V5: nonce hash, return path,
 * added scopes), shared by every server instance.
 *
 * <p>{@link #consume} is a single {@code DELETE ... WHERE state_hash = ? RETURNING ...}: of any number of concurrent
 * callbacks with the same state exactly one gets the row. Expired rows are returned too (the caller reports
 * "expired"); {@link #purgeExpired} removes the ones nobody came back for. {@code purpose} is stored as
 * {@code link} or {@code sign_in}, {@code scopes} as a JSON array, times as {@code timestamptz}.
 */
public final class JdbiAuthorizationFlowStore implements AuthorizationFlowStore {
  private static final String INSERT = """
      INSERT INTO oauth_authorizations
        (state_hash, browser_binding_hash, provider, purpose, user_id, redirect_uri, code_verifier_encrypted, scopes,
         created_at, expires_at, nonce_hash, return_to, added_scopes)
      VALUES
        (:state_hash, :browser_binding_hash, :provider, :purpose, :user_id, :redirect_uri, :code_verifier, :scopes,
         CAST(:created_at AS timestamptz), CAST(:expires_at AS timestamptz), :nonce_hash, :return_to, :added_scopes)
      """;

  private static final String CONSUME = """
      DELETE FROM oauth_authorizations WHERE state_hash = :state_hash
      RETURNING state_hash, browser_binding_hash, provider, purpose, user_id, redirect_uri, code_verifier_encrypted,
                scopes::text AS scopes, created_at, expires_at, nonce_hash, return_to,
                added_scopes::text AS added_scopes
      """;

  private static final String PURGE = "DELETE FROM oauth_authorizations WHERE expires_at < CAST(:now AS timestamptz)";

  private final Jdbi jdbi;

  /** @param dataSource the database (a private JDBI is made on it; {@link PostgresPersistence} shares one) */
  public JdbiAuthorizationFlowStore(DataSource dataSource) {
    this(Db.jdbi(dataSource));
  }

  JdbiAuthorizationFlowStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails (including a state
   *     hash that is already stored)
   */
  @Override
  public void save(PendingAuthorization flow) {
    Objects.requireNonNull(flow, "flow");
    PGobject scopes = OAuthRows.array(flow.scopes());
    Db.run(() -> jdbi.useHandle(h -> h.createUpdate(INSERT)
        .bind("state_hash", flow.stateHash())
        .bind("browser_binding_hash", flow.browserBindingHash())
        .bind("provider", flow.provider().key())
        .bind("purpose", flow.purpose().name().toLowerCase(Locale.ROOT))
        .bind("user_id", flow.userId() == null ? null : flow.userId().value())
        .bind("redirect_uri", flow.redirectUri().toString())
        .bind("code_verifier", flow.codeVerifier().ciphertext())
        .bind("scopes", scopes)
        .bind("created_at", Timestamps.bind(flow.createdAt()))
        .bind("expires_at", Timestamps.bind(flow.expiresAt()))
        .bind("nonce_hash", flow.nonceHash())
        .bind("return_to", flow.returnTo())
        .bind("added_scopes", OAuthRows.array(flow.addedScopes()))
        .execute()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails or the row cannot be
   *     read back (it is gone either way)
   */
  @Override
  public Optional<PendingAuthorization> consume(String stateHash) {
    Objects.requireNonNull(stateHash, "stateHash");
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(CONSUME)
        .bind("state_hash", stateHash)
        .map((rs, ctx) -> map(rs))
        .findOne()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public int purgeExpired(Instant now) {
    Objects.requireNonNull(now, "now");
    return Db.call(() -> jdbi.withHandle(h -> h.createUpdate(PURGE).bind("now", Timestamps.bind(now)).execute()));
  }

  private static PendingAuthorization map(ResultSet rs) throws SQLException {
    try {
      Provider provider = Provider.fromKey(rs.getString("provider"))
          .orElseThrow(() -> new IllegalStateException("unknown provider"));
      FlowPurpose purpose = FlowPurpose.valueOf(rs.getString("purpose").toUpperCase(Locale.ROOT));
      UUID user = rs.getObject("user_id", UUID.class);
      return new PendingAuthorization(rs.getString("state_hash"), rs.getString("browser_binding_hash"), provider,
          purpose, user == null ? null : new UserId(user), URI.create(rs.getString("redirect_uri")),
          new EncryptedSecret(rs.getString("code_verifier_encrypted")), OAuthRows.strings(rs.getString("scopes")),
          Timestamps.read(rs, "created_at"), Timestamps.read(rs, "expires_at"), rs.getString("nonce_hash"),
          rs.getString("return_to"), OAuthRows.strings(rs.getString("added_scopes")));
    } catch (RuntimeException e) {
      throw Db.unreadable("authorization flow", e);
    }
  }

  @Override
  public String toString() {
    return "JdbiAuthorizationFlowStore";
  }
}
