package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.provisionedUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.IdentityRepository.Linked;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiIdentityRepositoryTest {
  private TestDatabase db;
  private DataSource ds;
  private JdbiIdentityRepository identities;

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
    ds = db.dataSource();
    identities = new JdbiIdentityRepository(ds);
  }

  private static UserId newUser() {
    return new UserId(UUID.randomUUID());
  }

  @Test
  void findOrCreateCreatesTheUserOnceThenFindsIt() {
    UserId candidate = newUser();
    assertThat(identities.findUser(Provider.GITHUB, "583231")).isEmpty();

    assertThat(identities.findOrCreate(Provider.GITHUB, "583231", candidate)).isEqualTo(new Linked(candidate, true));
    assertThat(new JdbiUserDirectory(ds).exists(candidate)).isTrue();
    assertThat(identities.findUser(Provider.GITHUB, "583231")).contains(candidate);

    UserId another = newUser();
    assertThat(identities.findOrCreate(Provider.GITHUB, "583231", another)).isEqualTo(new Linked(candidate, false));
    assertThat(new JdbiUserDirectory(ds).exists(another)).isFalse();
    // the same account id at another provider is another identity
    assertThat(identities.findUser(Provider.GOOGLE, "583231")).isEmpty();
  }

  @Test
  void listsAUsersIdentitiesAndDeletesOneWithItsAuditRowInOneTransaction() {
    UserId alice = provisionedUser(ds);
    UserId bob = provisionedUser(ds);
    identities.linkIfAbsent(Provider.GITHUB, "1", alice);
    identities.linkIfAbsent(Provider.GOOGLE, "g-1", alice);
    identities.linkIfAbsent(Provider.GITHUB, "2", bob);

    assertThat(identities.list(alice)).extracting(i -> i.provider().key() + ":" + i.accountId())
        .containsExactlyInAnyOrder("github:1", "google:g-1");
    assertThat(identities.list(alice)).allSatisfy(i -> assertThat(i.createdAt()).isNotNull());

    assertThat(identities.delete(alice, Provider.GITHUB,
        OAuthFixtures.githubEvent(alice, "auth.identity_remove"))).isTrue();
    assertThat(identities.list(alice)).extracting(i -> i.provider().key()).containsExactly("google");
    assertThat(identities.findUser(Provider.GITHUB, "2")).contains(bob); // bob's identity is untouched
    assertThat(Sql.count(ds, "SELECT count(*) FROM integration_audit_log WHERE action = 'auth.identity_remove'"))
        .isEqualTo(1);
    // idempotent, audited again
    assertThat(identities.delete(alice, Provider.GITHUB,
        OAuthFixtures.githubEvent(alice, "auth.identity_remove"))).isFalse();
    assertThat(Sql.count(ds, "SELECT count(*) FROM integration_audit_log WHERE action = 'auth.identity_remove'"))
        .isEqualTo(2);
  }

  @Test
  void aFailedAuditRowKeepsTheIdentity() {
    UserId alice = provisionedUser(ds);
    identities.linkIfAbsent(Provider.GITHUB, "1", alice);
    // an audit row whose id is already stored fails, so the whole transaction rolls back
    var event = OAuthFixtures.githubEvent(alice, "auth.identity_remove");
    new JdbiAuditLog(ds).append(event);
    assertThatThrownBy(() -> identities.delete(alice, Provider.GITHUB, event))
        .isInstanceOf(UnavailableException.class);
    assertThat(identities.findUser(Provider.GITHUB, "1")).contains(alice);
  }

  @Test
  void aSignInWritesItsAuditRowInTheTransactionThatCreatesTheUserAndTheIdentity() {
    UserId candidate = newUser();
    Linked first = identities.signIn(Provider.GITHUB, "777", candidate,
        linked -> OAuthFixtures.githubEvent(linked.userId(), "auth.sign_in"));
    assertThat(first).isEqualTo(new Linked(candidate, true));
    Linked again = identities.signIn(Provider.GITHUB, "777", newUser(),
        linked -> OAuthFixtures.githubEvent(linked.userId(), "auth.sign_in"));
    assertThat(again).isEqualTo(new Linked(candidate, false));
    assertThat(Sql.count(ds, "SELECT count(*) FROM integration_audit_log WHERE action = 'auth.sign_in' AND user_id = ?",
        candidate.value())).isEqualTo(2);
  }

  @Test
  void aSignInWhoseAuditRowFails_storesNeitherTheUserNorTheIdentity() {
    UserId candidate = newUser();
    var event = OAuthFixtures.githubEvent(provisionedUser(ds), "auth.sign_in");
    new JdbiAuditLog(ds).append(event); // the same id again fails, so the whole transaction rolls back
    assertThatThrownBy(() -> identities.signIn(Provider.GITHUB, "888", candidate, linked -> event))
        .isInstanceOf(UnavailableException.class);
    assertThat(identities.findUser(Provider.GITHUB, "888")).isEmpty();
    assertThat(new JdbiUserDirectory(ds).exists(candidate)).isFalse();
  }

  @Test
  void findOrCreateMayUseAnExistingUsersRow() {
    UserId existing = provisionedUser(ds);
    assertThat(identities.findOrCreate(Provider.GITHUB, "42", existing)).isEqualTo(new Linked(existing, true));
    assertThat(Sql.count(ds, "SELECT count(*) FROM users")).isEqualTo(1);
  }

  @Test
  void concurrentFirstSignInsEndWithOneUser() throws Exception {
    JdbiIdentityRepository otherInstance = new JdbiIdentityRepository(OAuthFixtures.secondInstance(db.jdbcUrl()));
    List<Callable<Linked>> signIns = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      JdbiIdentityRepository repo = i % 2 == 0 ? identities : otherInstance;
      UserId candidate = newUser();
      signIns.add(() -> repo.findOrCreate(Provider.GITHUB, "9001", candidate));
    }
    List<Linked> results = OAuthFixtures.concurrently(signIns);

    assertThat(results.stream().map(Linked::userId).distinct()).hasSize(1);
    assertThat(results.stream().filter(Linked::created)).hasSize(1);
    UserId winner = results.get(0).userId();
    assertThat(identities.findUser(Provider.GITHUB, "9001")).contains(winner);
    // the losers' candidate users were removed again
    assertThat(Sql.count(ds, "SELECT count(*) FROM users")).isEqualTo(1);
    assertThat(Sql.count(ds, "SELECT count(*) FROM user_identities")).isEqualTo(1);
  }

  @Test
  void linkIfAbsentLinksOnlyOnce() {
    UserId first = provisionedUser(ds);
    UserId second = provisionedUser(ds);
    assertThat(identities.linkIfAbsent(Provider.GITHUB, "7", first)).isTrue();
    assertThat(identities.linkIfAbsent(Provider.GITHUB, "7", second)).isFalse();
    assertThat(identities.linkIfAbsent(Provider.GITHUB, "7", first)).isFalse();
    assertThat(identities.findUser(Provider.GITHUB, "7")).contains(first);
  }

  @Test
  void linkingAUserWithoutAUsersRowIsUnavailable() {
    assertThatThrownBy(() -> identities.linkIfAbsent(Provider.GITHUB, "8", newUser()))
        .isInstanceOf(UnavailableException.class);
  }

  @Test
  void accountIdsAreChecked() {
    assertThatThrownBy(() -> identities.findUser(Provider.GITHUB, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> identities.findOrCreate(Provider.GITHUB, "x".repeat(201), newUser()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(identities.findOrCreate(Provider.GITHUB, "x".repeat(200), newUser()).created()).isTrue();
  }

  @Test
  void deletingTheUserRemovesTheLink() {
    UserId user = newUser();
    identities.findOrCreate(Provider.GITHUB, "55", user);
    Sql.exec(ds, "DELETE FROM users WHERE id = ?", user.value());
    assertThat(identities.findUser(Provider.GITHUB, "55")).isEmpty();
  }
}
