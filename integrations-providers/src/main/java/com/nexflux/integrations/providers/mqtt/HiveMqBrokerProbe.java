package com.nexflux.integrations.providers.mqtt;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.MqttBrokerProbe;
import com.nexflux.integrations.core.net.ResolvedTarget;
import com.nexflux.integrations.providers.mqtt.internal.ProbeRun;
import com.nexflux.integrations.providers.mqtt.internal.ProbeThreads;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The MQTT broker connection test on the HiveMQ MQTT client (async API only).
 *
 * <p>One {@link #probe probe} opens one short-lived connection to {@link ResolvedTarget#address()} (never a second
 * DNS lookup; the host name is kept for TLS SNI, certificate checks and the WebSocket {@code Host} header), over
 * TCP, TLS, WebSocket or WebSocket over TLS as the URL's scheme says. It
 * <ul>
 *   <li>tries MQTT 5 first and falls back to MQTT 3.1.1 when the broker refuses MQTT 5 in any of the ways old
 *       brokers do (a 3.1.1 or MQTT 5 CONNACK refusing the version, a CONNACK the MQTT 5 client cannot decode, a
 *       close or reset right after CONNECT), never after failures 3.1.1 cannot fix (DNS, refused, timeouts, TLS,
 *       WebSocket, authentication, an HTTP answer);</li>
 *   <li>reports an HTTP server as {@code NOT_MQTT_ENDPOINT} saying that it speaks HTTP, also when its answer was
 *       too short for the client to decode (checked with one bare CONNECT without credentials);</li>
 *   <li>uses a throwaway client identifier {@code nexflux-probe-<random hex>} with clean start and session expiry
 *       0, so a device connected with its real id is never kicked off;</li>
 *   <li>measures {@code latency_ms} from the {@code connect()} call to CONNACK;</li>
 *   <li>after CONNACK, reads the broker version best effort from {@code $SYS} (mosquitto, EMQX) for at most the
 *       configured version wait;</li>
 *   <li>always disconnects afterwards, without waiting for it;</li>
 *   <li>completes within the given timeout (plus scheduling slack) with a {@link ConnectionTestResult}; a failure
 *       is a {@link ConnectionTestResult.Failed} whose message a student can act on and which never contains the
 *       user name or the password. The returned future never completes exceptionally.</li>
 * </ul>
 *
 * <p>The calling thread is never blocked. Timeouts run on one small daemon scheduler owned by this instance;
 * {@link #close()} shuts it down. The returned future is completed on a pool thread (the common
 * {@link java.util.concurrent.ForkJoinPool}), never on a Netty I/O thread. The class is thread-safe; share one
 * instance.
 */
public final class HiveMqBrokerProbe implements MqttBrokerProbe, AutoCloseable {

  /** How long to wait for the broker's {@code $SYS} version message by default: 1500 ms. */
  public static final Duration DEFAULT_VERSION_WAIT = Duration.ofMillis(1500);

  private final Duration versionWait;
  private final ScheduledThreadPoolExecutor scheduler;

  /** A probe that waits up to {@link #DEFAULT_VERSION_WAIT} for the broker version. */
  public HiveMqBrokerProbe() {
    this(DEFAULT_VERSION_WAIT);
  }

  /**
   * A probe with its own version wait.
   *
   * @param versionWait how long to wait after CONNACK for a {@code $SYS} version message (never longer than
   *     what is left of a probe's timeout); zero skips the version look-up
   * @throws IllegalArgumentException if {@code versionWait} is negative
   */
  public HiveMqBrokerProbe(Duration versionWait) {
    Objects.requireNonNull(versionWait, "versionWait");
    if (versionWait.isNegative()) {
      throw new IllegalArgumentException("versionWait must not be negative");
    }
    this.versionWait = versionWait;
    this.scheduler = ProbeThreads.newScheduler();
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code url}, {@code target} or {@code timeout} is {@code null}
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  @Override
  public CompletableFuture<ConnectionTestResult> probe(BrokerUrl url, ResolvedTarget target, String username,
      Secret password, Duration timeout) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    return ProbeRun.start(scheduler, url, target, username, password, timeout, versionWait);
  }

  /**
   * Shuts the timeout scheduler down. Probes already running still complete (their timeouts still fire); new
   * probes complete at once with {@link com.nexflux.integrations.core.mqtt.ProbeErrorCode#UNKNOWN}.
   */
  @Override
  public void close() {
    scheduler.shutdown();
  }
}
