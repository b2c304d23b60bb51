package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static com.nexflux.integrations.persistence.Fixtures.provisionedUser;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.github.GitHubSettings;
import com.nexflux.integrations.core.github.GitHubSettingsCodec;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code changeConfig} on real PostgreSQL: a settings update (auto_sync, selected_repos) and a sync recording its
 * last sync, repeated on two threads through two independent data sources ("instances"), never undo each other, and
 * every settings change has its audit row.
 */
class ConfigChangeConcurrencyTest {
  private static final int ROUNDS = 40;

  private TestDatabase db;
  private JdbiOAuthConnectionRepository one;
  private JdbiOAuthConnectionRepository other;
  private UserId user;

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
    one = new JdbiOAuthConnectionRepository(db.dataSource());
    other = new JdbiOAuthConnectionRepository(OAuthFixtures.secondInstance(db.jdbcUrl()));
    user = provisionedUser(db.dataSource());
    // a row in the shape connections have always been stored in
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("username", "octocat");
    config.put("auto_sync", false);
    config.put("selected_repos", List.of());
    OAuthConnection c = OAuthFixtures.github(user);
    one.save(c.withConfig(config, T0), OAuthFixtures.githubEvent(user, AuditEvent.Actions.CONNECT));
  }

  @Test
  void settingsUpdatesAndLastSyncRecordsRacingEachOtherAreAllKept() throws Exception {
    Callable<Integer> settings = () -> {
      for (int i = 1; i <= ROUNDS; i++) {
        boolean on = i % 2 == 0;
        List<Long> selection = LongStream.rangeClosed(1, i).boxed().toList();
        one.changeConfig(user, Provider.GITHUB,
            GitHubSettingsCodec.change(s -> s.withAutoSync(on).withSelectedRepos(selection)), T0,
            OAuthFixtures.githubEvent(user, AuditEvent.Actions.UPDATE)).orElseThrow();
      }
      return ROUNDS;
    };
    Callable<Integer> lastSync = () -> {
      for (int i = 1; i <= ROUNDS; i++) {
        long repository = 1000 + i;
        Instant at = T0.plus(Duration.ofMinutes(i));
        other.changeConfig(user, Provider.GITHUB, GitHubSettingsCodec.change(s -> s.withLastSync(repository, at)),
            at, null).orElseThrow();
      }
      return ROUNDS;
    };

    assertThat(OAuthFixtures.concurrently(List.of(settings, lastSync))).containsExactly(ROUNDS, ROUNDS);

    GitHubSettings stored = GitHubSettingsCodec.decode(one.find(user, Provider.GITHUB).orElseThrow().config());
    assertThat(stored.autoSync()).isTrue(); // the last update (round 40) turned it on
    assertThat(stored.selectedRepos()).isEqualTo(LongStream.rangeClosed(1, ROUNDS).boxed().toList());
    assertThat(stored.lastSync()).hasSize(ROUNDS);
    for (int i = 1; i <= ROUNDS; i++) {
      assertThat(stored.lastSync()).containsEntry(1000L + i, T0.plus(Duration.ofMinutes(i)));
    }
    assertThat(stored.profile().username()).isEqualTo("octocat");
    assertThat(Sql.count(db.dataSource(), "SELECT count(*) FROM integration_audit_log WHERE user_id = ? "
        + "AND action = ?", user.value(), AuditEvent.Actions.UPDATE)).isEqualTo(ROUNDS);
  }

  @Test
  void aChangeOfAMissingRowWritesNothing() {
    UserId nobody = provisionedUser(db.dataSource());
    assertThat(one.changeConfig(nobody, Provider.GITHUB, c -> Map.of("auto_sync", true), T0,
        OAuthFixtures.githubEvent(nobody, AuditEvent.Actions.UPDATE))).isEmpty();
    assertThat(Sql.count(db.dataSource(), "SELECT count(*) FROM integration_audit_log WHERE user_id = ?",
        nobody.value())).isZero();
  }

  @Test
  void aFailingChangeLeavesConfigAndAuditAsTheyWere() {
    Map<String, Object> before = one.find(user, Provider.GITHUB).orElseThrow().config();
    long audits = Sql.count(db.dataSource(), "SELECT count(*) FROM integration_audit_log");
    try {
      one.changeConfig(user, Provider.GITHUB, c -> {
        throw new IllegalStateException("no");
      }, T0, OAuthFixtures.githubEvent(user, AuditEvent.Actions.UPDATE));
    } catch (IllegalStateException expected) {
      // the work's own failure comes back unchanged
    }
    assertThat(one.find(user, Provider.GITHUB).orElseThrow().config()).isEqualTo(before);
    assertThat(Sql.count(db.dataSource(), "SELECT count(*) FROM integration_audit_log")).isEqualTo(audits);
  }
}
