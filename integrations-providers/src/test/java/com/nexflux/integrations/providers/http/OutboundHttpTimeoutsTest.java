package com.nexflux.integrations.providers.http;

import static com.nexflux.integrations.providers.http.OutboundHttpFixture.call;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.providers.testing.SilentListener;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bounded timeouts: a provider that accepts and never answers costs a bounded wait (asserted by outcome only). */
class OutboundHttpTimeoutsTest {
  private final OutboundHttpFixture fixture = new OutboundHttpFixture();
  private final SilentListener silent = new SilentListener();

  @AfterEach
  void close() {
    silent.close();
    fixture.close();
  }

  @Test
  void aServerThatNeverAnswersEndsInATimeout() {
    fixture.resolver.map("slow.provider.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("").forFixedHosts(Set.of("slow.provider.test"),
        Timeouts.DEFAULT.withRead(Duration.ofMillis(200)));

    assertThatThrownBy(() -> call(client, get("http://slow.provider.test:" + silent.port() + "/")))
        .isInstanceOf(InterruptedIOException.class);
    assertThat(silent.acceptedCount()).isEqualTo(1);
  }

  @Test
  void theCallTimeoutBoundsTheWholeCall() {
    fixture.resolver.map("slow.provider.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("").forFixedHosts(Set.of("slow.provider.test"),
        Timeouts.DEFAULT.withRead(Duration.ofMinutes(5)).withCall(Duration.ofMillis(300)));

    assertThatThrownBy(() -> call(client, get("http://slow.provider.test:" + silent.port() + "/")))
        .isInstanceOf(InterruptedIOException.class);
  }

  @Test
  void timeoutsAreBounded() {
    assertThat(Timeouts.DEFAULT).isEqualTo(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15),
        Duration.ofSeconds(15), Duration.ofSeconds(30)));
    assertThatThrownBy(() -> Timeouts.DEFAULT.withConnect(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeouts.DEFAULT.withRead(Duration.ofNanos(999_999)))
        .as("OkHttp would read 0 ms as no timeout").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeouts.DEFAULT.withWrite(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeouts.DEFAULT.withCall(Duration.ofMinutes(11)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeouts.DEFAULT.withCall(null)).isInstanceOf(NullPointerException.class);
  }
}
