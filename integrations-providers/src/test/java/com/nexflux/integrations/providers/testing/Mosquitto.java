package com.nexflux.integrations.providers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real mosquitto broker ({@code /usr/sbin/mosquitto}, Debian's package) with one MQTT-over-TCP listener on
 * 127.0.0.1 and a free port. With credentials, anonymous clients are refused and a password file made with
 * {@code mosquitto_passwd -c -b} holds the one user; without, anonymous clients are allowed. mosquitto publishes
 * its version retained on {@code $SYS/broker/version}.
 *
 * <p>No WebSocket listener on purpose: this mosquitto build binds WebSocket listeners to every interface whatever
 * the configuration says; use {@link EmbeddedHiveMqBroker} for WebSocket tests.
 *
 * <p>If mosquitto is not installed, {@link #start} throws (the test fails, it is not skipped): install it with
 * {@code apt-get install mosquitto} ({@code scripts/test.sh} does this on CI).
 */
public final class Mosquitto implements AutoCloseable {
  /** The broker binary. */
  public static final Path BINARY = Path.of("/usr/sbin/mosquitto");
  /** The password file tool. */
  public static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
  private static final Pattern VERSION = Pattern.compile("mosquitto version (\\S+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final Path dir;
  private final int port;

  private Mosquitto(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a broker that allows anonymous clients. */
  public static Mosquitto start() {
    return start(Optional.empty());
  }

  /**
   * Starts a broker and waits until its port accepts connections.
   *
   * @param credentials the only user allowed (anonymous clients are then refused), or empty to allow anonymous
   *     clients
   * @throws IllegalStateException if mosquitto is not installed or does not start
   */
  public static Mosquitto start(Optional<BrokerCredentials> credentials) {
    requireInstalled();
    Path dir = TempDirs.create("mosquitto-test-");
    int port = LoopbackPorts.freePort();
    Process process = null;
    try {
      StringBuilder conf = new StringBuilder()
          // we run as root: keep root so mosquitto can read the files in our private temp folder
          .append("user root\n")
          .append("persistence false\n")
          .append("log_dest stderr\n")
          .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n")
          .append("listener ").append(port).append(" 127.0.0.1\n");
      if (credentials.isPresent()) {
        Path passwords = dir.resolve("passwd");
        run(List.of(PASSWD.toString(), "-c", "-b", passwords.toString(), credentials.get().username(),
            credentials.get().password()));
        conf.append("allow_anonymous false\n").append("password_file ").append(passwords).append('\n');
      } else {
        conf.append("allow_anonymous true\n");
      }
      Path confFile = dir.resolve("mosquitto.conf");
      Files.writeString(confFile, conf, StandardCharsets.UTF_8);
      Path log = dir.resolve("mosquitto.log");
      process = new ProcessBuilder(BINARY.toString(), "-c", confFile.toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      Process started = process;
      if (!LoopbackPorts.awaitAccepting(port, START_TIMEOUT, started::isAlive)) {
        String output = Files.exists(log) ? Files.readString(log) : "";
        throw new IllegalStateException("mosquitto did not accept connections on 127.0.0.1:" + port
            + (started.isAlive() ? "" : " (exited with " + started.exitValue() + ")") + "; its output:\n" + output);
      }
      return new Mosquitto(started, dir, port);
    } catch (IOException e) {
      stop(process, dir);
      throw new UncheckedIOException("Could not start mosquitto", e);
    } catch (RuntimeException e) {
      stop(process, dir);
      throw e;
    }
  }

  /**
   * @return the version the installed mosquitto reports in {@code mosquitto -h}, e.g. {@code 2.0.11}
   * @throws IllegalStateException if mosquitto is not installed or says no version
   */
  public static String installedVersion() {
    requireInstalled();
    String output = run(List.of(BINARY.toString(), "-h"));
    Matcher m = VERSION.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("'mosquitto -h' printed no version:\n" + output);
    }
    return m.group(1);
  }

  private static void requireInstalled() {
    if (!Files.isExecutable(BINARY) || !Files.isExecutable(PASSWD)) {
      throw new IllegalStateException("mosquitto is not installed (" + BINARY + ", " + PASSWD + "). These tests"
          + " need Debian's mosquitto: apt-get install mosquitto (scripts/test.sh installs it).");
    }
  }

  /** Runs a command, returns its output; its exit code is not checked ({@code mosquitto -h} exits with 3). */
  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish");
      }
      if (command.get(0).equals(PASSWD.toString()) && p.exitValue() != 0) {
        throw new IllegalStateException("mosquitto_passwd failed (" + p.exitValue() + "): " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** @return the MQTT-over-TCP port on 127.0.0.1 */
  public int port() {
    return port;
  }

  /** @return what mosquitto has logged so far (for assertion messages) */
  public String log() {
    try {
      Path log = dir.resolve("mosquitto.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops mosquitto (SIGTERM, then SIGKILL after 5 s) and deletes its folder. */
  @Override
  public void close() {
    stop(process, dir);
  }

  private static void stop(Process process, Path dir) {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    TempDirs.deleteQuietly(dir);
  }
}
