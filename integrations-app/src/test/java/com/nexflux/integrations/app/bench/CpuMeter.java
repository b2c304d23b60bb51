package com.nexflux.integrations.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time (user + system, from {@code /proc/<pid>/stat}) of the parties sharing the machine: the server JVM, the
 * PostgreSQL processes (the postmaster listening on the bench's port and its children), this JVM (the load
 * generator), and everything else (machine-wide busy time from {@code /proc/stat} minus those three), so a run
 * disturbed by other work on the machine shows it. Linux only; elsewhere every figure is 0. Public for the other
 * benchmarks ({@code bench.devices}).
 */
public final class CpuMeter {
  /** CPU ticks per second ({@code getconf CLK_TCK}); 100 on Linux x86-64 and arm64. */
  private static final double TICKS_PER_SECOND = clockTicks();

  private final long serverPid;
  private final long postmasterPid;

  /**
   * @param serverPid the server JVM
   * @param postgresPort the TCP port of the PostgreSQL the server uses (its postmaster is found by
   *     {@code -p <port>} on its command line)
   */
  public CpuMeter(long serverPid, int postgresPort) {
    this.serverPid = serverPid;
    this.postmasterPid = postmaster(postgresPort);
  }

  /** @return whether the PostgreSQL processes were found (otherwise their CPU shows as "other") */
  public boolean seesPostgres() {
    return postmasterPid > 0;
  }

  public record Snapshot(long nanos, long server, Map<Long, Long> postgres, long bench, long machineBusy) {
    Snapshot at(long otherNanos) {
      return new Snapshot(otherNanos, server, postgres, bench, machineBusy);
    }
  }

  /** CPU use between two snapshots, in cores (CPU seconds per wall-clock second). */
  public record Usage(double serverCores, double postgresCores, double benchCores, double otherCores, double seconds) {
    public double serverSideCores() {
      return serverCores + postgresCores;
    }
  }

  public Snapshot take() {
    Map<Long, Long> pg = new HashMap<>();
    if (postmasterPid > 0) {
      pg.put(postmasterPid, ticks(postmasterPid));
      ProcessHandle.of(postmasterPid).ifPresent(h -> h.descendants().forEach(p -> pg.put(p.pid(), ticks(p.pid()))));
    }
    return new Snapshot(System.nanoTime(), ticks(serverPid), pg, ticks(ProcessHandle.current().pid()),
        machineBusy());
  }

  public static Usage between(Snapshot a, Snapshot b) {
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    if (seconds <= 0) {
      return new Usage(0, 0, 0, 0, 0);
    }
    long pg = 0;
    for (Map.Entry<Long, Long> e : b.postgres().entrySet()) {
      pg += e.getValue() - a.postgres().getOrDefault(e.getKey(), 0L);
    }
    long server = b.server() - a.server();
    long bench = b.bench() - a.bench();
    long other = Math.max(0, (b.machineBusy() - a.machineBusy()) - server - pg - bench);
    double perSecond = TICKS_PER_SECOND * seconds;
    return new Usage(server / perSecond, pg / perSecond, bench / perSecond, other / perSecond, seconds);
  }

  /** Busy ticks of the whole machine: the first line of {@code /proc/stat} without idle and iowait. */
  private static long machineBusy() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long postmaster(int port) {
    try (var procs = Files.list(Path.of("/proc"))) {
      return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
          .filter(n -> {
            try {
              String[] args = Files.readString(Path.of("/proc", n, "cmdline")).split("\0");
              if (args.length == 0 || !args[0].endsWith("/postgres")) {
                return false;
              }
              for (int i = 0; i + 1 < args.length; i++) {
                if (args[i].equals("-p") && args[i + 1].equals(Integer.toString(port))) {
                  return true;
                }
              }
              return false;
            } catch (IOException | RuntimeException e) {
              return false;
            }
          })
          .mapToLong(Long::parseLong).findFirst().orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Double.parseDouble(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
