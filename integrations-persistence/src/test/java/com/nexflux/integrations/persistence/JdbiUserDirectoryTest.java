package com.nexflux.integrations.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JdbiUserDirectoryTest {

  @Test
  void provisionsOnceAndIsIdempotent() {
    DataSource ds = TestDatabase.freshDataSource();
    JdbiUserDirectory directory = new JdbiUserDirectory(ds);
    UserId user = new UserId(UUID.randomUUID());
    assertThat(directory.exists(user)).isFalse();
    directory.provision(user);
    directory.provision(user);
    assertThat(directory.exists(user)).isTrue();
    assertThat(directory.exists(new UserId(UUID.randomUUID()))).isFalse();
    assertThat(Sql.count(ds, "SELECT count(*) FROM users")).isEqualTo(1);
  }

  @Test
  void concurrentProvisioningOfOneUserIsSafe() throws Exception {
    DataSource ds = TestDatabase.freshDataSource();
    JdbiUserDirectory directory = new JdbiUserDirectory(ds);
    UserId user = new UserId(UUID.randomUUID());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          directory.provision(user);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Sql.count(ds, "SELECT count(*) FROM users WHERE id = ?", user.value())).isEqualTo(1);
  }
}
