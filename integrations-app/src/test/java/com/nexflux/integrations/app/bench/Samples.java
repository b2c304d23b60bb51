package com.nexflux.integrations.app.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Request samples of one worker: completion time and latency in nanoseconds ({@link System#nanoTime()}); a failed
 * request is stored with latency {@code -1}. Single writer; read only after the writer has stopped.
 */
final class Samples {
  /** A bound on what one worker records (about 16 MB per worker), so a run cannot eat the heap. */
  static final int MAX = 1 << 20;

  private long[] ends = new long[1 << 12];
  private long[] latencies = new long[1 << 12];
  private int size;
  private long dropped;

  void add(long endNanos, long latencyNanos) {
    if (size == ends.length) {
      if (size >= MAX) {
        dropped++;
        return;
      }
      ends = Arrays.copyOf(ends, size * 2);
      latencies = Arrays.copyOf(latencies, size * 2);
    }
    ends[size] = endNanos;
    latencies[size] = latencyNanos;
    size++;
  }

  long dropped() {
    return dropped;
  }

  /** Figures of the requests that completed in {@code [from, to)}. */
  record Window(long ok, long errors, double seconds, long[] sortedLatencies) {
    double throughput() {
      return seconds <= 0 ? 0 : ok / seconds;
    }

    /** Nearest-rank percentile in milliseconds; NaN without samples. */
    double percentileMs(double p) {
      if (sortedLatencies.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100.0 * sortedLatencies.length);
      return sortedLatencies[Math.max(0, Math.min(sortedLatencies.length - 1, rank - 1))] / 1e6;
    }

    double maxMs() {
      return sortedLatencies.length == 0 ? Double.NaN : sortedLatencies[sortedLatencies.length - 1] / 1e6;
    }

    /** Several windows (e.g. the rounds) as one: counts and latencies pooled, durations added. */
    static Window pool(List<Window> windows) {
      long ok = 0;
      long errors = 0;
      double seconds = 0;
      int n = 0;
      for (Window w : windows) {
        ok += w.ok;
        errors += w.errors;
        seconds += w.seconds;
        n += w.sortedLatencies.length;
      }
      long[] all = new long[n];
      int at = 0;
      for (Window w : windows) {
        System.arraycopy(w.sortedLatencies, 0, all, at, w.sortedLatencies.length);
        at += w.sortedLatencies.length;
      }
      Arrays.sort(all);
      return new Window(ok, errors, seconds, all);
    }
  }

  static Window window(List<Samples> all, long from, long to) {
    long ok = 0;
    long errors = 0;
    int n = 0;
    for (Samples s : all) {
      n += s.size;
    }
    long[] lat = new long[n];
    int at = 0;
    for (Samples s : all) {
      for (int i = 0; i < s.size; i++) {
        long end = s.ends[i];
        if (end < from || end >= to) {
          continue;
        }
        if (s.latencies[i] < 0) {
          errors++;
        } else {
          ok++;
          lat[at++] = s.latencies[i];
        }
      }
    }
    long[] sorted = Arrays.copyOf(lat, at);
    Arrays.sort(sorted);
    return new Window(ok, errors, (to - from) / 1e9, sorted);
  }
}
