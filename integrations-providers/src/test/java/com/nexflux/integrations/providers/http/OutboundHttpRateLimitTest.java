package com.nexflux.integrations.providers.http;

import static com.nexflux.integrations.providers.http.OutboundHttpFixture.call;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.ok;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.RateLimitedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-connection token bucket (Arduino Cloud's free tier: 1 request a second). Time is a fake clock that only
 * the fake sleeper moves, so every assertion is about how long the limiter chose to wait, never about elapsed time.
 */
class OutboundHttpRateLimitTest {
  private static final RateLimitKey ALICE = RateLimitKey.of(new UserId(UUID.fromString(
      "00000000-0000-0000-0000-00000000000a")), Provider.ARDUINO_CLOUD);
  private static final RateLimitKey BOB = new RateLimitKey("arduino_cloud:bob");

  /** A clock that stands still until someone sleeps; every sleep is recorded. */
  static final class FakeTime implements LongSupplier, RateLimiter.Sleeper {
    long now = 1_000_000_000L;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public long getAsLong() {
      return now;
    }

    @Override
    public void sleep(Duration duration) {
      sleeps.add(duration);
      now += duration.toNanos();
    }

    void pass(Duration d) {
      now += d.toNanos();
    }
  }

  private final FakeTime time = new FakeTime();
  private final OutboundHttpFixture fixture = new OutboundHttpFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private RateLimiter limiter(double perSecond, int burst, Duration maxWait) {
    return new RateLimiter(RateLimit.perSecond(perSecond, burst, maxWait), time, time);
  }

  @Test
  void requestsForOneConnectionAreSpacedOneIntervalApart() throws Exception {
    RateLimiter limiter = limiter(1, 1, Duration.ofSeconds(5));

    assertThat(limiter.acquire(ALICE)).isZero();
    assertThat(limiter.acquire(ALICE)).isEqualTo(Duration.ofSeconds(1));
    assertThat(limiter.acquire(ALICE)).isEqualTo(Duration.ofSeconds(1));
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void aBurstGoesAtOnceThenTheRateHolds() throws Exception {
    RateLimiter limiter = limiter(2, 3, Duration.ofSeconds(5));

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire(ALICE)).isZero();
    }
    assertThat(limiter.acquire(ALICE)).isEqualTo(Duration.ofMillis(500));
    time.pass(Duration.ofSeconds(10)); // quiet: the bucket fills up to the burst, not beyond
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire(ALICE)).isZero();
    }
    assertThat(limiter.acquire(ALICE)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void connectionsHaveTheirOwnBuckets() throws Exception {
    RateLimiter limiter = limiter(1, 1, Duration.ofSeconds(5));

    assertThat(limiter.acquire(ALICE)).isZero();
    assertThat(limiter.acquire(BOB)).isZero();
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void waitingOnlyReservesWhatIsLeftOfTheInterval() throws Exception {
    RateLimiter limiter = limiter(1, 1, Duration.ofSeconds(5));
    limiter.acquire(ALICE);
    time.pass(Duration.ofMillis(700));

    assertThat(limiter.acquire(ALICE)).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aWaitBeyondTheBoundFailsWithoutTakingAPermit() throws Exception {
    RateLimiter limiter = limiter(1, 1, Duration.ofMillis(500));
    limiter.acquire(ALICE);

    assertThatThrownBy(() -> limiter.acquire(ALICE))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.code()).isEqualTo("RATE_LIMITED");
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
          assertThat(e.getMessage()).contains("1 request per second").doesNotContain(ALICE.value());
        });
    time.pass(Duration.ofSeconds(1));
    assertThat(limiter.acquire(ALICE)).as("the refused request took nothing").isZero();
  }

  @Test
  void aZeroWaitNeverWaits() throws Exception {
    RateLimiter limiter = limiter(1, 1, Duration.ZERO);
    limiter.acquire(ALICE);
    assertThatThrownBy(() -> limiter.acquire(ALICE)).isInstanceOf(RateLimitedException.class);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void theClientWaitsBeforeEachRequestOfAConnection() throws Exception {
    MockWebServer server = fixture.server();
    fixture.resolver.map("api2.arduino.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("").fixedHosts(Set.of("api2.arduino.test"))
        .rateLimiter(limiter(1, 1, Duration.ofSeconds(5))).build();
    for (int i = 0; i < 4; i++) {
      server.enqueue(ok("thing " + i));
    }

    for (int i = 0; i < 3; i++) {
      assertThat(call(client, request(server, ALICE))).isEqualTo("200 thing " + i);
    }
    assertThat(call(client, request(server, BOB))).isEqualTo("200 thing 3");

    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(fixture.logLines()).anySatisfy(line -> assertThat(line)
        .startsWith("Waited 1000 ms for the rate limit of " + ALICE.value()));
  }

  @Test
  void aRedirectHopCountsAsARequest() throws Exception {
    MockWebServer server = fixture.server();
    fixture.resolver.map("api2.arduino.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("").fixedHosts(Set.of("api2.arduino.test"))
        .rateLimiter(limiter(1, 1, Duration.ofSeconds(5))).build();
    server.enqueue(redirect(307, "/moved"));
    server.enqueue(ok("moved"));

    assertThat(call(client, request(server, ALICE))).isEqualTo("200 moved");
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void beyondTheBoundedWaitTheRequestIsNotSent() throws Exception {
    MockWebServer server = fixture.server();
    fixture.resolver.map("api2.arduino.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("").fixedHosts(Set.of("api2.arduino.test"))
        .rateLimiter(limiter(1, 1, Duration.ofMillis(500))).build();
    server.enqueue(ok("first"));

    call(client, request(server, ALICE));
    assertThatThrownBy(() -> call(client, request(server, ALICE))).isInstanceOf(RateLimitedException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aRateLimitedClientRefusesUntaggedRequests() {
    MockWebServer server = fixture.server();
    fixture.resolver.map("api2.arduino.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("").fixedHosts(Set.of("api2.arduino.test"))
        .rateLimiter(limiter(1, 1, Duration.ofSeconds(5))).build();

    assertThatThrownBy(() -> call(client, OutboundHttpFixture.get(url(server))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("RateLimitKey");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theBoundedWaitMustBeShorterThanTheCallTimeout() {
    OutboundHttpClients.Spec spec = fixture.clients("").fixedHosts(Set.of("api2.arduino.test"))
        .timeouts(Timeouts.DEFAULT.withCall(Duration.ofSeconds(10)))
        .rateLimit(RateLimit.perSecond(1, 1, Duration.ofSeconds(10)));
    assertThatThrownBy(spec::build).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsAndKeysAreValidated() {
    assertThatThrownBy(() -> RateLimit.perSecond(0, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateLimit.perSecond(Double.NaN, 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateLimit.perSecond(1, 0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateLimit.perSecond(1, 1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimitKey(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(RateLimit.perSecond(4, 1, Duration.ZERO).interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(ALICE.value()).isEqualTo("arduino_cloud:00000000-0000-0000-0000-00000000000a");
  }

  @Test
  void theSystemLimiterLetsAFullBucketThroughWithoutSleeping() throws Exception {
    RateLimiter limiter = RateLimiter.create(RateLimit.perSecond(1, 2, Duration.ZERO));
    assertThat(limiter.acquire(ALICE)).isZero();
    assertThat(limiter.acquire(ALICE)).isZero();
    assertThatThrownBy(() -> limiter.acquire(ALICE)).isInstanceOf(RateLimitedException.class);
  }

  private static String url(MockWebServer server) {
    return "http://api2.arduino.test:" + server.getPort() + "/iot/v2/things";
  }

  private static Request request(MockWebServer server, RateLimitKey key) {
    return new Request.Builder().url(url(server)).tag(RateLimitKey.class, key).build();
  }
}
