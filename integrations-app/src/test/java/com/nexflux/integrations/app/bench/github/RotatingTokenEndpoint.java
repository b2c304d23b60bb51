package com.nexflux.integrations.app.bench.github;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A GitHub-style token endpoint on 127.0.0.1 with rotating refresh tokens, as in
 * {@code e2e/TokenRefreshAcrossInstancesTest}: a refresh token works once and the answer carries the next one;
 * a refresh token that is not live is answered {@code bad_refresh_token} with HTTP 200, as GitHub does.
 *
 * <p>Unlike the test, it counts <em>every</em> call per refresh token, live or not, so a duplicate refresh shows
 * as a refresh token with more than one call whether or not it was still live. Optional fixed latency per
 * successful refresh ({@code latencyMillis}) stands in for the network to GitHub.
 */
final class RotatingTokenEndpoint implements AutoCloseable {
  static final String PATH = "/login/oauth/access_token";

  private final HttpServer server;
  private final ExecutorService executor;
  private final int latencyMillis;
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> callsPerRefreshToken = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger malformed = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong handlerNanos = new AtomicLong();

  /** What the endpoint saw since the last {@link #reset()}. */
  record Stats(int calls, int distinctRefreshTokens, int duplicateRefreshTokens, int maxCallsPerRefreshToken,
      int refused, int malformed, int maxInFlight, double handlerSeconds) {}

  RotatingTokenEndpoint(int latencyMillis, int threads) throws IOException {
    this.latencyMillis = latencyMillis;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "bench-token-endpoint-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(PATH, exchange -> {
      long start = System.nanoTime();
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      boolean counted = true;
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String rt = null;
        for (String pair : body.split("&")) {
          if (pair.startsWith("refresh_token=")) {
            rt = URLDecoder.decode(pair.substring("refresh_token=".length()), StandardCharsets.UTF_8);
          }
        }
        calls.incrementAndGet();
        String answer;
        if (rt == null) {
          malformed.incrementAndGet();
          answer = "{\"error\":\"unsupported_grant_type\"}";
        } else {
          callsPerRefreshToken.computeIfAbsent(rt, k -> new AtomicInteger()).incrementAndGet();
          if (live.remove(rt)) { // rotation: a refresh token works once
            if (latencyMillis > 0) {
              try {
                Thread.sleep(latencyMillis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            String next = "rt-" + UUID.randomUUID();
            live.add(next);
            answer = "{\"access_token\":\"at-from-" + rt + "\",\"token_type\":\"bearer\",\"expires_in\":28800,"
                + "\"refresh_token\":\"" + next + "\",\"refresh_token_expires_in\":15811200,\"scope\":\"\"}";
          } else {
            refused.incrementAndGet();
            answer = "{\"error\":\"bad_refresh_token\",\"error_description\":\"The refresh token passed is "
                + "incorrect or expired.\"}";
          }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        // no longer "in flight" once answered: the caller may send its next call before this thread finishes
        inFlight.decrementAndGet();
        counted = false;
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length); // GitHub answers errors with 200 too
        exchange.getResponseBody().write(bytes);
      } finally {
        if (counted) {
          inFlight.decrementAndGet();
        }
        handlerNanos.addAndGet(System.nanoTime() - start);
      }
    });
    server.start();
  }

  /** @return the base URL, {@code http://127.0.0.1:<port>} */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  URI tokenUri() {
    return URI.create(base() + PATH);
  }

  /** Makes {@code refreshToken} live (it will be accepted once). */
  void issue(String refreshToken) {
    live.add(refreshToken);
  }

  /** Forgets every token and count. */
  void reset() {
    live.clear();
    callsPerRefreshToken.clear();
    calls.set(0);
    refused.set(0);
    malformed.set(0);
    maxInFlight.set(0);
    handlerNanos.set(0);
  }

  Stats stats() {
    int duplicates = 0;
    int max = 0;
    for (AtomicInteger c : callsPerRefreshToken.values()) {
      int v = c.get();
      if (v > 1) {
        duplicates++;
      }
      max = Math.max(max, v);
    }
    return new Stats(calls.get(), callsPerRefreshToken.size(), duplicates, max, refused.get(), malformed.get(),
        maxInFlight.get(), handlerNanos.get() / 1e9);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
