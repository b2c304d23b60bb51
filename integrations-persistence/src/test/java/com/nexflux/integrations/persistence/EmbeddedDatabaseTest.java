package com.nexflux.integrations.persistence;

import static com.nexflux.integrations.persistence.Fixtures.T0;
import static com.nexflux.integrations.persistence.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.MqttIntegration;
import com.nexflux.integrations.persistence.testing.Sql;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {
  @TempDir
  Path temp;

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aRestartKeepsTheData() throws IOException {
    Path dir = temp.resolve("pgdata");
    UserId user = new UserId(UUID.randomUUID());
    MqttIntegration saved = Fixtures.integration(user, T0);

    try (EmbeddedDatabase first = EmbeddedDatabase.start(dir)) {
      Migrations.migrate(first.dataSource());
      PostgresPersistence p = new PostgresPersistence(first.dataSource());
      p.userDirectory().provision(user);
      p.mqttRepository().save(saved, event(user, AuditEvent.Actions.CONNECT));
      assertThat(first.dataDirectory()).isEqualTo(dir.toAbsolutePath());
    }
    assertThat(dir.resolve("PG_VERSION")).exists();
    assertThat(dir.resolve("postmaster.pid")).doesNotExist();

    int port = freePort();
    try (EmbeddedDatabase second = EmbeddedDatabase.start(dir, port)) {
      assertThat(second.port()).isEqualTo(port);
      assertThat(second.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
      Migrations.migrate(second.dataSource()); // nothing pending
      PostgresPersistence p = new PostgresPersistence(second.dataSource());
      assertThat(p.userDirectory().exists(user)).isTrue();
      assertThat(p.mqttRepository().find(user).orElseThrow()).usingRecursiveComparison().isEqualTo(saved);
      assertThat(p.auditLog().list(user, null, 10).items()).hasSize(1);
    }
  }

  @Test
  void listensOnLoopbackOnly() {
    try (EmbeddedDatabase db = EmbeddedDatabase.startTemporary()) {
      assertThat(Sql.scalar(db.dataSource(), "SHOW listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(Sql.scalar(db.dataSource(), "SHOW unix_socket_directories")).isEqualTo("");
      assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:" + db.port() + "/");
    }
  }

  @Test
  void aTemporaryServerDeletesItsDirectory() {
    Path dataDirectory;
    EmbeddedDatabase db = EmbeddedDatabase.startTemporary();
    try {
      assertThat(db.dataDirectory()).isNull();
      dataDirectory = Path.of((String) Sql.scalar(db.dataSource(), "SHOW data_directory"));
      assertThat(dataDirectory).exists();
    } finally {
      db.close();
    }
    db.close(); // idempotent
    assertThat(Files.exists(dataDirectory)).isFalse();
  }

  @Test
  void refusesADirectoryTheLibraryMightDelete() {
    Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg", "mine");
    assertThatThrownBy(() -> EmbeddedDatabase.start(scratch)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedDatabase.start(temp, 70000)).isInstanceOf(IllegalArgumentException.class);
  }
}
