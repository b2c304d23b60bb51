package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Test data for the OAuth, identity and sync-job adapters. */
final class OAuthFixtures {
  static final EncryptedSecret ACCESS = new EncryptedSecret("YWNjZXNzLXRva2VuLWNpcGhlcnRleHQ=");
  static final EncryptedSecret REFRESH = new EncryptedSecret("cmVmcmVzaC10b2tlbi1jaXBoZXJ0ZXh0");

  private OAuthFixtures() {}

  /** A connected GitHub connection whose access token expires {@code expiresIn} after T0. */
  static OAuthConnection github(UserId user, Duration expiresIn) {
    return new OAuthConnection(user, Provider.GITHUB, ConnectionStatus.CONNECTED, "583231", ACCESS, REFRESH,
        T0.plus(expiresIn), T0.plus(Duration.ofDays(180)), List.of("repo", "read:user"),
        Map.of("login", "octocat", "auto_sync", true, "repository_id", 1296269,
            "labels", List.of("a", "b"), "profile", Map.of("name", "The Octocat", "public_repos", 8)),
        T0, T0, 1);
  }

  static OAuthConnection github(UserId user) {
    return github(user, Duration.ofHours(8));
  }

  static AuditEvent githubEvent(UserId user, String action, Instant at) {
    return new AuditEvent(UUID.randomUUID(), user, Provider.GITHUB, action, AuditEvent.Outcome.SUCCESS, null,
        RequestContext.internal("req-" + UUID.randomUUID()), at, Map.of("account_id", "583231"));
  }

  static AuditEvent githubEvent(UserId user, String action) {
    return githubEvent(user, action, T0);
  }

  /** A second, independent data source on the same database (another "server instance"). */
  static DataSource secondInstance(String jdbcUrl) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl);
    return ds;
  }

  /** Runs every task at once on its own thread (released together) and returns their results in order. */
  static <T> List<T> concurrently(Collection<? extends Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          go.await();
          return task.call();
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
