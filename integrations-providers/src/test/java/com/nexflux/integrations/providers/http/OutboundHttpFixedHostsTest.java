package com.nexflux.integrations.providers.http;

import static com.nexflux.integrations.providers.http.OutboundHttpFixture.call;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.get;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.providers.http.OutboundRefusedException.Reason;
import java.net.URI;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A client for a provider's fixed hosts: an allow-list of names (and {@code *.domain} patterns), nothing else. */
class OutboundHttpFixedHostsTest {
  private final OutboundHttpFixture fixture = new OutboundHttpFixture();
  private final MockWebServer server = fixture.server();

  @AfterEach
  void close() {
    fixture.close();
  }

  private String url(String host) {
    return "http://" + host + ":" + server.getPort() + "/x";
  }

  @Test
  void anAllowListedHostIsCalledWithoutClassifyingItsAddress() throws Exception {
    fixture.resolver.map("api.provider.test", "127.0.0.1"); // loopback, and no allowed networks: still fine
    OkHttpClient client = fixture.clients("").forFixedHosts(Set.of("api.provider.test"), Timeouts.DEFAULT);
    server.enqueue(ok("hello"));

    assertThat(call(client, get(url("api.provider.test")))).isEqualTo("200 hello");
    server.enqueue(ok("again"));
    assertThat(call(client, get(url("API.Provider.test")))).as("case does not matter").isEqualTo("200 again");
  }

  @Test
  void anyOtherHostIsRefusedBeforeItIsEvenLookedUp() {
    fixture.resolver.map("api.provider.test", "127.0.0.1").map("other.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("127.0.0.0/8").forFixedHosts(Set.of("api.provider.test"), Timeouts.DEFAULT);

    assertThatThrownBy(() -> call(client, get(url("other.test"))))
        .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
          assertThat(e.host()).isEqualTo("other.test");
          assertThat(e.reason()).isEqualTo(Reason.NOT_ON_ALLOW_LIST);
          assertThat(e.getMessage()).isEqualTo(
              "Refused to connect to host 'other.test': it is not one of the hosts this client may call");
        });
    assertThatThrownBy(() -> call(client, get(url("127.0.0.1"))))
        .as("an IP literal not on the list, though the guard would allow it")
        .isInstanceOf(OutboundRefusedException.class);
    assertThat(server.getRequestCount()).isZero();
    assertThat(fixture.resolver.lookupCount("other.test")).isZero();
  }

  @Test
  void anIpLiteralOnTheListIsAllowed() throws Exception {
    OkHttpClient client = fixture.clients("").forFixedHosts(Set.of("127.0.0.1"), Timeouts.DEFAULT);
    server.enqueue(ok("literal"));

    assertThat(call(client, get(url("127.0.0.1")))).isEqualTo("200 literal");
  }

  @Test
  void aPatternAllowsSubdomainsOnly() throws Exception {
    for (String host : List.of("fra1.blynk.test", "a.b.blynk.test", "blynk.test", "evilblynk.test")) {
      fixture.resolver.map(host, "127.0.0.1");
    }
    OkHttpClient client = fixture.clients("").forFixedHosts(Set.of("*.blynk.test"), Timeouts.DEFAULT);
    server.enqueue(ok("fra1"));
    server.enqueue(ok("deep"));

    assertThat(call(client, get(url("fra1.blynk.test")))).isEqualTo("200 fra1");
    assertThat(call(client, get(url("a.b.blynk.test")))).isEqualTo("200 deep");
    assertThatThrownBy(() -> call(client, get(url("blynk.test")))).isInstanceOf(OutboundRefusedException.class);
    assertThatThrownBy(() -> call(client, get(url("evilblynk.test")))).isInstanceOf(OutboundRefusedException.class);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"*.com", "*.", "", "a b", "http://x.test", "user@x.test", "*.127.0.0.1", "x.*.test"})
  void malformedAllowListEntriesAreRefused(String entry) {
    OutboundHttpClients clients = fixture.clients("");
    assertThatThrownBy(() -> clients.fixedHosts(List.of(entry))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyAllowListIsRefused() {
    assertThatThrownBy(() -> fixture.clients("").fixedHosts(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostsOfTakesTheHostsOfConfiguredEndpoints() {
    assertThat(OutboundHttpClients.hostsOf(URI.create("https://api.github.com"),
        URI.create("https://github.com/login/oauth/access_token"), URI.create("http://[::1]:8080/x"),
        URI.create("https://API.GitHub.com/v3")))
        .containsExactlyInAnyOrder("api.github.com", "github.com", "::1");
    assertThatThrownBy(() -> OutboundHttpClients.hostsOf(URI.create("ftp://files.test/")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theClientHasTheGuardsSettings() {
    Timeouts timeouts = new Timeouts(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(3),
        java.time.Duration.ofSeconds(4), java.time.Duration.ofSeconds(9));
    OkHttpClient client = fixture.clients("").forFixedHosts(Set.of("api.provider.test"), timeouts);

    assertThat(client.followRedirects()).isFalse();
    assertThat(client.followSslRedirects()).isFalse();
    assertThat(client.proxy()).isEqualTo(java.net.Proxy.NO_PROXY);
    assertThat(client.connectTimeoutMillis()).isEqualTo(2000);
    assertThat(client.readTimeoutMillis()).isEqualTo(3000);
    assertThat(client.writeTimeoutMillis()).isEqualTo(4000);
    assertThat(client.callTimeoutMillis()).isEqualTo(9000);
    assertThat(client.connectionPool()).as("shared with the base").isSameAs(fixture.pool);
    assertThat(client.dispatcher()).as("shared with the base").isSameAs(fixture.base.dispatcher());
  }
}
