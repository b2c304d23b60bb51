package com.nexflux.integrations.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone server as its own JVM: {@code java -jar integrations-app.jar} with the given environment, its
 * output in a log file. {@link #stop()} sends SIGTERM (the server drains and shuts down) and kills it after a bound.
 */
final class ServerUnderTest implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ServerUnderTest(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ServerUnderTest start(Path jar, List<String> jvmOptions, Map<String, String> env, int port, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("DATABASE_") || k.startsWith("AUTH_")
        || k.startsWith("INTEGRATIONS_") || k.startsWith("MQTT_") || k.startsWith("OUTBOUND_")
        || k.startsWith("USERS_") || k.equals("PORT") || k.equals("BIND_HOST") || k.equals("DEFAULT_MQTT_BROKER_URL"));
    pb.environment().putAll(env);
    return new ServerUnderTest(pb.start(), port, log);
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** Polls {@code GET /health/ready} until it answers 200, the process dies, or {@code timeoutMs} passes. */
  boolean awaitReady(long timeoutMs) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    byte[] ready = RawHttp.get(port, "/health/ready", null);
    while (System.nanoTime() < end && process.isAlive()) {
      try (RawHttp http = new RawHttp(port, 2_000)) {
        if (http.exchange(ready).status() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** @return the last {@code lines} lines of the server's log */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, up to 40 s for the graceful shutdown, then SIGKILL. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
