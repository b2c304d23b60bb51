package com.nexflux.integrations.app.bench.github;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small helpers of the GitHub benchmark: knobs, markdown tables, CPU time. */
final class BenchSupport {
  private BenchSupport() {}

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

  static List<Integer> intListEnv(String name, List<Integer> dflt) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    List<Integer> out = new ArrayList<>();
    for (String part : v.split(",")) {
      int n = Integer.parseInt(part.trim());
      if (n < 1 || n > 2_000) {
        throw new IllegalArgumentException(name + ": each size must be between 1 and 2000");
      }
      out.add(n);
    }
    return out;
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** A markdown table. */
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

  /** CPU time of this JVM and of the whole machine, for "what dominates" notes. Linux; elsewhere zeros. */
  record Cpu(long nanos, long processCpuNanos, long machineBusyTicks, long machineTotalTicks) {
    static Cpu now() {
      long process = 0;
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        process = os.getProcessCpuTime();
      }
      long busy = 0;
      long total = 0;
      try {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0); // cpu user nice system idle iowait ...
        String[] f = line.trim().split("\\s+");
        for (int i = 1; i < f.length && i <= 8; i++) {
          long v = Long.parseLong(f[i]);
          total += v;
          if (i != 4 && i != 5) { // idle, iowait
            busy += v;
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux
      }
      return new Cpu(System.nanoTime(), process, busy, total);
    }

    /** @return {wall seconds, cores used by this JVM, cores used machine-wide} since {@code earlier} */
    double[] since(Cpu earlier) {
      double wall = (nanos - earlier.nanos) / 1e9;
      double jvm = (processCpuNanos - earlier.processCpuNanos) / 1e9 / wall;
      long totalTicks = machineTotalTicks - earlier.machineTotalTicks;
      double machine = totalTicks <= 0 ? 0
          : (double) (machineBusyTicks - earlier.machineBusyTicks) / totalTicks * Runtime.getRuntime()
              .availableProcessors();
      return new double[] {wall, jvm, machine};
    }
  }

  /** @return {@code /proc/loadavg}'s first three figures, or "?" */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  static String machine() {
    String mem = "?";
    String cpu = "?";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          mem = f("%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return f("%d CPUs (%s), %s RAM, %s %s (%s), %s %s", Runtime.getRuntime().availableProcessors(), cpu, mem,
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("java.vendor"), System.getProperty("os.name"), System.getProperty("os.version"));
  }
}
