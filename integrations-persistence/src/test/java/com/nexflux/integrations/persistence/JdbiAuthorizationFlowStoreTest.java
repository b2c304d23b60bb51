package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.FlowPurpose;
import com.nexflux.integrations.core.oauth.PendingAuthorization;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiAuthorizationFlowStoreTest {
  private TestDatabase db;
  private DataSource ds;
  private JdbiAuthorizationFlowStore store;

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
    ds = db.dataSource();
    store = new JdbiAuthorizationFlowStore(ds);
  }

  private static String hash(String seed) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PendingAuthorization link(String state, UserId user) {
    return new PendingAuthorization(hash(state), hash("browser-" + state), Provider.GITHUB, FlowPurpose.LINK, user,
        URI.create("https://integrations.example.com/api/integrations/github/callback"),
        new EncryptedSecret("dmVyaWZpZXItY2lwaGVydGV4dA=="), List.of("repo", "read:user"), T0.plusNanos(999),
        T0.plus(Duration.ofMinutes(10)));
  }

  private static PendingAuthorization signIn(String state) {
    return new PendingAuthorization(hash(state), hash("b-" + state), Provider.GITHUB, FlowPurpose.SIGN_IN, null,
        URI.create("https://integrations.example.com/api/auth/github/callback"), new EncryptedSecret("djI="),
        List.of(), T0, T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void keepsTheNonceHashReturnPathAndAddedScopes() {
    UserId user = new UserId(UUID.randomUUID());
    PendingAuthorization plain = link("state-v3", user);
    PendingAuthorization flow = new PendingAuthorization(plain.stateHash(), plain.browserBindingHash(),
        Provider.GOOGLE, FlowPurpose.LINK, user, plain.redirectUri(), plain.codeVerifier(),
        List.of("openid", "drive.file"), plain.createdAt(), plain.expiresAt(), hash("nonce"), "/projects/7?tab=sync",
        List.of("drive.file"));
    store.save(flow);

    assertThat(Sql.rows(ds, "SELECT nonce_hash, return_to, added_scopes::text AS added FROM oauth_authorizations")
        .get(0)).containsEntry("nonce_hash", hash("nonce")).containsEntry("return_to", "/projects/7?tab=sync")
        .containsEntry("added", "[\"drive.file\"]");
    PendingAuthorization back = store.consume(flow.stateHash()).orElseThrow();
    assertThat(back.nonceHash()).isEqualTo(hash("nonce"));
    assertThat(back.returnTo()).isEqualTo("/projects/7?tab=sync");
    assertThat(back.addedScopes()).containsExactly("drive.file");

    store.save(signIn("state-v3b"));
    PendingAuthorization none = store.consume(hash("state-v3b")).orElseThrow();
    assertThat(none.nonceHash()).isNull();
    assertThat(none.returnTo()).isNull();
    assertThat(none.addedScopes()).isEmpty();
  }

  @Test
  void savesAndConsumesEveryField() {
    UserId user = new UserId(UUID.randomUUID());
    PendingAuthorization flow = link("state-1", user);
    store.save(flow);

    Map<String, Object> row = Sql.rows(ds, "SELECT purpose, provider, scopes::text AS scopes, "
        + "code_verifier_encrypted, created_at::text AS created_at FROM oauth_authorizations").get(0);
    assertThat(row).containsEntry("purpose", "link").containsEntry("provider", "github")
        .containsEntry("scopes", "[\"repo\", \"read:user\"]")
        .containsEntry("code_verifier_encrypted", "dmVyaWZpZXItY2lwaGVydGV4dA==");

    PendingAuthorization consumed = store.consume(flow.stateHash()).orElseThrow();
    assertThat(consumed).isEqualTo(new PendingAuthorization(flow.stateHash(), flow.browserBindingHash(),
        flow.provider(), flow.purpose(), user, flow.redirectUri(), flow.codeVerifier(), flow.scopes(), T0,
        flow.expiresAt())); // created_at truncated to microseconds
    assertThat(store.consume(flow.stateHash())).isEmpty();
    assertThat(Sql.count(ds, "SELECT count(*) FROM oauth_authorizations")).isZero();
  }

  @Test
  void signInFlowsHaveNoUser() {
    PendingAuthorization flow = signIn("s");
    store.save(flow);
    PendingAuthorization consumed = store.consume(flow.stateHash()).orElseThrow();
    assertThat(consumed.userId()).isNull();
    assertThat(consumed.purpose()).isEqualTo(FlowPurpose.SIGN_IN);
    assertThat(consumed.scopes()).isEmpty();
  }

  @Test
  void consumeIsSingleUseUnderConcurrency() throws Exception {
    PendingAuthorization flow = link("contended", new UserId(UUID.randomUUID()));
    store.save(flow);
    JdbiAuthorizationFlowStore other = new JdbiAuthorizationFlowStore(OAuthFixtures.secondInstance(db.jdbcUrl()));
    List<Callable<Optional<PendingAuthorization>>> consumers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JdbiAuthorizationFlowStore s = i % 2 == 0 ? store : other;
      consumers.add(() -> s.consume(flow.stateHash()));
    }
    List<Optional<PendingAuthorization>> results = OAuthFixtures.concurrently(consumers);
    assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
    assertThat(results.stream().filter(Optional::isPresent).findFirst().orElseThrow().orElseThrow().stateHash())
        .isEqualTo(flow.stateHash());
  }

  @Test
  void expiredFlowsAreStillConsumableAndPurged() {
    PendingAuthorization expired = link("old", new UserId(UUID.randomUUID()));
    PendingAuthorization fresh = signIn("new");
    PendingAuthorization later = new PendingAuthorization(hash("later"), hash("b"), Provider.GITHUB,
        FlowPurpose.SIGN_IN, null, URI.create("https://x.example.com/cb"), new EncryptedSecret("eA=="), List.of(),
        T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(40)));
    store.save(expired);
    store.save(fresh);
    store.save(later);

    // at T0 + 10 min exactly, nothing has expired "before" now
    assertThat(store.purgeExpired(T0.plus(Duration.ofMinutes(10)))).isZero();
    assertThat(store.consume(expired.stateHash())).isPresent(); // the caller decides it is expired

    assertThat(store.purgeExpired(T0.plus(Duration.ofMinutes(11)))).isEqualTo(1);
    assertThat(store.consume(fresh.stateHash())).isEmpty();
    assertThat(store.consume(later.stateHash())).isPresent();
  }

  @Test
  void aDuplicateStateIsUnavailableAndKeepsTheFirst() {
    PendingAuthorization flow = link("dup", new UserId(UUID.randomUUID()));
    store.save(flow);
    assertThatThrownBy(() -> store.save(withHash(flow)))
        .isInstanceOf(UnavailableException.class);
    assertThat(store.consume(flow.stateHash()).orElseThrow().purpose()).isEqualTo(FlowPurpose.LINK);
  }

  private static PendingAuthorization withHash(PendingAuthorization flow) {
    return new PendingAuthorization(flow.stateHash(), "other-binding", Provider.GITHUB, FlowPurpose.SIGN_IN, null,
        flow.redirectUri(), flow.codeVerifier(), List.of(), T0, T0);
  }
}
