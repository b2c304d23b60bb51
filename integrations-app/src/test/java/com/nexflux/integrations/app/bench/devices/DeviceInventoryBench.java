package com.nexflux.integrations.app.bench.devices;

import com.nexflux.integrations.app.Configuration;
import com.nexflux.integrations.app.StandaloneServer;
import com.nexflux.integrations.app.bench.CpuMeter;
import com.nexflux.integrations.app.bench.RawHttp;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import com.nexflux.integrations.providers.testing.FakeArduinoCloud;
import com.nexflux.integrations.providers.testing.FakeBlynk;
import com.nexflux.integrations.providers.testing.FakeThingsBoard;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The device-inventory benchmark of {@code docs/performance.md}; run it with {@code scripts/bench-devices.sh}. A main
 * class on the test class path, never a test: it measures, prints a report with a PASS/FAIL line per target and
 * exits 0 whatever the figures (1 only when it cannot run at all). Everything listens on 127.0.0.1, in this JVM
 * except PostgreSQL.
 *
 * <p>It starts an embedded PostgreSQL, {@link FakeArduinoCloud}, {@link FakeBlynk} and {@link FakeThingsBoard} each
 * sleeping {@code BENCH_DEV_LATENCY_MS} (50) before every request, and the standalone server in process
 * ({@link StandaloneServer}, as the end-to-end tests do) with {@code ARDUINO_REQUESTS_PER_SECOND} =
 * {@code BENCH_DEV_ARDUINO_RPS} (100, so that Arduino's per-connection rate limit does not hide the latency). One
 * user connects Arduino Cloud ({@code BENCH_DEV_ARDUINO_DEVICES}, 3), Blynk ({@code BENCH_DEV_BLYNK_DEVICES}, 1),
 * ThingsBoard ({@code BENCH_DEV_THINGSBOARD_DEVICES}, 5) and saves MQTT settings; a second user connects only
 * Arduino Cloud and MQTT. Then, in {@code BENCH_DEV_ROUNDS} (3) rounds in rotating order, after a warm-up of
 * {@code BENCH_DEV_WARMUP} (50) requests per endpoint, {@code BENCH_DEV_REQUESTS} (30) sequential requests on one
 * keep-alive connection per endpoint: the three single-provider listings (Arduino with {@code ?refresh=true}),
 * {@code GET …/mqtt}, the cold inventory ({@code ?refresh=true}), the warm inventory (no refresh, within Arduino's
 * cache window) and the warm inventory of the second user. Last, unless {@code BENCH_DEV_DEFAULT_RATE_REQUESTS} is
 * 0, a second server on the same database with Arduino's default rate limit (1 request per second) measures that
 * many Arduino listings and cold inventories. {@code BENCH_DEV_MAX_MINUTES} (10) is a watchdog. The report also goes
 * to {@code integrations-app/target/bench/devices-results.md}.
 */
public final class DeviceInventoryBench {
  static final String JWT_SECRET = "device-inventory-bench-secret-at-least-32-bytes";
  static final String ROOT = "/api/v1/users/me/integrations";
  static final String ARDUINO = ROOT + "/arduino-cloud";
  static final String BLYNK = ROOT + "/blynk";
  static final String THINGSBOARD = ROOT + "/thingsboard";
  static final String MQTT = ROOT + "/mqtt";
  static final String DEVICES = "/api/v1/users/me/devices";
  static final String ARDUINO_CLIENT = "bench-client";
  static final String ARDUINO_SECRET = "bench-secret-never-stored-in-clear";
  static final String TB_USER = "tenant@bench.test";
  static final String TB_PASSWORD = "bench-password";
  static final int ARDUINO_CACHE_SECONDS = 15; // the server's default, not set

  private DeviceInventoryBench() {}

  /** One measured endpoint. */
  enum Endpoint {
    ARDUINO_LIST("`GET …/arduino-cloud?refresh=true`", ARDUINO + "?refresh=true", false, "\"connected\":true"),
    BLYNK_LIST("`GET …/blynk`", BLYNK, false, "\"connected\":true"),
    THINGSBOARD_LIST("`GET …/thingsboard`", THINGSBOARD, false, "\"connected\":true"),
    MQTT_GET("`GET …/mqtt` (baseline)", MQTT, false, "\"device_id\""),
    INVENTORY_COLD("inventory cold: `GET /api/v1/users/me/devices?refresh=true`", DEVICES + "?refresh=true", false,
        "\"errors\":[]"),
    INVENTORY_WARM("inventory warm: `GET /api/v1/users/me/devices`", DEVICES, false, "\"errors\":[]"),
    INVENTORY_WARM_CACHED_ONLY("inventory warm, user with Arduino + MQTT only (informational)", DEVICES, true,
        "\"errors\":[]");

    final String label;
    final String path;
    final boolean secondUser;
    final String mustContain;

    Endpoint(String label, String path, boolean secondUser, String mustContain) {
      this.label = label;
      this.path = path;
      this.secondUser = secondUser;
      this.mustContain = mustContain;
    }

    boolean warm() {
      return this == INVENTORY_WARM || this == INVENTORY_WARM_CACHED_ONLY;
    }
  }

  /** What one block of sequential requests (or all blocks of an endpoint) cost. */
  static final class Tally {
    final List<Long> latencies = new ArrayList<>();
    long wallNanos;
    long serverCpuNanos;
    long fakesCpuNanos;
    long jvmRestCpuNanos;
    double postgresCpuSeconds;
    double otherCoreSeconds;
    long arduinoCalls;
    long blynkCalls;
    long thingsBoardCalls;
    int errors;

    void add(Tally t) {
      latencies.addAll(t.latencies);
      wallNanos += t.wallNanos;
      serverCpuNanos += t.serverCpuNanos;
      fakesCpuNanos += t.fakesCpuNanos;
      jvmRestCpuNanos += t.jvmRestCpuNanos;
      postgresCpuSeconds += t.postgresCpuSeconds;
      otherCoreSeconds += t.otherCoreSeconds;
      arduinoCalls += t.arduinoCalls;
      blynkCalls += t.blynkCalls;
      thingsBoardCalls += t.thingsBoardCalls;
      errors += t.errors;
    }

    double percentileMs(double p) {
      if (latencies.isEmpty()) {
        return Double.NaN;
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      int rank = (int) Math.ceil(p * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double meanMs() {
      return latencies.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e6;
    }

    int n() {
      return latencies.size();
    }

    double perRequest(double total) {
      return latencies.isEmpty() ? Double.NaN : total / latencies.size();
    }
  }

  static final class World implements AutoCloseable {
    final Duration latency;
    final FakeArduinoCloud arduino;
    final FakeBlynk blynk;
    final FakeThingsBoard thingsBoard;
    final TestDatabase database;
    final String keyset = TinkSecretCipher.generateKeysetJson();
    final List<StandaloneServer> servers = new ArrayList<>();
    final CpuMeter cpu;
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    final com.sun.management.OperatingSystemMXBean os;

    World(Duration latency) {
      this.latency = latency;
      arduino = FakeArduinoCloud.start().apiKey(ARDUINO_CLIENT, ARDUINO_SECRET, "bench-account")
          .apiKey(ARDUINO_CLIENT + "-2", ARDUINO_SECRET, "bench-account-2");
      blynk = FakeBlynk.start();
      thingsBoard = FakeThingsBoard.start(Clock.systemUTC());
      database = TestDatabase.createEmpty();
      cpu = new CpuMeter(ProcessHandle.current().pid(), TestDatabase.server().port());
      os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o
          ? o : null;
    }

    /** Turns the added latency on (after the set-up, which needs no benchmark figures). */
    void slowDown() {
      arduino.latency(latency);
      blynk.latency(latency);
      thingsBoard.latency(latency);
    }

    StandaloneServer server(Integer arduinoRps) {
      Map<String, String> env = new HashMap<>();
      env.put("BIND_HOST", "127.0.0.1");
      env.put("PORT", "0");
      env.put("DATABASE_URL", database.jdbcUrl());
      env.put("INTEGRATIONS_KEYSET", keyset);
      env.put("AUTH_JWT_SECRET", JWT_SECRET);
      env.put("OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8");
      env.put("ARDUINO_API_BASE_URL", arduino.baseUrl().toString());
      if (arduinoRps != null) {
        env.put("ARDUINO_REQUESTS_PER_SECOND", arduinoRps.toString());
      }
      env.put("BLYNK_API_BASE_URL", blynk.url("127.0.0.1"));
      env.put("THINGSBOARD_ENABLED", "true");
      StandaloneServer s = StandaloneServer.start(Configuration.fromEnvironment(env));
      servers.add(s);
      return s;
    }

    long arduinoCalls() {
      return arduino.apiRequests() + arduino.tokenRequests();
    }

    long blynkCalls() {
      return blynk.received().size();
    }

    long thingsBoardCalls() {
      return thingsBoard.totalCalls();
    }

    long jvmCpuNanos() {
      return os == null ? 0 : os.getProcessCpuTime();
    }

    long myCpuNanos() {
      return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
    }

    /**
     * CPU time of all live Java threads of this JVM ([0]) and of the fakes' threads ([1]): FakeArduinoCloud's and FakeThingsBoard's pools ({@code fake-*}) and the JDK
     * HttpServers' dispatcher threads ({@code HTTP-Dispatcher}, on which FakeBlynk answers); no other JDK
     * HttpServer runs in this JVM.
     */
    /** CPU time per thread name (threads of the same name, e.g. a pool's, summed; digits dropped). */
    Map<String, Long> cpuByThread() {
      Map<String, Long> out = new HashMap<>();
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null) {
          out.merge(info.getThreadName().replaceAll("\\d+", "#"),
              Math.max(0, threads.getThreadCpuTime(info.getThreadId())), Long::sum);
        }
      }
      return out;
    }

    long[] threadCpuNanos() {
      if (!threads.isThreadCpuTimeSupported()) {
        return new long[] {0, 0};
      }
      long all = 0;
      long fakes = 0;
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long used = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        all += used;
        if (info.getThreadName().startsWith("fake-") || info.getThreadName().equals("HTTP-Dispatcher")) {
          fakes += used;
        }
      }
      return new long[] {all, fakes};
    }

    @Override
    public void close() {
      for (StandaloneServer s : servers) {
        try {
          s.stop();
        } catch (RuntimeException e) {
          System.err.println("bench-devices: stopping a server failed: " + e);
        }
      }
      arduino.close();
      blynk.close();
      thingsBoard.close();
    }
  }

  public static void main(String[] args) {
    // The fakes are JDK HttpServers, which by default leave Nagle's algorithm on: every answer then waits for the
    // client's delayed ACK (~40 ms), a stall of the fake on top of the latency we add on purpose (see the GitHub
    // benchmark). Set before any HttpServer class loads; -Dsun.net.httpserver.nodelay=false brings it back.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    // FakeArduinoCloud's contract checker logs one INFO line per request ("Security scheme 'oauth2' not currently
    // supported"): thousands of lines between the report's.
    if (org.slf4j.LoggerFactory.getLogger("com.atlassian.oai.validator") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.WARN);
    }
    int maxMinutes = intEnv("BENCH_DEV_MAX_MINUTES", 10, 1, 120);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(maxMinutes));
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("bench-devices: still running after " + maxMinutes + " min (BENCH_DEV_MAX_MINUTES); giving up");
      Runtime.getRuntime().halt(3);
    }, "bench-devices-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int code;
    try {
      String report = run();
      System.out.println(report);
      Path out = Path.of("integrations-app", "target", "bench", "devices-results.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report, StandardCharsets.UTF_8);
      System.out.println("bench-devices: report written to " + out.toAbsolutePath());
      code = 0;
    } catch (Exception | AssertionError e) {
      System.err.println("bench-devices: could not run: " + e);
      e.printStackTrace();
      code = 1;
    }
    // the embedded PostgreSQL is stopped by TestDatabase's shutdown hook
    System.exit(code);
  }

  static String run() throws Exception {
    int rounds = intEnv("BENCH_DEV_ROUNDS", 3, 1, 50);
    int requests = intEnv("BENCH_DEV_REQUESTS", 30, 1, 10_000);
    int warmup = intEnv("BENCH_DEV_WARMUP", 50, 0, 10_000);
    int latencyMs = intEnv("BENCH_DEV_LATENCY_MS", 50, 0, 10_000);
    int rps = intEnv("BENCH_DEV_ARDUINO_RPS", 100, 1, 100);
    int defaultRateRequests = intEnv("BENCH_DEV_DEFAULT_RATE_REQUESTS", 5, 0, 1_000);
    int arduinoDevices = intEnv("BENCH_DEV_ARDUINO_DEVICES", 3, 0, 500);
    int blynkDevices = intEnv("BENCH_DEV_BLYNK_DEVICES", 1, 1, 50);
    int tbDevices = intEnv("BENCH_DEV_THINGSBOARD_DEVICES", 5, 0, 1_000);
    Instant started = Instant.now();
    StringBuilder report = new StringBuilder();
    try (World w = new World(Duration.ofMillis(latencyMs))) {
      // the providers' devices
      for (int i = 0; i < arduinoDevices; i++) {
        w.arduino.device("bench-account", new FakeArduinoCloud.Device(UUID.randomUUID().toString(),
            "Arduino " + i, "esp32", i % 2 == 0 ? "ONLINE" : "OFFLINE", Instant.parse("2026-12-01T10:00:00Z")),
            "Thing " + i, List.of(FakeArduinoCloud.property("temperature", "FLOAT", "READ_ONLY", 21.5)));
      }
      w.arduino.device("bench-account-2", new FakeArduinoCloud.Device(UUID.randomUUID().toString(), "Solo",
          "esp32", "ONLINE", null), "Solo thing", List.of());
      List<String> blynkTokens = new ArrayList<>();
      for (int i = 0; i < blynkDevices; i++) {
        String token = UUID.randomUUID().toString().replace("-", "");
        w.blynk.addDevice(token, "127.0.0.1", 0, 1).value(1, Integer.toString(i)).online(i % 2 == 0);
        blynkTokens.add(token);
      }
      FakeThingsBoard.Tenant tenant = w.thingsBoard.user(TB_USER, TB_PASSWORD);
      for (int i = 0; i < tbDevices; i++) {
        tenant.device(String.format(Locale.ROOT, "tb-%03d", i), "default", i % 2 == 0);
      }

      StandaloneServer server = w.server(rps);
      int port = server.port();
      UserId alice = new UserId(UUID.randomUUID());
      UserId bob = new UserId(UUID.randomUUID());
      String aliceToken = token(alice);
      String bobToken = token(bob);
      try (RawHttp http = new RawHttp(port, 60_000)) {
        connect(http, port, aliceToken, "{\"client_id\":\"" + ARDUINO_CLIENT + "\",\"client_secret\":\""
            + ARDUINO_SECRET + "\"}", ARDUINO);
        StringBuilder devices = new StringBuilder("{\"devices\":[");
        for (int i = 0; i < blynkTokens.size(); i++) {
          devices.append(i == 0 ? "" : ",").append("{\"name\":\"Blynk ").append(i).append("\",\"auth_token\":\"")
              .append(blynkTokens.get(i)).append("\"}");
        }
        connect(http, port, aliceToken, devices.append("]}").toString(), BLYNK);
        connect(http, port, aliceToken, "{\"base_url\":\"" + w.thingsBoard.baseUrl() + "\",\"username\":\""
            + TB_USER + "\",\"password\":\"" + TB_PASSWORD + "\"}", THINGSBOARD);
        String mqtt = "{\"enabled\": true, \"broker_url\": \"mqtt://127.0.0.1:1883\", \"use_authentication\":"
            + " false, \"device_id\": \"esp32-bench\", \"topic_prefix\": \"nexflux/device\"}";
        connect(http, port, aliceToken, mqtt, MQTT);
        connect(http, port, bobToken, "{\"client_id\":\"" + ARDUINO_CLIENT + "-2\",\"client_secret\":\""
            + ARDUINO_SECRET + "\"}", ARDUINO);
        connect(http, port, bobToken, mqtt.replace("esp32-bench", "esp32-bob"), MQTT);
        String page = http.exchange(RawHttp.get(port, DEVICES + "?refresh=true", aliceToken)).text();
        int expected = arduinoDevices + blynkDevices + tbDevices + 1;
        int listed = count(page, "\"provider\":") - count(page.substring(Math.max(0, page.indexOf("\"errors\""))),
            "\"provider\":");
        if (!page.contains("\"errors\":[]") || listed != expected) {
          throw new IllegalStateException("the inventory does not list the " + expected + " devices: " + page);
        }
      }

      w.slowDown();
      Map<String, double[]> floors = fakeFloors(w, Math.max(10, requests));
      Map<Endpoint, Tally> all = new LinkedHashMap<>();
      List<Map<Endpoint, Tally>> perRound = new ArrayList<>();
      for (Endpoint e : Endpoint.values()) {
        all.put(e, new Tally());
      }
      try (RawHttp http = new RawHttp(port, 60_000)) {
        for (Endpoint e : Endpoint.values()) {
          measure(w, http, port, e, e.secondUser ? bobToken : aliceToken, warmup);
        }
        Endpoint[] order = Endpoint.values();
        for (int r = 0; r < rounds; r++) {
          Map<Endpoint, Tally> round = new LinkedHashMap<>();
          for (int k = 0; k < order.length; k++) {
            Endpoint e = order[(k + r) % order.length];
            Tally t = measure(w, http, port, e, e.secondUser ? bobToken : aliceToken, requests);
            round.put(e, t);
            all.get(e).add(t);
          }
          perRound.add(round);
        }
      }

      Map<Endpoint, Tally> defaultRate = new LinkedHashMap<>();
      if (defaultRateRequests > 0) {
        StandaloneServer second = w.server(null);
        try (RawHttp http = new RawHttp(second.port(), 60_000)) {
          http.exchange(RawHttp.get(second.port(), MQTT, aliceToken)); // opens the connection
          Thread.sleep(1_100); // a full bucket
          for (Endpoint e : List.of(Endpoint.ARDUINO_LIST, Endpoint.INVENTORY_COLD)) {
            defaultRate.put(e, measure(w, http, second.port(), e, aliceToken, defaultRateRequests));
          }
        }
      }

      report.append(report(w, latencyMs, rps, rounds, requests, warmup, defaultRateRequests, arduinoDevices,
          blynkDevices, tbDevices, floors, all, perRound, defaultRate, started));
    }
    return report.toString();
  }

  static void connect(RawHttp http, int port, String token, String body, String path) throws IOException {
    RawHttp.Response r = http.exchange(RawHttp.request("PUT", port, path, token, body));
    if (r.status() != 200) {
      throw new IllegalStateException("PUT " + path + " answered " + r.status() + ": " + r.text());
    }
  }

  /**
   * {@code n} sequential requests of {@code e} on one connection; for the warm inventory, Arduino's cache is filled
   * (one unmeasured {@code ?refresh=true}) before the block and again when it is older than 10 s, so every measured
   * request falls in the 15 s window. CPU time and wall time are taken over the block, the priming requests left
   * out: the server's work after an answer (if any) is counted too.
   */
  static Tally measure(World w, RawHttp http, int port, Endpoint e, String token, int n) throws IOException {
    byte[] request = RawHttp.get(port, e.path, token);
    byte[] prime = RawHttp.get(port, DEVICES + "?refresh=true", token);
    long primedAt = 0;
    Tally t = new Tally();
    Segment segment = null;
    for (int i = 0; i < n; i++) {
      if (e.warm() && System.nanoTime() - primedAt > TimeUnit.SECONDS.toNanos(ARDUINO_CACHE_SECONDS - 5)) {
        if (segment != null) {
          segment.close(w, t);
        }
        check(e, http.exchange(prime), t); // a failed priming counts as an error of the block
        primedAt = System.nanoTime();
        segment = null;
      }
      if (segment == null) {
        segment = new Segment(w);
      }
      long a0 = w.arduinoCalls();
      long b0 = w.blynkCalls();
      long tb0 = w.thingsBoardCalls();
      long t0 = System.nanoTime();
      RawHttp.Response r = http.exchange(request);
      long t1 = System.nanoTime();
      if (check(e, r, t)) {
        t.latencies.add(t1 - t0);
      }
      t.arduinoCalls += w.arduinoCalls() - a0;
      t.blynkCalls += w.blynkCalls() - b0;
      t.thingsBoardCalls += w.thingsBoardCalls() - tb0;
    }
    if (segment != null) {
      segment.close(w, t);
    }
    return t;
  }

  /** CPU and wall time from its creation to {@link #close}. */
  static final class Segment {
    final CpuMeter.Snapshot cpu;
    final long process;
    final long mine;
    final long[] threads;
    final long nanos;
    final Map<String, Long> threadsAtStart;

    Segment(World w) {
      threadsAtStart = THREAD_REPORT ? w.cpuByThread() : null;
      cpu = w.cpu.take();
      threads = w.threadCpuNanos();
      mine = w.myCpuNanos();
      process = w.jvmCpuNanos();
      nanos = System.nanoTime();
    }

    void close(World w, Tally t) {
      long nanosEnd = System.nanoTime();
      long processEnd = w.jvmCpuNanos();
      long mineEnd = w.myCpuNanos();
      long[] threadsEnd = w.threadCpuNanos();
      CpuMeter.Usage u = CpuMeter.between(cpu, w.cpu.take());
      long allThreads = threadsEnd[0] - threads[0];
      long fakesUsed = threadsEnd[1] - threads[1];
      t.fakesCpuNanos += fakesUsed;
      t.serverCpuNanos += Math.max(0, allThreads - fakesUsed - (mineEnd - mine));
      t.jvmRestCpuNanos += Math.max(0, (processEnd - process) - allThreads);
      t.wallNanos += nanosEnd - nanos;
      t.postgresCpuSeconds += u.postgresCores() * u.seconds();
      t.otherCoreSeconds += u.otherCores() * u.seconds();
      if (threadsAtStart != null) {
        Map<String, Long> now = w.cpuByThread();
        Map<String, Long> used = new HashMap<>();
        now.forEach((name, c) -> used.merge(name, c - threadsAtStart.getOrDefault(name, 0L), Long::sum));
        StringBuilder sb = new StringBuilder("bench-devices: threads' CPU ms over " + f("%.0f", (nanosEnd - nanos) / 1e6)
            + " ms:");
        used.entrySet().stream().filter(en -> en.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue()
            .reversed()).limit(8).forEach(en -> sb.append(' ').append(en.getKey()).append('=')
            .append(f("%.1f", en.getValue() / 1e6)));
        System.err.println(sb);
      }
    }
  }

  /** {@code BENCH_DEV_THREADS=1}: print the threads that used the most CPU time in each block (to stderr). */
  static final boolean THREAD_REPORT = "1".equals(System.getenv("BENCH_DEV_THREADS"));

  /** @return whether the answer is a good one (200 with the expected content); counts an error otherwise */
  static boolean check(Endpoint e, RawHttp.Response r, Tally t) {
    String text = r.text();
    if (r.status() == 200 && text.replace(" ", "").contains(e.mustContain)) {
      return true;
    }
    t.errors++;
    if (t.errors <= 3) {
      System.err.println("bench-devices: " + e.path + " answered " + r.status() + ": "
          + (text.length() > 400 ? text.substring(0, 400) + "…" : text));
    }
    return false;
  }

  /** Each fake's own answer time, asked directly (a path it answers 404 or 401 to): the added latency, measured. */
  static Map<String, double[]> fakeFloors(World w, int n) {
    Map<String, double[]> out = new LinkedHashMap<>();
    out.put("FakeArduinoCloud", floor(w.arduino.baseUrl(), n));
    out.put("FakeBlynk", floor(URI.create(w.blynk.url("127.0.0.1")), n));
    out.put("FakeThingsBoard", floor(w.thingsBoard.baseUrl(), n));
    return out;
  }

  private static double[] floor(URI base, int n) {
    Tally t = new Tally();
    try (RawHttp http = new RawHttp(base.getPort(), 30_000)) {
      byte[] request = RawHttp.get(base.getPort(), "/bench-floor", null);
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        http.exchange(request);
        t.latencies.add(System.nanoTime() - t0);
      }
    } catch (IOException e) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    return new double[] {t.percentileMs(0.5), t.percentileMs(0.99), t.percentileMs(0.0)};
  }

  static String report(World w, int latencyMs, int rps, int rounds, int requests, int warmup,
      int defaultRateRequests, int arduinoDevices, int blynkDevices, int tbDevices, Map<String, double[]> floors,
      Map<Endpoint, Tally> all, List<Map<Endpoint, Tally>> perRound, Map<Endpoint, Tally> defaultRate,
      Instant started) {
    StringBuilder sb = new StringBuilder();
    sb.append("## Device inventory: parallel listing and the warm cache\n\n");
    sb.append(f("Run %s, revision %s, %d cores (`availableProcessors`), Java %s. Fakes' added latency %d ms per "
            + "request; server: `ARDUINO_REQUESTS_PER_SECOND` %d, `ARDUINO_CACHE_SECONDS` %d (default), "
            + "`DEVICE_INVENTORY_TIMEOUT_MS` 5000 (default). User: %d Arduino Cloud devices, %d Blynk device(s), %d "
            + "ThingsBoard devices, MQTT settings (1 device). %d rounds × %d sequential requests per endpoint on one "
            + "keep-alive connection, after %d warm-up requests each.\n\n",
        started, System.getenv().getOrDefault("BENCH_REVISION", "unknown"),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), latencyMs, rps,
        ARDUINO_CACHE_SECONDS, arduinoDevices, blynkDevices, tbDevices, rounds, requests, warmup));

    sb.append("Each fake's own answer time, asked directly (the added latency, measured):\n\n");
    List<List<String>> floorRows = new ArrayList<>();
    floors.forEach((name, v) -> floorRows.add(List.of(name, f("%.2f", v[0]), f("%.2f", v[1]))));
    sb.append(table(List.of("fake", "p50 ms", "p99 ms"), floorRows)).append('\n');

    sb.append("All rounds pooled; CPU and wall time over each block of sequential requests, per request. *Server "
        + "threads CPU*: the CPU time of this JVM's live Java threads (`ThreadMXBean`) except the load generator's "
        + "and the fakes'; *JVM GC + JIT*: the process CPU time (`OperatingSystemMXBean`) not spent in live Java "
        + "threads (GC, JIT compiler, threads that ended), shared by the server and the fakes; *fakes CPU*: the "
        + "fakes' threads (FakeArduinoCloud and FakeThingsBoard check every request and answer against their "
        + "OpenAPI contract); *PostgreSQL CPU*: from `/proc`. *Provider calls* are requests that reached each fake (token requests included), per request. "
        + "*Other cores*: the rest of the machine, busy.\n\n");
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<Endpoint, Tally> e : all.entrySet()) {
      rows.add(row(e.getKey().label, e.getValue()));
    }
    List<String> header = List.of("endpoint", "requests", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms",
        "req/s (1 connection)", "server threads CPU µs/req", "PostgreSQL CPU µs/req", "JVM GC + JIT CPU µs/req",
        "fakes CPU µs/req",
        "provider calls/req: Arduino / Blynk / ThingsBoard", "other cores");
    sb.append(table(header, rows)).append('\n');

    sb.append("p50 ms per round (the order rotates by one endpoint per round):\n\n");
    List<String> roundHeader = new ArrayList<>(List.of("endpoint"));
    for (int r = 0; r < perRound.size(); r++) {
      roundHeader.add("round " + (r + 1));
    }
    List<List<String>> roundRows = new ArrayList<>();
    for (Endpoint e : Endpoint.values()) {
      List<String> row = new ArrayList<>(List.of(e.label));
      for (Map<Endpoint, Tally> round : perRound) {
        row.add(f("%.1f", round.get(e).percentileMs(0.5)));
      }
      roundRows.add(row);
    }
    sb.append(table(roundHeader, roundRows)).append('\n');

    Endpoint slowest = Endpoint.ARDUINO_LIST;
    for (Endpoint e : List.of(Endpoint.BLYNK_LIST, Endpoint.THINGSBOARD_LIST)) {
      if (all.get(e).percentileMs(0.5) > all.get(slowest).percentileMs(0.5)) {
        slowest = e;
      }
    }
    double slowP50 = all.get(slowest).percentileMs(0.5);
    Tally cold = all.get(Endpoint.INVENTORY_COLD);
    Tally warm = all.get(Endpoint.INVENTORY_WARM);
    double coldP50 = cold.percentileMs(0.5);
    double warmP50 = warm.percentileMs(0.5);
    double mqttP50 = all.get(Endpoint.MQTT_GET).percentileMs(0.5);
    double coldCalls = cold.perRequest(cold.arduinoCalls + cold.blynkCalls + cold.thingsBoardCalls);
    boolean errors = all.values().stream().anyMatch(t -> t.errors > 0);
    List<List<String>> targets = new ArrayList<>();
    targets.add(List.of("cold inventory p50 ≤ 1.5 × the slowest single provider's listing p50",
        f("%.1f ms vs %.1f ms (%s) = %.2f×", coldP50, slowP50, slowest.label, coldP50 / slowP50),
        verdict(!errors && coldP50 <= 1.5 * slowP50)));
    targets.add(List.of("warm inventory p50 ≤ 2 × `GET …/mqtt` p50",
        f("%.1f ms vs %.2f ms = %.1f×", warmP50, mqttP50, warmP50 / mqttP50),
        verdict(!errors && warmP50 <= 2 * mqttP50)));
    targets.add(List.of("(informational) cold inventory against its provider calls made one after another",
        f("%.1f provider calls per request × %d ms = %.0f ms if sequential; measured p50 %.1f ms", coldCalls,
            latencyMs, coldCalls * latencyMs, coldP50), "reported"));
    Tally cachedOnly = all.get(Endpoint.INVENTORY_WARM_CACHED_ONLY);
    targets.add(List.of("(informational) warm inventory of a user with only cached providers (Arduino + MQTT)",
        f("%.2f ms vs %.2f ms = %.1f× `GET …/mqtt`", cachedOnly.percentileMs(0.5), mqttP50,
            cachedOnly.percentileMs(0.5) / mqttP50), "reported"));
    sb.append(table(List.of("target", "measured", "verdict"), targets)).append('\n');
    if (errors) {
      sb.append("Some requests failed (see *errors*): the verdicts are FAIL whatever the figures.\n\n");
    }
    sb.append(f("The warm inventory is Arduino from its cache (%.2f Arduino calls per request) plus Blynk (%.2f "
            + "calls, one `isHardwareConnected` per device) and ThingsBoard (%.2f calls, one device page) asked "
            + "live, in parallel: neither of them has a cache, so the warm figure carries at least one provider "
            + "latency.\n\n", warm.perRequest(warm.arduinoCalls), warm.perRequest(warm.blynkCalls),
        warm.perRequest(warm.thingsBoardCalls)));

    if (!defaultRate.isEmpty()) {
      sb.append(f("Arduino's default rate limit (a second server on the same database without "
          + "`ARDUINO_REQUESTS_PER_SECOND`, so 1 request per second per connection, burst 1), %d sequential "
          + "requests each, after 1.1 s idle:\n\n", defaultRateRequests));
      List<List<String>> dr = new ArrayList<>();
      defaultRate.forEach((e, t) -> dr.add(row(e.label, t)));
      sb.append(table(header, dr)).append('\n');
    }
    return sb.toString();
  }

  static List<String> row(String label, Tally t) {
    double reqPerSecond = t.wallNanos == 0 ? Double.NaN : t.n() / (t.wallNanos / 1e9);
    return List.of(label, Integer.toString(t.n()), Integer.toString(t.errors), f("%.1f", t.percentileMs(0.5)),
        f("%.1f", t.percentileMs(0.9)), f("%.1f", t.percentileMs(0.99)), f("%.1f", t.percentileMs(1.0)),
        f("%.1f", reqPerSecond), f("%.0f", t.perRequest(t.serverCpuNanos / 1e3)),
        f("%.0f", t.perRequest(t.postgresCpuSeconds * 1e6)), f("%.0f", t.perRequest(t.jvmRestCpuNanos / 1e3)),
        f("%.0f", t.perRequest(t.fakesCpuNanos / 1e3)),
        f("%.2f / %.2f / %.2f", t.perRequest(t.arduinoCalls), t.perRequest(t.blynkCalls),
            t.perRequest(t.thingsBoardCalls)),
        f("%.2f", t.wallNanos == 0 ? 0 : t.otherCoreSeconds / (t.wallNanos / 1e9)));
  }

  static String token(UserId user) {
    return JwtAuthenticator.issueHs256(JWT_SECRET.getBytes(StandardCharsets.UTF_8), user, null, null,
        Duration.ofHours(2));
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  static int intEnv(String name, int dflt, int min, int max) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a number: " + v);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
    }
    return parsed;
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static String table(List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
    for (int i = 0; i < header.size(); i++) {
      sb.append(" --- |");
    }
    sb.append('\n');
    for (List<String> row : rows) {
      sb.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return sb.toString();
  }

  static String verdict(boolean pass) {
    return pass ? "**PASS**" : "**FAIL**";
  }
}
