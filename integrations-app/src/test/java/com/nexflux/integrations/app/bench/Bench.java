package com.nexflux.integrations.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.EmbeddedDatabase;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import com.nexflux.integrations.providers.testing.SilentListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The benchmark of {@code docs/performance.md}; run it with {@code scripts/bench.sh}. A main class on the test
 * class path, never a test: it measures, prints a report and exits 0 whatever the figures (1 only when it cannot
 * run at all).
 *
 * <p>What it does, all on 127.0.0.1:
 * <ol>
 *   <li>starts a throw-away embedded PostgreSQL, a {@link SilentListener} (accepts TCP, never answers) and the
 *       standalone server as its own JVM ({@code java -jar integrations-app.jar}) with {@code DATABASE_URL},
 *       a fresh keyset, a random {@code AUTH_JWT_SECRET}, {@code OUTBOUND_ALLOWED_NETWORKS=127.0.0.0/8} and
 *       {@code MQTT_TEST_TIMEOUT_MS=5000};</li>
 *   <li>creates {@code BENCH_CONNECTIONS} (32) users with saved MQTT settings (PUT) and {@code BENCH_HUNG_TESTS}
 *       (200) other users, admitted by one GET each, so neither provisioning nor the per-user test limit is what
 *       is measured;</li>
 *   <li>warms up, then runs {@code BENCH_ROUNDS} (3) rounds of closed-loop load with one connection per user:
 *       {@code GET /health/ready} (the floor: one database round trip), {@code GET …/integrations/mqtt} and
 *       {@code GET /api/v1/users/me/integrations} (the overview), each for {@code BENCH_SECONDS} (8) after 1 s of
 *       ramp, the order rotated by one endpoint per round. Any answer but 200 is an error; no body is parsed, so
 *       an older server jar ({@code BENCH_JAR}) whose overview has fewer fields is measured the same way;</li>
 *   <li>runs one warm-up and {@code BENCH_ROUNDS} measured batches of {@code BENCH_HUNG_TESTS} concurrent
 *       {@code POST …/mqtt/test} against the silent listener while the same GET load runs: GET is measured for
 *       {@code BENCH_IDLE_SECONDS} (5) before the batch (idle) and from the batch's start to its last answer
 *       (during);</li>
 *   <li>prints the figures and a PASS/FAIL line per target, and writes them to
 *       {@code integrations-app/target/bench/results.md}; prints machine-readable {@code bench-summary} lines
 *       (one per endpoint and round, one per target) and writes them to
 *       {@code integrations-app/target/bench/summary.txt}, so two runs can be compared line by line.</li>
 * </ol>
 * Every loop is bounded in count and time; a watchdog ends the run after {@code BENCH_MAX_MINUTES} (20).
 */
public final class Bench {
  private static final String MQTT = "/api/v1/users/me/integrations/mqtt";
  private static final String MQTT_TEST = MQTT + "/test";
  private static final String READY = "/health/ready";
  private static final String OVERVIEW = "/api/v1/users/me/integrations";
  /** The closed-loop endpoints, in the order of round 1; each later round starts one further on. */
  private static final List<String> ENDPOINTS = List.of(READY, MQTT, OVERVIEW);
  /** The overview's target: its throughput at least the MQTT endpoint's divided by this. */
  private static final double OVERVIEW_MAX_FACTOR = 1.3;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Above this many cores used by processes outside the benchmark in a measured window, the report warns. */
  private static final double OTHER_LOAD_WARNING = 0.25;

  private final int connections = intEnv("BENCH_CONNECTIONS", 32);
  private final int hungTests = intEnv("BENCH_HUNG_TESTS", 200);
  private final int rounds = intEnv("BENCH_ROUNDS", 3);
  private final int seconds = intEnv("BENCH_SECONDS", 8);
  private final int idleSeconds = intEnv("BENCH_IDLE_SECONDS", 5);
  private final int warmupSeconds = intEnv("BENCH_WARMUP_SECONDS", 30);
  private final int testTimeoutMs = intEnv("BENCH_MQTT_TEST_TIMEOUT_MS", 5000);
  private final int maxMinutes = intEnv("BENCH_MAX_MINUTES", 20);
  private final String poolSize = System.getenv("BENCH_DATABASE_POOL_SIZE");
  private final String serverJavaOpts = System.getenv().getOrDefault("BENCH_SERVER_JAVA_OPTS", "");
  private final Path outDir = Path.of(System.getenv().getOrDefault("BENCH_OUT_DIR", "integrations-app/target/bench"));
  private final Path jar = Path.of(System.getenv().getOrDefault("BENCH_JAR", "integrations-app/target/integrations-app.jar"));
  private final long hardDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);

  private EmbeddedDatabase database;
  private SilentListener silent;
  private ServerUnderTest server;
  private Path dataDir;
  private boolean cleanedUp;

  /** One measured closed-loop phase; {@code endpoint} is "GET " + the path. */
  record Phase(String endpoint, int round, Samples.Window window, CpuMeter.Usage cpu) {
    boolean is(String path) {
      return endpoint.equals("GET " + path);
    }
  }

  /** One answered (or not) connection test. */
  record TestOutcome(boolean answered, long latencyNanos, int status, String code, String failure) {}

  /** One batch of hung tests with the GET load measured around it. */
  record HungRound(String label, List<TestOutcome> tests, int accepted, Samples.Window idle, Samples.Window during,
      CpuMeter.Usage idleCpu, CpuMeter.Usage duringCpu, String getError, String timeline) {}

  public static void main(String[] args) {
    Bench bench = new Bench();
    Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup, "bench-cleanup"));
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(bench.maxMinutes));
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("bench: still running after " + bench.maxMinutes + " min (BENCH_MAX_MINUTES); giving up");
      bench.cleanup();
      Runtime.getRuntime().halt(3);
    }, "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int status;
    try {
      status = bench.run();
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    } finally {
      bench.cleanup();
    }
    System.exit(status);
  }

  private int run() throws Exception {
    Files.createDirectories(outDir);
    String machine = machine();
    System.out.println("bench: " + machine.replace("\n", "; "));

    database = EmbeddedDatabase.startTemporary();
    silent = new SilentListener();
    dataDir = Files.createTempDirectory("nexflux-bench-");
    byte[] secretBytes = new byte[48];
    new SecureRandom().nextBytes(secretBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    int port = LoopbackPorts.freePort();

    Map<String, String> env = new LinkedHashMap<>();
    env.put("PORT", Integer.toString(port));
    env.put("BIND_HOST", "127.0.0.1");
    env.put("DATABASE_URL", database.jdbcUrl());
    env.put("INTEGRATIONS_DATA_DIR", dataDir.toString());
    env.put("INTEGRATIONS_KEYSET", TinkSecretCipher.generateKeysetJson());
    env.put("AUTH_JWT_SECRET", secret);
    env.put("OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8");
    env.put("MQTT_TEST_TIMEOUT_MS", Integer.toString(testTimeoutMs));
    if (poolSize != null && !poolSize.isBlank()) {
      env.put("DATABASE_POOL_SIZE", poolSize.trim());
    }
    List<String> jvmOptions = serverJavaOpts.isBlank() ? List.of() : Arrays.asList(serverJavaOpts.trim().split("\\s+"));
    Path log = outDir.resolve("server.log").toAbsolutePath();
    System.out.printf("bench: server %s on 127.0.0.1:%d (log %s), PostgreSQL on 127.0.0.1:%d, silent listener on "
        + "127.0.0.1:%d%n", jar, port, log, database.port(), silent.port());
    server = ServerUnderTest.start(jar, jvmOptions, env, port, log);
    if (!server.awaitReady(120_000)) {
      System.err.println("bench: the server did not become ready; last log lines:\n" + server.tail(40));
      return 1;
    }
    CpuMeter cpu = new CpuMeter(server.pid(), database.port());
    if (!cpu.seesPostgres()) {
      System.out.println("bench: PostgreSQL processes not found; their CPU is counted as other");
    }

    byte[] secretKey = secret.getBytes(StandardCharsets.UTF_8);
    List<String> getTokens = tokens(secretKey, connections);
    List<String> testTokens = tokens(secretKey, hungTests);
    String brokerUrl = "mqtt://127.0.0.1:" + silent.port();
    setUp(port, getTokens, testTokens, brokerUrl);

    Map<String, List<byte[]>> requests = new LinkedHashMap<>();
    for (String path : ENDPOINTS) {
      List<byte[]> list = new ArrayList<>();
      for (String token : getTokens) {
        list.add(RawHttp.get(port, path, path.equals(READY) ? null : token));
      }
      requests.put(path, list);
    }
    List<byte[]> getRequests = requests.get(MQTT);

    System.out.printf("bench: warm-up %d s%n", warmupSeconds);
    int warmed = 0;
    for (int i = 0; i < ENDPOINTS.size(); i++) { // the warm-up split evenly over the endpoints
      int share = Math.max(1, warmupSeconds * (i + 1) / ENDPOINTS.size() - warmed);
      warmed += share;
      measure(port, "warm-up", 0, requests.get(ENDPOINTS.get(i)), cpu, share);
    }

    List<Phase> phases = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      for (int i = 0; i < ENDPOINTS.size(); i++) {
        // rotated: round 1 floor, mqtt, overview; round 2 mqtt, overview, floor; round 3 overview, floor, mqtt; …
        String path = ENDPOINTS.get((r - 1 + i) % ENDPOINTS.size());
        String name = "GET " + path;
        Phase p = measure(port, name, r, requests.get(path), cpu, seconds);
        System.out.printf("bench: round %d %-45s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  %4.0f µs/req "
            + "server-side CPU%n", r, name, p.window().throughput(), p.window().percentileMs(50),
            p.window().percentileMs(99), p.window().errors(), cpuPerRequestUs(p.window(), p.cpu()));
        phases.add(p);
      }
    }

    List<HungRound> hung = new ArrayList<>();
    String testBody = "{\"broker_url\":\"" + brokerUrl + "\",\"device_id\":\"bench-1\"}";
    for (int r = 0; r <= rounds; r++) {
      HungRound h = hungRound(port, r == 0 ? "warm-up" : Integer.toString(r), getRequests, testTokens, testBody, cpu);
      System.out.printf("bench: hung batch %-7s answered %d/%d, max %.0f ms, codes %s; GET p99 idle %.2f ms, "
          + "during %.2f ms%n", h.label(), answered(h), h.tests().size(), maxAnswerMs(h), codes(h),
          h.idle().percentileMs(99), h.during().percentileMs(99));
      hung.add(h);
    }

    List<String> summary = new ArrayList<>();
    String report = report(machine, phases, hung, summary);
    System.out.println();
    System.out.println(report);
    Files.writeString(outDir.resolve("results.md"), report);
    System.out.println("bench: report written to " + outDir.resolve("results.md").toAbsolutePath());
    System.out.println();
    summary.forEach(System.out::println);
    Files.write(outDir.resolve("summary.txt"), summary);
    System.out.println("bench: summary lines written to " + outDir.resolve("summary.txt").toAbsolutePath());
    if (!server.alive()) {
      System.err.println("bench: the server died during the run; last log lines:\n" + server.tail(40));
    }
    return 0;
  }

  // ---------------------------------------------------------------------------------------------- set-up

  private static List<String> tokens(byte[] secret, int n) {
    List<String> tokens = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tokens.add(JwtAuthenticator.issueHs256(secret, new UserId(UUID.randomUUID()), null, null, Duration.ofHours(2)));
    }
    return tokens;
  }

  /**
   * Saves MQTT settings for the GET users, checks that each of them gets 200 from the overview (only the status:
   * older server jars answer it with fewer fields), and admits the test users (their {@code users} row).
   */
  private void setUp(int port, List<String> getTokens, List<String> testTokens, String brokerUrl) throws IOException {
    try (RawHttp http = new RawHttp(port, 30_000)) {
      for (int i = 0; i < getTokens.size(); i++) {
        String body = "{\"enabled\":true,\"broker_url\":\"" + brokerUrl + "\",\"use_authentication\":true,"
            + "\"username\":\"bench-user-" + i + "\",\"password\":\"bench-password-" + i + "\",\"device_id\":\"bench-"
            + i + "\",\"topic_prefix\":\"nexflux/device\"}";
        RawHttp.Response r = http.exchange(RawHttp.request("PUT", port, MQTT, getTokens.get(i), body));
        if (r.status() != 200) {
          throw new IllegalStateException("PUT mqtt answered " + r.status() + ": " + r.text());
        }
        RawHttp.Response o = http.exchange(RawHttp.get(port, OVERVIEW, getTokens.get(i)));
        if (o.status() != 200) {
          throw new IllegalStateException("GET " + OVERVIEW + " answered " + o.status() + ": " + o.text());
        }
      }
      for (String token : testTokens) {
        RawHttp.Response r = http.exchange(RawHttp.get(port, MQTT, token));
        if (r.status() != 200) {
          throw new IllegalStateException("GET mqtt answered " + r.status() + ": " + r.text());
        }
      }
    }
    System.out.printf("bench: %d users with saved MQTT settings, %d test users admitted%n", getTokens.size(),
        testTokens.size());
  }

  // ---------------------------------------------------------------------------------------------- phases

  private Phase measure(int port, String name, int round, List<byte[]> requests, CpuMeter cpu, int measureSeconds)
      throws InterruptedException {
    ClosedLoop loop = new ClosedLoop("load", port, requests, Math.min(hardDeadline,
        System.nanoTime() + TimeUnit.SECONDS.toNanos(measureSeconds + 60L)));
    try {
      Thread.sleep(1_000); // ramp: connections open, steady state
      CpuMeter.Snapshot a = cpu.take();
      Thread.sleep(TimeUnit.SECONDS.toMillis(measureSeconds));
      CpuMeter.Snapshot b = cpu.take();
      loop.stop();
      Samples.Window w = loop.window(a.nanos(), b.nanos());
      if (w.errors() > 0) {
        System.out.println("bench: " + name + ": " + w.errors() + " errors, first: " + loop.firstError());
      }
      return new Phase(name, round, w, CpuMeter.between(a, b));
    } finally {
      loop.stop();
    }
  }

  private HungRound hungRound(int port, String label, List<byte[]> getRequests, List<String> testTokens,
      String testBody, CpuMeter cpu) throws InterruptedException {
    int n = testTokens.size();
    List<RawHttp> conns = new ArrayList<>(n);
    TestOutcome[] outcomes = new TestOutcome[n];
    long[] ends = new long[n];
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(n);
    List<Thread> threads = new ArrayList<>(n);
    int acceptedBefore = silent.acceptedCount();
    ClosedLoop loop = null;
    try {
      for (int i = 0; i < n; i++) {
        RawHttp c = new RawHttp(port, testTimeoutMs + 15_000);
        conns.add(c);
        try {
          c.connect(); // opened now, so the batch measures the tests, not TCP set-up
        } catch (IOException e) {
          // the exchange will retry and record the failure
        }
        byte[] request = RawHttp.request("POST", port, MQTT_TEST, testTokens.get(i), testBody);
        int index = i;
        Thread t = new Thread(() -> {
          try {
            go.await();
            long start = System.nanoTime();
            try {
              RawHttp.Response r = c.exchange(request);
              ends[index] = System.nanoTime();
              outcomes[index] = new TestOutcome(true, ends[index] - start, r.status(), code(r), null);
            } catch (IOException e) {
              ends[index] = System.nanoTime();
              outcomes[index] = new TestOutcome(false, ends[index] - start, 0, null, e.toString());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        }, "hung-test-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }

      loop = new ClosedLoop("load", port, getRequests, Math.min(hardDeadline,
          System.nanoTime() + TimeUnit.SECONDS.toNanos(idleSeconds + testTimeoutMs / 1000 + 80L)));
      Thread.sleep(1_000);
      CpuMeter.Snapshot s0 = cpu.take();
      Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
      CpuMeter.Snapshot s1 = cpu.take();
      long fire = s1.nanos();
      go.countDown();
      boolean all = done.await(testTimeoutMs + 20_000L, TimeUnit.MILLISECONDS);
      long last = fire;
      for (int i = 0; i < n; i++) {
        if (outcomes[i] != null) {
          last = Math.max(last, ends[i]);
        }
      }
      if (!all) {
        last = System.nanoTime();
      }
      CpuMeter.Snapshot s2 = cpu.take();
      Thread.sleep(500); // a little after the batch, for the timeline
      long stopped = System.nanoTime();
      loop.stop();
      Samples.Window idle = loop.window(s0.nanos(), fire);
      Samples.Window during = loop.window(fire, last);
      CpuMeter.Snapshot s2end = s2.at(Math.max(last, s1.nanos() + 1));
      StringBuilder timeline = new StringBuilder();
      for (long from = fire - 1_000_000_000L; from + 500_000_000L <= stopped; from += 500_000_000L) {
        Samples.Window bin = loop.window(from, from + 500_000_000L);
        timeline.append(String.format(Locale.ROOT, "%+.1f s: %5.0f req/s, p50 %6.2f ms, p99 %6.2f ms, max %6.2f ms%n",
            (from - fire) / 1e9, bin.throughput(), bin.percentileMs(50), bin.percentileMs(99), bin.maxMs()));
      }
      List<TestOutcome> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(outcomes[i] != null ? outcomes[i] : new TestOutcome(false, -1, 0, null, "no answer in time"));
      }
      // the listener counts connections as it accepts them; give it a moment to catch up
      Thread.sleep(200);
      return new HungRound(label, list, silent.acceptedCount() - acceptedBefore, idle, during,
          CpuMeter.between(s0, s1), CpuMeter.between(s1, s2end), loop.firstError(), timeline.toString());
    } finally {
      if (loop != null) {
        loop.stop();
      }
      go.countDown();
      for (RawHttp c : conns) {
        c.close();
      }
      for (Thread t : threads) {
        t.join(1_000);
      }
    }
  }

  private static String code(RawHttp.Response r) {
    try {
      JsonNode root = JSON.readTree(r.body());
      JsonNode data = root.path("data");
      if (data.path("connected").asBoolean(false)) {
        return "connected";
      }
      String code = data.path("error").path("code").asText(null);
      if (code == null) {
        code = root.path("error").path("code").asText(null);
      }
      return code == null ? "?" : code;
    } catch (IOException e) {
      return "unparsable";
    }
  }

  // ---------------------------------------------------------------------------------------------- report

  private static long answered(HungRound h) {
    return h.tests().stream().filter(TestOutcome::answered).count();
  }

  private static double maxAnswerMs(HungRound h) {
    return h.tests().stream().mapToLong(TestOutcome::latencyNanos).max().orElse(-1) / 1e6;
  }

  private static double answerPercentileMs(HungRound h, double p) {
    long[] l = h.tests().stream().filter(TestOutcome::answered).mapToLong(TestOutcome::latencyNanos).sorted().toArray();
    if (l.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * l.length);
    return l[Math.max(0, Math.min(l.length - 1, rank - 1))] / 1e6;
  }

  private static String codes(HungRound h) {
    Map<String, Long> byCode = new TreeMap<>(h.tests().stream().collect(Collectors.groupingBy(
        t -> !t.answered() ? "no answer" : t.status() == 200 ? t.code() : "HTTP " + t.status() + " " + t.code(),
        Collectors.counting())));
    return byCode.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
  }

  private boolean hungPass(HungRound h) {
    double bound = testTimeoutMs + 1000;
    return answered(h) == h.tests().size() && maxAnswerMs(h) <= bound
        && h.tests().stream().allMatch(t -> t.status() == 200
            && ("CONNACK_TIMEOUT".equals(t.code()) || "CONNECT_TIMEOUT".equals(t.code())));
  }

  /**
   * The Markdown report; adds the {@code bench-summary} lines to {@code summary}: space-separated {@code key=value}
   * pairs, values without spaces, the same keys in every run.
   */
  private String report(String machine, List<Phase> phases, List<HungRound> hung, List<String> summary) {
    String label = summaryValue(System.getenv().getOrDefault("BENCH_LABEL",
        System.getenv().getOrDefault("BENCH_REVISION", "unknown")));
    StringBuilder sb = new StringBuilder();
    sb.append("## Results ").append(Instant.now().toString(), 0, 19).append("Z\n\n");
    sb.append("Machine: ").append(machine.replace("\n", "; ")).append("\n\n");
    sb.append("Server: ").append(System.getenv().getOrDefault("BENCH_REVISION", "unknown revision")).append("\n\n");
    sb.append(String.format(Locale.ROOT, "Settings: %d connections, %d rounds × %d s per endpoint (after %d s warm-up "
        + "and 1 s ramp per phase), %d hung tests per batch, MQTT_TEST_TIMEOUT_MS=%d, DATABASE_POOL_SIZE=%s%s.%n%n",
        connections, rounds, seconds, warmupSeconds, hungTests, testTimeoutMs,
        poolSize == null || poolSize.isBlank() ? "10 (default)" : poolSize.trim(),
        serverJavaOpts.isBlank() ? "" : ", server JVM options `" + serverJavaOpts.trim() + "`"));

    double otherMax = 0;
    for (Phase p : phases) {
      otherMax = Math.max(otherMax, p.cpu().otherCores());
    }
    for (HungRound h : hung) {
      otherMax = Math.max(otherMax, Math.max(h.idleCpu().otherCores(), h.duringCpu().otherCores()));
    }
    summary.add(String.format(Locale.ROOT, "bench-summary label=%s server=%s connections=%d rounds=%d seconds=%d "
        + "warmup_seconds=%d pool_size=%s other_cores_max=%.2f disturbed=%s", label,
        summaryValue(System.getenv().getOrDefault("BENCH_REVISION", "unknown")), connections, rounds, seconds,
        warmupSeconds, poolSize == null || poolSize.isBlank() ? "default" : summaryValue(poolSize), otherMax,
        otherMax > OTHER_LOAD_WARNING ? "yes" : "no"));
    if (otherMax > OTHER_LOAD_WARNING) {
      sb.append(String.format(Locale.ROOT, "**Warning: other processes on the machine used up to %.2f cores during a "
          + "measured window (column \"other\"); these figures are disturbed. Rerun on a quiet machine.**%n%n",
          otherMax));
    }
    sb.append("### Throughput and latency (closed loop, ").append(connections).append(" connections)\n\n");
    sb.append("| Round | Endpoint | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | CPU cores: server JVM / "
        + "PostgreSQL / load generator / other | server-side CPU µs/req |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---|---:|\n");
    for (Phase p : phases) {
      sb.append(phaseRow(Integer.toString(p.round()), p.endpoint(), p.window(), p.cpu()));
      summary.add(endpointSummary(label, Integer.toString(p.round()), p.endpoint(), p.window(), p.cpu()));
    }
    Map<String, Samples.Window> pooled = new LinkedHashMap<>();
    Map<String, CpuMeter.Usage> pooledCpu = new LinkedHashMap<>();
    for (String path : ENDPOINTS) {
      pooled.put(path, Samples.Window.pool(phases.stream().filter(p -> p.is(path)).map(Phase::window).toList()));
      pooledCpu.put(path, avgCpu(phases, path));
      sb.append(phaseRow("all", "GET " + path, pooled.get(path), pooledCpu.get(path)));
      summary.add(endpointSummary(label, "all", "GET " + path, pooled.get(path), pooledCpu.get(path)));
    }
    Samples.Window floor = pooled.get(READY);
    Samples.Window get = pooled.get(MQTT);
    Samples.Window overview = pooled.get(OVERVIEW);
    sb.append('\n');

    sb.append("### ").append(hungTests).append(" concurrent tests against a listener that never answers, with the GET "
        + "load running\n\n");
    sb.append("| Batch | answered | at the listener | answer p50 ms | answer p99 ms | answer max ms | results | "
        + "GET idle req/s | GET idle p99 ms | GET during req/s | GET during p99 ms | during/idle p99 | CPU cores "
        + "idle → during: server JVM / PostgreSQL / load generator / other |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|\n");
    for (HungRound h : hung) {
      sb.append(String.format(Locale.ROOT, "| %s | %d/%d | %d | %.0f | %.0f | %.0f | %s | %.0f | %.2f | %.0f | %.2f | "
          + "%.2f | %s → %s |%n", h.label(), answered(h), h.tests().size(), h.accepted(),
          answerPercentileMs(h, 50), answerPercentileMs(h, 99), maxAnswerMs(h), codes(h), h.idle().throughput(),
          h.idle().percentileMs(99), h.during().throughput(), h.during().percentileMs(99),
          h.during().percentileMs(99) / h.idle().percentileMs(99), cores(h.idleCpu()), cores(h.duringCpu())));
    }
    List<HungRound> measured = hung.stream().filter(h -> !h.label().equals("warm-up")).toList();
    Samples.Window idle = Samples.Window.pool(measured.stream().map(HungRound::idle).toList());
    Samples.Window during = Samples.Window.pool(measured.stream().map(HungRound::during).toList());
    sb.append(String.format(Locale.ROOT, "| measured batches pooled | | | | | | | %.0f | %.2f | %.0f | %.2f | %.2f | |%n%n",
        idle.throughput(), idle.percentileMs(99), during.throughput(), during.percentileMs(99),
        during.percentileMs(99) / idle.percentileMs(99)));
    long getErrors = hung.stream().mapToLong(h -> h.idle().errors() + h.during().errors()).sum();
    if (getErrors > 0) {
      sb.append("GET errors around the batches: ").append(getErrors).append(" (first: ")
          .append(hung.stream().map(HungRound::getError).filter(e -> e != null).findFirst().orElse("?"))
          .append(")\n\n");
    }

    for (HungRound h : hung) {
      sb.append("GET mqtt around batch ").append(h.label()).append(" (500 ms bins by completion time; 0 = the batch "
          + "starts):\n\n```\n").append(h.timeline()).append("```\n\n");
    }
    sb.append("### Targets\n\n| Target | Measured | Verdict |\n|---|---|---|\n");
    double ratio = get.throughput() / floor.throughput();
    double minRatio = Double.MAX_VALUE;
    double maxRatio = 0;
    for (int r = 1; r <= rounds; r++) {
      double f = roundThroughput(phases, r, READY);
      double g = roundThroughput(phases, r, MQTT);
      minRatio = Math.min(minRatio, g / f);
      maxRatio = Math.max(maxRatio, g / f);
    }
    sb.append(String.format(Locale.ROOT, "| GET mqtt throughput ≥ 70%% of the floor's (`/health/ready`) | %.0f vs %.0f "
        + "req/s = %.0f%% (rounds %.0f%%–%.0f%%) | %s |%n", get.throughput(), floor.throughput(), 100 * ratio,
        100 * minRatio, 100 * maxRatio, ratio >= 0.70 ? "PASS" : "FAIL"));
    summary.add(String.format(Locale.ROOT, "bench-summary label=%s target=mqtt_vs_floor rps_ratio=%.3f "
        + "rps_ratio_min=%.3f rps_ratio_max=%.3f verdict=%s", label, ratio, minRatio, maxRatio,
        ratio >= 0.70 ? "PASS" : "FAIL"));

    // The overview against GET mqtt: both ratios are "overview cost / mqtt cost", so 1.30 is the bound of both;
    // the verdict uses throughput (the pooled rounds), the CPU ratio is beside it because the machine is noisy.
    double rpsFactor = get.throughput() / overview.throughput();
    double cpuFactor = cpuPerRequestUs(overview, pooledCpu.get(OVERVIEW)) / cpuPerRequestUs(get, pooledCpu.get(MQTT));
    double minFactor = Double.MAX_VALUE;
    double maxFactor = 0;
    for (int r = 1; r <= rounds; r++) {
      double f = roundThroughput(phases, r, MQTT) / roundThroughput(phases, r, OVERVIEW);
      minFactor = Math.min(minFactor, f);
      maxFactor = Math.max(maxFactor, f);
    }
    boolean overviewPass = overview.throughput() >= get.throughput() / OVERVIEW_MAX_FACTOR;
    sb.append(String.format(Locale.ROOT, "| overview within %.1f× of GET …/mqtt: `GET %s` throughput ≥ GET mqtt "
        + "throughput / %.1f | throughput %.0f vs %.0f req/s: mqtt/overview = %.2f× (rounds %.2f×–%.2f×); "
        + "server-side CPU %.0f vs %.0f µs/req: overview/mqtt = %.2f× | %s |%n", OVERVIEW_MAX_FACTOR, OVERVIEW,
        OVERVIEW_MAX_FACTOR, overview.throughput(), get.throughput(), rpsFactor, minFactor, maxFactor,
        cpuPerRequestUs(overview, pooledCpu.get(OVERVIEW)), cpuPerRequestUs(get, pooledCpu.get(MQTT)), cpuFactor,
        overviewPass ? "PASS" : "FAIL"));
    summary.add(String.format(Locale.ROOT, "bench-summary label=%s target=overview_vs_mqtt rps_factor=%.3f "
        + "rps_factor_min=%.3f rps_factor_max=%.3f cpu_factor=%.3f bound=%.2f verdict=%s", label, rpsFactor,
        minFactor, maxFactor, cpuFactor, OVERVIEW_MAX_FACTOR, overviewPass ? "PASS" : "FAIL"));
    boolean allHung = hung.stream().allMatch(this::hungPass);
    long total = hung.stream().mapToLong(h -> h.tests().size()).sum();
    long ok = hung.stream().mapToLong(Bench::answered).sum();
    double worst = hung.stream().mapToDouble(Bench::maxAnswerMs).max().orElse(Double.NaN);
    sb.append(String.format(Locale.ROOT, "| all %d hung tests answer within MQTT_TEST_TIMEOUT_MS + 1 s = %d ms, with "
        + "CONNACK_TIMEOUT or CONNECT_TIMEOUT (every batch, warm-up included) | %d/%d answered, slowest %.0f ms | %s |%n",
        hungTests, testTimeoutMs + 1000, ok, total, worst, allHung ? "PASS" : "FAIL"));
    summary.add(String.format(Locale.ROOT, "bench-summary label=%s target=hung_tests answered=%d total=%d "
        + "slowest_ms=%.0f bound_ms=%d verdict=%s", label, ok, total, worst, testTimeoutMs + 1000,
        allHung ? "PASS" : "FAIL"));
    double p99Ratio = during.percentileMs(99) / idle.percentileMs(99);
    sb.append(String.format(Locale.ROOT, "| GET mqtt p99 during the hung tests ≤ 2× idle p99 (measured batches "
        + "pooled; idle = the %d s just before each batch) | %.2f ms vs %.2f ms = %.2f× (vs the GET rounds' p99 "
        + "%.2f ms: %.2f×) | %s |%n", idleSeconds, during.percentileMs(99), idle.percentileMs(99), p99Ratio,
        get.percentileMs(99), during.percentileMs(99) / get.percentileMs(99), p99Ratio <= 2.0 ? "PASS" : "FAIL"));
    summary.add(String.format(Locale.ROOT, "bench-summary label=%s target=mqtt_p99_during_hung idle_p99_ms=%.2f "
        + "during_p99_ms=%.2f p99_ratio=%.3f verdict=%s", label, idle.percentileMs(99), during.percentileMs(99),
        p99Ratio, p99Ratio <= 2.0 ? "PASS" : "FAIL"));
    return sb.toString();
  }

  private static double roundThroughput(List<Phase> phases, int round, String path) {
    return phases.stream().filter(p -> p.round() == round && p.is(path)).mapToDouble(p -> p.window().throughput())
        .sum();
  }

  /** Server JVM + PostgreSQL CPU time per successful request, in µs; NaN without one. */
  private static double cpuPerRequestUs(Samples.Window w, CpuMeter.Usage cpu) {
    return w.ok() == 0 ? Double.NaN : cpu.serverSideCores() * w.seconds() * 1e6 / w.ok();
  }

  private static String endpointSummary(String label, String round, String endpoint, Samples.Window w,
      CpuMeter.Usage cpu) {
    return String.format(Locale.ROOT, "bench-summary label=%s round=%s endpoint=%s rps=%.0f cpu_us_per_req=%.1f "
        + "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f ok=%d errors=%d server_cores=%.2f postgres_cores=%.2f "
        + "bench_cores=%.2f other_cores=%.2f", label, round, summaryValue(endpoint.substring("GET ".length())),
        w.throughput(), cpuPerRequestUs(w, cpu), w.percentileMs(50), w.percentileMs(90), w.percentileMs(99),
        w.maxMs(), w.ok(), w.errors(), cpu.serverCores(), cpu.postgresCores(), cpu.benchCores(), cpu.otherCores());
  }

  /** A value for a {@code key=value} summary field: whitespace becomes '_', never empty. */
  private static String summaryValue(String v) {
    String s = v == null ? "" : v.trim().replaceAll("\\s+", "_");
    return s.isEmpty() ? "unknown" : s;
  }

  private static CpuMeter.Usage avgCpu(List<Phase> phases, String path) {
    List<CpuMeter.Usage> u = phases.stream().filter(p -> p.is(path)).map(Phase::cpu).toList();
    double s = u.stream().mapToDouble(CpuMeter.Usage::seconds).sum();
    if (s <= 0) {
      return new CpuMeter.Usage(0, 0, 0, 0, 0);
    }
    return new CpuMeter.Usage(
        u.stream().mapToDouble(x -> x.serverCores() * x.seconds()).sum() / s,
        u.stream().mapToDouble(x -> x.postgresCores() * x.seconds()).sum() / s,
        u.stream().mapToDouble(x -> x.benchCores() * x.seconds()).sum() / s,
        u.stream().mapToDouble(x -> x.otherCores() * x.seconds()).sum() / s, s);
  }

  private static String cores(CpuMeter.Usage u) {
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f", u.serverCores(), u.postgresCores(), u.benchCores(),
        u.otherCores());
  }

  private static String phaseRow(String round, String endpoint, Samples.Window w, CpuMeter.Usage cpu) {
    double perRequestUs = cpuPerRequestUs(w, cpu);
    return String.format(Locale.ROOT, "| %s | `%s` | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %.2f / %.2f / %.2f / %.2f | %.0f |%n",
        round, endpoint, w.throughput(), w.percentileMs(50), w.percentileMs(90), w.percentileMs(99), w.maxMs(),
        w.errors(), cpu.serverCores(), cpu.postgresCores(), cpu.benchCores(), cpu.otherCores(), perRequestUs);
  }

  private static String machine() {
    String mem = "?";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          mem = String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    String cpu = "?";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return String.format(Locale.ROOT, "%d CPUs (%s), %s RAM, %s %s (%s), %s %s", Runtime.getRuntime()
        .availableProcessors(), cpu, mem, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("java.vendor"), System.getProperty("os.name"), System.getProperty("os.version"));
  }

  private static int intEnv(String name, int dflt) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    int n = Integer.parseInt(v.trim());
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
    return n;
  }

  private synchronized void cleanup() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    if (server != null) {
      server.stop();
    }
    if (silent != null) {
      silent.close();
    }
    if (database != null) {
      try {
        database.close();
      } catch (RuntimeException e) {
        System.err.println("bench: " + e.getMessage());
      }
    }
    if (dataDir != null) {
      try (var files = Files.walk(dataDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
