package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.core.net.ResolvedTarget;
import com.nexflux.integrations.core.mqtt.MqttBrokerProbe;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link MqttBrokerProbe} that opens no connection. Each call takes the next scripted answer
 * ({@link #willReturn}, {@link #willAnswer}, {@link #willHold}, {@link #willNeverComplete}); when the script is
 * empty it answers {@link #defaultResult} (a success unless changed with {@link #willAlwaysReturn}).
 *
 * <p>Every call is recorded as a {@link Call}: the URL, the target address, the user name, and whether a password
 * was passed. The password text itself is not kept: only a salted SHA-256 digest, so a test can ask
 * {@link Call#passwordIs(String)}, while {@code toString()} and the accessors never show it. Thread-safe.
 */
public final class ScriptedProbe implements MqttBrokerProbe {
  /** The default answer: an MQTT 5 mosquitto that accepted the connection after 12 ms. */
  public static final ConnectionTestResult.Connected CONNECTED =
      new ConnectionTestResult.Connected(12, new BrokerInfo("mosquitto/2.0.11", BrokerInfo.MQTT_5));

  private final Deque<Function<Call, CompletableFuture<ConnectionTestResult>>> script = new ArrayDeque<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<ConnectionTestResult>> handedOut = new CopyOnWriteArrayList<>();
  private volatile ConnectionTestResult defaultResult = CONNECTED;

  /** A probe that answers {@link #CONNECTED} until scripted otherwise. */
  public ScriptedProbe() {}

  /** @return a failure with {@code code} and a fixed message */
  public static ConnectionTestResult.Failed failed(ProbeErrorCode code) {
    return new ConnectionTestResult.Failed(code, "scripted failure: " + code.name());
  }

  /** The next call answers {@code result}. */
  public synchronized ScriptedProbe willReturn(ConnectionTestResult result) {
    Objects.requireNonNull(result, "result");
    script.addLast(call -> CompletableFuture.completedFuture(result));
    return this;
  }

  /** The next call answers what {@code answer} computes from the call. */
  public synchronized ScriptedProbe willAnswer(Function<Call, ConnectionTestResult> answer) {
    Objects.requireNonNull(answer, "answer");
    script.addLast(call -> CompletableFuture.completedFuture(answer.apply(call)));
    return this;
  }

  /** The next call returns {@code future} as is (complete it from the test when you want). */
  public synchronized ScriptedProbe willReturnFuture(CompletableFuture<ConnectionTestResult> future) {
    Objects.requireNonNull(future, "future");
    script.addLast(call -> future);
    return this;
  }

  /** The next call returns a future that the test completes; that future is returned here. */
  public CompletableFuture<ConnectionTestResult> willHold() {
    CompletableFuture<ConnectionTestResult> f = new CompletableFuture<>();
    willReturnFuture(f);
    return f;
  }

  /** The next call returns a future that never completes (a probe that hangs). */
  public ScriptedProbe willNeverComplete() {
    return willReturnFuture(new CompletableFuture<>());
  }

  /** Calls with an empty script answer {@code result} from now on. */
  public ScriptedProbe willAlwaysReturn(ConnectionTestResult result) {
    this.defaultResult = Objects.requireNonNull(result, "result");
    return this;
  }

  /** @return what a call answers when the script is empty */
  public ConnectionTestResult defaultResult() {
    return defaultResult;
  }

  @Override
  public CompletableFuture<ConnectionTestResult> probe(BrokerUrl url, ResolvedTarget target, String username,
      Secret password, Duration timeout) {
    Call call = new Call(url, target, username, password, timeout);
    calls.add(call);
    Function<Call, CompletableFuture<ConnectionTestResult>> next;
    synchronized (this) {
      next = script.pollFirst();
    }
    CompletableFuture<ConnectionTestResult> f =
        next == null ? CompletableFuture.completedFuture(defaultResult) : next.apply(call);
    handedOut.add(f);
    return f;
  }

  /** @return every call, oldest first */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** @return how many calls were made */
  public int callCount() {
    return calls.size();
  }

  /** @return the latest call; fails when there was none */
  public Call lastCall() {
    if (calls.isEmpty()) {
      throw new AssertionError("the probe was never called");
    }
    return calls.get(calls.size() - 1);
  }

  /** @return how many scripted answers are left */
  public synchronized int scriptedLeft() {
    return script.size();
  }

  /** Completes every future handed out and still pending with {@code result} (cleanup after a hanging probe). */
  public void completePending(ConnectionTestResult result) {
    handedOut.forEach(f -> f.complete(result));
  }

  /** One recorded call. Holds no password text. */
  public static final class Call {
    private static final byte[] SALT = randomSalt();

    private final BrokerUrl url;
    private final ResolvedTarget target;
    private final String username;
    private final byte[] passwordDigest; // null when no password was passed
    private final Duration timeout;

    Call(BrokerUrl url, ResolvedTarget target, String username, Secret password, Duration timeout) {
      this.url = url;
      this.target = target;
      this.username = username;
      this.passwordDigest = password == null ? null : digest(password.reveal());
      this.timeout = timeout;
    }

    /** @return the broker URL the probe was given */
    public BrokerUrl url() {
      return url;
    }

    /** @return the checked target the probe was given */
    public ResolvedTarget target() {
      return target;
    }

    /** @return the address the probe was told to connect to */
    public InetAddress address() {
      return target.address();
    }

    /** @return the user name passed, or {@code null} */
    public String username() {
      return username;
    }

    /** @return whether a password was passed */
    public boolean passwordGiven() {
      return passwordDigest != null;
    }

    /** @return whether the password passed was exactly {@code candidate} ({@code false} when none was passed) */
    public boolean passwordIs(String candidate) {
      return passwordDigest != null && MessageDigest.isEqual(passwordDigest, digest(candidate));
    }

    /** @return the time budget the probe was given */
    public Duration timeout() {
      return timeout;
    }

    @Override
    public String toString() {
      return "Call[url=" + url + ", target=" + target + ", username=" + username + ", passwordGiven="
          + passwordGiven() + ", timeout=" + timeout + "]";
    }

    private static byte[] digest(String text) {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(SALT);
        return md.digest(text.getBytes(StandardCharsets.UTF_8));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private static byte[] randomSalt() {
      byte[] s = new byte[16];
      new java.security.SecureRandom().nextBytes(s);
      return s;
    }
  }
}
