package com.nexflux.integrations.providers.mqtt.internal;

import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.net.ResolvedTarget;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe: MQTT 5 connect, maybe an MQTT 3.1.1 retry (see {@link ProbeFailures#mqtt311MayHelp}), maybe an HTTP
 * check after a close without answer ({@link HttpSniff}), the {@code $SYS} version look-up, the overall deadline,
 * and the disconnect. Runs on HiveMQ callbacks (Netty threads) and the probe's scheduler; never blocks either.
 *
 * <p>Every path ends in {@link #finish}, which runs once: it cancels the timers, disconnects the current client
 * without waiting and completes the result on a pool thread. A client whose CONNACK arrives after the probe ended
 * is disconnected as soon as it arrives.
 */
public final class ProbeRun {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeRun.class);
  /** An MQTT 3.1.1 retry is only started with at least this much time left. */
  private static final long MIN_ATTEMPT_MS = 50;
  /**
   * The client's own timeouts fire up to this much (a quarter of what is left, at most this) before the overall
   * deadline, so their finer error (a TLS handshake that did not finish) wins even on a loaded machine, where a timer
   * can fire a few hundred milliseconds late.
   */
  private static final long MAX_STAGE_MARGIN_MS = 500;

  private final ScheduledExecutorService scheduler;
  private final BrokerUrl url;
  private final ResolvedTarget target;
  private final String username;
  private final Secret password;
  private final long deadlineNanos;
  private final long versionWaitMs;
  private final ProbeFailures.Context context;
  private final CompletableFuture<ConnectionTestResult> result = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();

  private volatile ProbeClient current;
  private volatile long latencyMs = -1;
  private volatile Future<?> deadlineTask;
  private volatile Future<?> versionTask;

  private ProbeRun(ScheduledExecutorService scheduler, BrokerUrl url, ResolvedTarget target, String username,
      Secret password, Duration timeout, Duration versionWait) {
    this.scheduler = scheduler;
    this.url = url;
    this.target = target;
    this.username = username;
    this.password = password;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    this.versionWaitMs = versionWait.toMillis();
    this.context = new ProbeFailures.Context(url, target.port(), username != null || password != null,
        timeout.toMillis());
  }

  /**
   * Starts a probe. Returns at once; the work happens on {@code scheduler} and HiveMQ's threads.
   *
   * @return completes (never exceptionally) within {@code timeout} plus scheduling slack
   */
  public static CompletableFuture<ConnectionTestResult> start(ScheduledExecutorService scheduler, BrokerUrl url,
      ResolvedTarget target, String username, Secret password, Duration timeout, Duration versionWait) {
    ProbeRun run = new ProbeRun(scheduler, url, target, username, password, timeout, versionWait);
    try {
      run.deadlineTask = scheduler.schedule(run::onDeadline, timeout.toNanos(), TimeUnit.NANOSECONDS);
      scheduler.execute(() -> run.attempt(true));
    } catch (RejectedExecutionException e) {
      run.finish(ProbeFailures.shutDown());
    }
    return run.result;
  }

  private long remainingMs() {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
  }

  private void attempt(boolean mqtt5) {
    if (finished.get()) {
      return;
    }
    try {
      long remaining = remainingMs();
      if (remaining < MIN_ATTEMPT_MS) {
        finish(ProbeFailures.overallTimeout(context));
        return;
      }
      MqttClientTransportConfig transport = ProbeClients.transport(url, target, stageTimeout(remaining));
      ProbeClient client = mqtt5
          ? ProbeClients.mqtt5(transport, username, password)
          : ProbeClients.mqtt3(transport, username, password);
      current = client;
      long started = System.nanoTime();
      client.connect().whenComplete((ok, error) -> onConnected(client, mqtt5, started, error));
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("MQTT probe could not start a connection", e);
      finish(ProbeFailures.map(e, context));
    }
  }

  private void onConnected(ProbeClient client, boolean mqtt5, long started, Throwable error) {
    try {
      if (finished.get()) {
        if (error == null) {
          client.disconnectQuietly(); // CONNACK after the deadline: close it now
        }
        return;
      }
      if (error != null) {
        if (mqtt5 && ProbeFailures.mqtt311MayHelp(error)) {
          LOG.debug("MQTT 5 refused by {}:{} ({}), retrying with MQTT 3.1.1", url.host(), target.port(),
              ProbeFailures.describe(error));
          onScheduler(() -> attempt(false));
          return;
        }
        failed(error);
        return;
      }
      latencyMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      readVersion(client);
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("MQTT probe failed unexpectedly", e);
      finish(latencyMs >= 0 ? connected(null, client) : ProbeFailures.map(e, context));
    }
  }

  /**
   * Ends the probe with the last attempt's failure. When the server closed the connection without an answer on a
   * plain TCP URL, first checks with {@link HttpSniff} whether it is an HTTP server whose answer was too short for
   * the client to notice.
   */
  private void failed(Throwable error) {
    ConnectionTestResult.Failed failed = ProbeFailures.map(error, context);
    if (LOG.isDebugEnabled()) {
      LOG.debug("MQTT probe of {}:{} failed: {} -> {}", url.host(), target.port(),
          ProbeFailures.describe(error), failed.code());
    }
    long remaining = remainingMs();
    if (!ProbeFailures.closedWithoutAnswer(error) || url.tls() || url.webSocket() || remaining < MIN_ATTEMPT_MS) {
      finish(failed);
      return;
    }
    HttpSniff.answersWithHttp(ProbeClients.address(target), stageTimeout(remaining), scheduler)
        .whenComplete((http, e) -> {
          if (Boolean.TRUE.equals(http)) {
            LOG.debug("MQTT probe of {}:{}: the server speaks HTTP", url.host(), target.port());
            finish(ProbeFailures.speaksHttp(context));
          } else {
            finish(failed);
          }
        });
  }

  /** @return the bound for one stage: what is left, less a margin so that the stage's own error wins */
  private static long stageTimeout(long remainingMs) {
    return Math.max(1, remainingMs - Math.min(MAX_STAGE_MARGIN_MS, remainingMs / 4));
  }

  /** Best effort: one SUBSCRIBE to the $SYS version topics, a bounded wait for a retained answer. */
  private void readVersion(ProbeClient client) {
    long wait = Math.min(versionWaitMs, remainingMs());
    if (wait <= 0) {
      finish(connected(null, client));
      return;
    }
    try {
      versionTask = scheduler.schedule(() -> finish(connected(null, client)), wait, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      finish(connected(null, client));
      return;
    }
    client.subscribeToVersionTopics((topic, payload) -> {
      String version = SysVersionParser.parse(topic, payload);
      if (version != null) {
        finish(connected(version, client));
      }
    }).whenComplete((granted, error) -> {
      if (error != null || !Boolean.TRUE.equals(granted)) {
        finish(connected(null, client)); // refused or failed: no version, still connected
      }
    });
  }

  private ConnectionTestResult connected(String version, ProbeClient client) {
    return new ConnectionTestResult.Connected(latencyMs, new BrokerInfo(version, client.protocol()));
  }

  private void onDeadline() {
    ProbeClient client = current;
    if (latencyMs >= 0 && client != null) {
      finish(connected(null, client));
    } else {
      finish(ProbeFailures.overallTimeout(context));
    }
  }

  private void onScheduler(Runnable task) {
    try {
      scheduler.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // shut down: still finish this probe
    }
  }

  private void finish(ConnectionTestResult outcome) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    cancel(deadlineTask);
    cancel(versionTask);
    ProbeClient client = current;
    if (client != null) {
      client.disconnectQuietly();
    }
    // never complete on a Netty thread: callers' continuations must not run there
    result.completeAsync(() -> outcome);
  }

  private static void cancel(Future<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }
}
