package com.nexflux.integrations.app.bench.github;

import static com.nexflux.integrations.app.bench.github.BenchSupport.f;
import static com.nexflux.integrations.app.bench.github.BenchSupport.table;
import static com.nexflux.integrations.app.bench.github.BenchSupport.verdict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The GitHub benchmark of {@code docs/performance.md}; run it with {@code scripts/bench-github.sh}. A main class on
 * the test class path, never a test: it measures, prints a report with a PASS/FAIL line per target and exits 0
 * whatever the figures (1 only when it cannot run at all). Everything listens on 127.0.0.1.
 *
 * <ol>
 *   <li>{@link SyncCallsBench}: GitHub API requests per sync for {@code BENCH_GH_SIZES} (1,10,100,500) text projects
 *       of 3 files, changed and unchanged, {@code BENCH_GH_SYNC_ROUNDS} (3) rounds; the per-file Contents API
 *       baseline is computed next to it.</li>
 *   <li>{@link SweeperBench}: {@code BENCH_GH_TOKENS} (10000) due tokens swept by one instance (baseline) and by two
 *       instances at once, after a warm-up of {@code BENCH_GH_WARMUP_TOKENS} (3000) tokens per configuration;
 *       {@code BENCH_GH_SWEEP_ROUNDS} (2) rounds, the order alternating; {@code BENCH_GH_TOKEN_LATENCY_MS} (0)
 *       of added latency per refresh at the token endpoint; each phase bounded by {@code BENCH_GH_SWEEP_MINUTES}
 *       (10).</li>
 * </ol>
 * {@code BENCH_GH_PARTS} (sync,sweeper) picks the parts; {@code BENCH_GH_POOL_SIZE} (10) is each instance's pool;
 * a watchdog ends the run after {@code BENCH_GH_MAX_MINUTES} (45). The report also goes to
 * {@code integrations-app/target/bench/github-results.md}.
 */
public final class GitHubBench {
  private GitHubBench() {}

  public static void main(String[] args) {
    // The fakes (FakeGitHub, the token endpoint) are JDK HttpServers, which by default leave Nagle's algorithm on:
    // the response headers and body go out in two writes and every call then waits for the client's delayed ACK
    // (~40 ms on Linux), a stall of the fake, not of the code under test. Set before any HttpServer class loads;
    // -Dsun.net.httpserver.nodelay=false brings the stall back.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    int maxMinutes = BenchSupport.intEnv("BENCH_GH_MAX_MINUTES", 45, 1, 600);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(maxMinutes));
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("bench-github: still running after " + maxMinutes + " min (BENCH_GH_MAX_MINUTES); giving up");
      Runtime.getRuntime().halt(3);
    }, "bench-github-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int status;
    try {
      status = run(System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes) - TimeUnit.SECONDS.toNanos(30));
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static int run(long deadline) throws Exception {
    Set<String> parts = new TreeSet<>(Arrays.asList(
        System.getenv().getOrDefault("BENCH_GH_PARTS", "sync,sweeper").replace(" ", "").split(",")));
    List<Integer> sizes = BenchSupport.intListEnv("BENCH_GH_SIZES", List.of(1, 10, 100, 500));
    int syncRounds = BenchSupport.intEnv("BENCH_GH_SYNC_ROUNDS", 3, 1, 20);
    int tokens = BenchSupport.intEnv("BENCH_GH_TOKENS", 10_000, 1, 200_000);
    int warmup = BenchSupport.intEnv("BENCH_GH_WARMUP_TOKENS", 3_000, 0, 200_000);
    int sweepRounds = BenchSupport.intEnv("BENCH_GH_SWEEP_ROUNDS", 2, 1, 10);
    int latency = BenchSupport.intEnv("BENCH_GH_TOKEN_LATENCY_MS", 0, 0, 5_000);
    int sweepMinutes = BenchSupport.intEnv("BENCH_GH_SWEEP_MINUTES", 10, 1, 120);
    int pool = BenchSupport.intEnv("BENCH_GH_POOL_SIZE", 10, 1, 100);
    Path out = Path.of(System.getenv().getOrDefault("BENCH_OUT_DIR", "integrations-app/target/bench"));
    Files.createDirectories(out);

    String machine = BenchSupport.machine();
    String revision = System.getenv().getOrDefault("BENCH_REVISION", "unknown");
    String loadBefore = BenchSupport.loadAverage();
    System.out.println("bench-github: " + machine + "; revision " + revision + "; load average " + loadBefore);

    SyncCallsBench.Result sync = null;
    if (parts.contains("sync")) {
      sync = new SyncCallsBench(sizes, syncRounds, pool).run(deadline);
    }
    SweeperBench.Result sweeper = null;
    if (parts.contains("sweeper")) {
      sweeper = new SweeperBench(tokens, warmup, sweepRounds, latency, pool, Duration.ofMinutes(sweepMinutes))
          .run(deadline);
    }

    StringBuilder report = new StringBuilder();
    report.append("# GitHub benchmark (scripts/bench-github.sh)\n\n");
    report.append(f("- when: %s; revision %s%n- machine: %s%n- load average (1/5/15 min) before: %s, after: %s%n"
        + "- fake servers: JDK HttpServer with sun.net.httpserver.nodelay=%s%n%n", Instant.now(), revision, machine,
        loadBefore, BenchSupport.loadAverage(), System.getProperty("sun.net.httpserver.nodelay")));
    if (sync != null) {
      report.append(syncReport(sync));
    }
    if (sweeper != null) {
      report.append(sweeperReport(sweeper));
    }
    System.out.println();
    System.out.println(report);
    Path file = out.resolve("github-results.md");
    Files.writeString(file, report);
    System.out.println("bench-github: report written to " + file.toAbsolutePath());
    return 0;
  }

  // ------------------------------------------------------------------------------------------------ part 1

  private static String syncReport(SyncCallsBench.Result result) {
    StringBuilder sb = new StringBuilder("## 1. GitHub API requests per sync\n\n");
    sb.append("Text projects of 3 small files each (`project.json`, `main.ino`, `README.md`); every sync also writes "
        + "one manifest per changed project, so a changed sync of n projects writes 4n files. Requests counted at "
        + "the fake (`FakeGitHub.requests()`) while `syncRunner().runJob(id)` ran; *request-time* = requests made "
        + "while the sync was requested (`requestSync`, repository list cached). Time: median over the rounds, "
        + "informational.\n\n");
    List<List<String>> rows = new ArrayList<>();
    Map<String, List<SyncCallsBench.Run>> groups = new LinkedHashMap<>();
    for (SyncCallsBench.Run r : result.runs()) {
      groups.computeIfAbsent(r.projects() + "|" + r.kind(), k -> new ArrayList<>()).add(r);
    }
    for (List<SyncCallsBench.Run> g : groups.values()) {
      SyncCallsBench.Run first = g.get(0);
      rows.add(List.of(
          Integer.toString(first.projects()),
          first.kind() + (g.size() > 1 ? " (×" + g.size() + ")" : ""),
          first.path(),
          range(g, SyncCallsBench.Run::calls),
          range(g, SyncCallsBench.Run::reads),
          range(g, SyncCallsBench.Run::writes),
          endpoints(g),
          range(g, SyncCallsBench.Run::filesChanged),
          range(g, SyncCallsBench.Run::naiveCalls),
          f("%.0f", median(g.stream().mapToDouble(SyncCallsBench.Run::jobMs).toArray())),
          f("%.0f", median(g.stream().mapToDouble(SyncCallsBench.Run::apiMs).toArray())),
          first.path().equals("requestSync") ? range(g, SyncCallsBench.Run::requestCalls) : "n/a",
          g.stream().allMatch(SyncCallsBench.Run::ok) ? "yes" : "NO: " + g.stream()
              .filter(r -> !r.ok()).findFirst().map(SyncCallsBench.Run::problem).orElse("")));
    }
    sb.append(table(List.of("projects", "run", "job made by", "GitHub requests per sync", "reads", "writes",
        "requests by endpoint", "files written", "naive Contents API requests (computed, not measured)",
        "job wall ms", "of which in GitHub calls ms", "request-time requests", "job correct"), rows));
    sb.append('\n');

    List<SyncCallsBench.Run> changed = result.runs().stream().filter(r -> !r.kind().equals("unchanged")).toList();
    List<SyncCallsBench.Run> unchanged = result.runs().stream().filter(r -> r.kind().equals("unchanged")).toList();
    Set<Integer> changedCalls = changed.stream().map(SyncCallsBench.Run::calls)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<Integer> unchangedCalls = unchanged.stream().map(SyncCallsBench.Run::calls)
        .collect(Collectors.toCollection(TreeSet::new));
    int maxChanged = changed.stream().mapToInt(SyncCallsBench.Run::calls).max().orElse(-1);
    boolean noUnchangedWrites = unchanged.stream().allMatch(r -> r.writes() == 0);
    boolean allOk = result.runs().stream().allMatch(SyncCallsBench.Run::ok);
    Set<Integer> sizes = result.runs().stream().map(SyncCallsBench.Run::projects)
        .collect(Collectors.toCollection(TreeSet::new));
    sb.append(table(List.of("target", "measured", "verdict"), List.of(
        List.of("requests per changed sync constant for " + sizes + " projects", "distinct values: "
            + changedCalls, verdict(changedCalls.size() == 1)),
        List.of("at most 5 requests per changed sync of text files", "max " + maxChanged, verdict(maxChanged >= 0
            && maxChanged <= 5)),
        List.of("requests per unchanged re-run constant, no writes", "distinct values: " + unchangedCalls
            + ", writes " + (noUnchangedWrites ? "0" : "> 0"),
            verdict(unchangedCalls.size() == 1 && noUnchangedWrites)),
        List.of("every job succeeded and wrote what it should; fake saw no contract violation",
            (allOk ? "all jobs correct" : "some job wrong") + ", " + result.contractViolations().size()
                + " violation(s)", verdict(allOk && result.contractViolations().isEmpty())))));
    if (!result.contractViolations().isEmpty()) {
      sb.append("\nContract violations / content problems:\n");
      result.contractViolations().stream().limit(10).forEach(v -> sb.append("- ").append(v).append('\n'));
    }
    sb.append('\n');
    return sb.toString();
  }

  private static String range(List<SyncCallsBench.Run> g, java.util.function.ToIntFunction<SyncCallsBench.Run> f) {
    int min = g.stream().mapToInt(f).min().orElse(0);
    int max = g.stream().mapToInt(f).max().orElse(0);
    return min == max ? Integer.toString(min) : min + "–" + max;
  }

  private static String endpoints(List<SyncCallsBench.Run> g) {
    Set<String> distinct = new TreeSet<>();
    for (SyncCallsBench.Run r : g) {
      distinct.add(r.endpoints().entrySet().stream()
          .map(e -> e.getKey() + (e.getValue() > 1 ? " ×" + e.getValue() : ""))
          .collect(Collectors.joining(", ")));
    }
    return String.join(" / ", distinct);
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  // ------------------------------------------------------------------------------------------------ part 2

  private static String sweeperReport(SweeperBench.Result result) {
    StringBuilder sb = new StringBuilder("## 2. Token refresh sweeper, two instances\n\n");
    sb.append(f("Settings: sweeper window %d min, %d rows per `sweep()` (the facade's), each instance its own pool "
        + "of %d connections, token endpoint latency added per refresh: %d ms. Due rows inserted with %s. Each "
        + "instance loops `sweep()` until a sweep examines 0 rows. *Duplicates* = refresh tokens the endpoint "
        + "received more than once (must be 0).%n%n", result.window().toMinutes(), result.batchSize(),
        result.poolSize(), result.latencyMillis(), result.insertMethod()));
    List<List<String>> rows = new ArrayList<>();
    for (SweeperBench.Phase p : result.phases()) {
      RotatingTokenEndpoint.Stats e = p.endpoint();
      rows.add(List.of(p.label(), Integer.toString(p.tokens()), Integer.toString(e.calls()),
          Integer.toString(e.duplicateRefreshTokens()), Integer.toString(e.maxCallsPerRefreshToken()),
          Integer.toString(p.failed() + e.refused()), Long.toString(p.renewed()), Long.toString(p.stillDue()),
          f("%.1f", p.wallSeconds()), f("%.0f", p.rate()), Integer.toString(p.sweeps()),
          Integer.toString(p.skipped()), Integer.toString(e.maxInFlight()),
          f("%.2f / %.2f", p.jvmCores(), p.machineCores()), f("%.1f", p.insertSeconds())));
    }
    sb.append(table(List.of("phase", "due tokens", "refresh calls", "duplicates", "max calls per RT",
        "failures", "rows renewed", "still due", "wall s", "refreshes/s", "sweep calls", "rows skipped",
        "max concurrent calls at endpoint", "CPU cores: bench JVM / machine", "insert s"), rows));
    sb.append('\n');
    for (SweeperBench.Phase p : result.phases()) {
      for (SweeperBench.Loop l : p.loops()) {
        sb.append("- ").append(p.label()).append(" — ").append(SweeperBench.describe(l)).append('\n');
      }
    }
    sb.append('\n');

    int duplicates = result.phases().stream().mapToInt(p -> p.endpoint().duplicateRefreshTokens()).sum();
    boolean complete = result.phases().stream().allMatch(SweeperBench.Phase::complete);
    boolean oneCallEach = result.phases().stream().allMatch(p -> p.endpoint().calls() == p.tokens());
    double one = result.phases().stream().filter(p -> p.instances() == 1).mapToDouble(SweeperBench.Phase::rate)
        .average().orElse(0);
    double two = result.phases().stream().filter(p -> p.instances() == 2).mapToDouble(SweeperBench.Phase::rate)
        .average().orElse(0);
    List<List<String>> verdicts = new ArrayList<>();
    verdicts.add(List.of("zero duplicate refreshes (two instances sweeping at once)", duplicates + " duplicate(s)",
        verdict(duplicates == 0)));
    verdicts.add(List.of("every due token refreshed, exactly one call each, no failure",
        complete && oneCallEach ? "yes, in every phase" : "no (see the table)", verdict(complete && oneCallEach)));
    verdicts.add(List.of("rate (no target): 2 instances against 1", f("%.0f vs %.0f refreshes/s (×%.2f)", two, one,
        one > 0 ? two / one : 0), "reported"));
    sb.append(table(List.of("target", "measured", "verdict"), verdicts));
    if (one > 0) {
      double secondsPerBatch = result.batchSize() / one;
      double perMinute = result.batchSize() / ((60 + secondsPerBatch) / 60.0);
      int tokens = result.phases().get(0).tokens();
      sb.append(f("%nComputed, not measured — the production schedule: the facade runs the sweeper as a db-scheduler "
          + "recurring task (`oauth-token-refresh`, fixed delay 1 min, one execution at a time cluster-wide), one "
          + "`sweep()` of %d rows per run. With the baseline's %.1f s per %d rows that is at most %.0f refreshes "
          + "per minute for the whole cluster, whatever the number of instances: %d due tokens take about %.0f "
          + "minutes, against a %d-minute window.%n", result.batchSize(), secondsPerBatch, result.batchSize(),
          perMinute, tokens, tokens / perMinute, result.window().toMinutes()));
    }
    sb.append('\n');
    return sb.toString();
  }
}
