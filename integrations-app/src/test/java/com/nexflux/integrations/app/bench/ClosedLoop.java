package com.nexflux.integrations.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: one thread per connection, each sending its request again as soon as the answer is read, until
 * {@link #stop()} or a hard deadline. Every request is recorded with its completion time, so phases are measured
 * afterwards as time windows ({@link #window}). A non-200 answer or an I/O failure counts as an error; the worker
 * reconnects and goes on.
 */
final class ClosedLoop implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final List<Samples> samples = new ArrayList<>();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile boolean running = true;

  /**
   * Starts one worker per request (the requests may differ, e.g. one user per connection).
   *
   * @param hardDeadlineNanos workers stop by themselves at this {@link System#nanoTime()}
   */
  ClosedLoop(String name, int port, List<byte[]> requests, long hardDeadlineNanos) {
    for (int i = 0; i < requests.size(); i++) {
      byte[] request = requests.get(i);
      Samples s = new Samples();
      samples.add(s);
      Thread t = new Thread(() -> run(port, request, s, hardDeadlineNanos), name + "-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  private void run(int port, byte[] request, Samples s, long hardDeadline) {
    try (RawHttp http = new RawHttp(port, 30_000)) {
      while (running && System.nanoTime() < hardDeadline) {
        long start = System.nanoTime();
        long latency;
        try {
          RawHttp.Response r = http.exchange(request);
          latency = r.status() == 200 ? System.nanoTime() - start : -1;
          if (latency < 0) {
            firstError.compareAndSet(null, "HTTP " + r.status() + ": " + r.text());
          }
        } catch (Exception e) {
          latency = -1;
          firstError.compareAndSet(null, e.toString());
          pause(); // do not spin on a dead server
        }
        s.add(System.nanoTime(), latency);
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Figures of the requests completed in {@code [fromNanos, toNanos)}. */
  Samples.Window window(long fromNanos, long toNanos) {
    return Samples.window(samples, fromNanos, toNanos);
  }

  /** @return the first failure seen, or {@code null} */
  String firstError() {
    return firstError.get();
  }

  /** Stops the workers and waits (bounded) for them to finish their request in flight. */
  void stop() {
    running = false;
    long end = System.nanoTime() + 35_000_000_000L;
    for (Thread t : threads) {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
