package com.nexflux.integrations.providers.http;

import static com.nexflux.integrations.providers.http.OutboundHttpFixture.CANARY;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.call;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.get;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.providers.http.OutboundRefusedException.Reason;
import java.net.UnknownHostException;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client for hosts users type (ThingsBoard's {@code base_url}): the outbound guard runs in its DNS on every
 * lookup, IP literals are checked before OkHttp connects to them, and nothing reaches a refused address.
 */
class OutboundHttpUserHostsTest {
  private final OutboundHttpFixture fixture = new OutboundHttpFixture();
  private final MockWebServer server = fixture.server();

  @AfterEach
  void close() {
    fixture.close();
  }

  private String url(String host) {
    return "http://" + host + ":" + server.getPort() + "/api/auth/login?token=" + CANARY;
  }

  @Test
  void aHostResolvingToLoopbackIsRefusedAndNothingIsSent() {
    fixture.resolver.map("tb.example.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("").forUserHosts(Timeouts.DEFAULT);

    assertThatThrownBy(() -> call(client, get(url("tb.example.test"))))
        .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
          assertThat(e.code()).isEqualTo("HOST_NOT_ALLOWED");
          assertThat(e.host()).isEqualTo("tb.example.test");
          assertThat(e.reason()).isEqualTo(Reason.NETWORK_NOT_ALLOWED);
          assertThat(e.getMessage()).contains("'tb.example.test'").contains("private, loopback or reserved")
              .doesNotContain(CANARY).doesNotContain("/api");
        });
    assertThat(server.getRequestCount()).isZero();
    assertThat(fixture.resolver.lookupCount("tb.example.test")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "10.0.0.5", "192.168.1.1", "::ffff:127.0.0.1", "fd00:ec2::254"})
  void aHostResolvingToAnInternalAddressIsRefusedBeforeAnyConnection(String address) {
    fixture.resolver.map("tb.example.test", address);
    OkHttpClient client = fixture.clients("").forUserHosts(Timeouts.DEFAULT);

    assertThatThrownBy(() -> call(client, get(url("tb.example.test"))))
        .isInstanceOf(OutboundRefusedException.class);
    assertThat(fixture.sockets.refused()).as("no socket was even asked to connect there").isEmpty();
  }

  @Test
  void everyResolvedAddressMustBeAllowed() {
    fixture.resolver.map("tb.example.test", "127.0.0.1", "127.0.0.2");
    OkHttpClient client = fixture.clients("127.0.0.1/32").forUserHosts(Timeouts.DEFAULT);

    assertThatThrownBy(() -> call(client, get(url("tb.example.test"))))
        .isInstanceOf(OutboundRefusedException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRebindingBetweenLookupsIsRefusedOnTheLookupThatSeesIt() throws Exception {
    fixture.resolver.map("tb.example.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("127.0.0.1/32").forUserHosts(Timeouts.DEFAULT);
    server.enqueue(ok("first"));

    assertThat(call(client, get(url("tb.example.test")))).isEqualTo("200 first");

    fixture.resolver.map("tb.example.test", "127.0.0.2"); // the attacker's DNS now answers another address
    fixture.pool.evictAll(); // the next call needs a new connection, hence a new lookup

    assertThatThrownBy(() -> call(client, get(url("tb.example.test"))))
        .isInstanceOfSatisfying(OutboundRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NETWORK_NOT_ALLOWED));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(fixture.resolver.lookupCount("tb.example.test")).as("the guard ran on each lookup").isEqualTo(2);
  }

  @Test
  void loopbackIsAllowedWhenItsNetworkIsInTheAllowedNetworks() throws Exception {
    fixture.resolver.map("tb.example.test", "127.0.0.1");
    OkHttpClient client = fixture.clients("127.0.0.0/8").forUserHosts(Timeouts.DEFAULT);
    server.enqueue(ok("by name"));
    server.enqueue(ok("by address"));

    assertThat(call(client, get(url("tb.example.test")))).isEqualTo("200 by name");
    assertThat(call(client, get(url("127.0.0.1")))).isEqualTo("200 by address");
    assertThat(server.takeRequest().getUrl().queryParameter("token")).isEqualTo(CANARY);
  }

  @Test
  void anIpLiteralIsCheckedAlthoughOkHttpNeverAsksTheDnsForIt() {
    OkHttpClient client = fixture.clients("").forUserHosts(Timeouts.DEFAULT);

    assertThatThrownBy(() -> call(client, get(url("127.0.0.1"))))
        .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
          assertThat(e.host()).isEqualTo("127.0.0.1");
          assertThat(e.reason()).isEqualTo(Reason.NETWORK_NOT_ALLOWED);
        });
    assertThatThrownBy(() -> call(client, get(url("[::1]")))).isInstanceOf(OutboundRefusedException.class);
    assertThat(server.getRequestCount()).isZero();
    assertThat(fixture.resolver.lookups()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2130706433", "127.1", "0", "017700000001"})
  void looseNumericHostsAreRefusedEvenWhenLoopbackIsAllowed(String host) {
    OkHttpClient client = fixture.clients("127.0.0.0/8").forUserHosts(Timeouts.DEFAULT);

    assertThatThrownBy(() -> call(client, get(url(host))))
        .isInstanceOfSatisfying(OutboundRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_CANONICAL_ADDRESS));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void anInterceptorOfTheBaseClientCannotSwapTheGuardedDnsOrAddAProxy() {
    fixture.resolver.map("tb.example.test", "127.0.0.1");
    OkHttpClient permissiveBase = fixture.base.newBuilder()
        .addInterceptor(chain -> chain.withDns(host -> java.util.List.of(java.net.InetAddress.getByName("127.0.0.1")))
            .proceed(chain.request()))
        .build();
    OkHttpClient client = new OutboundHttpClients(permissiveBase,
        new com.nexflux.integrations.core.net.OutboundGuard(fixture.resolver, java.util.List.of()), fixture.resolver)
        .forUserHosts(Timeouts.DEFAULT);

    assertThatThrownBy(() -> call(client, get(url("tb.example.test"))))
        .isInstanceOf(OutboundRefusedException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void anUnknownHostStaysAnIoFailureForTheAdapterToReport() {
    OkHttpClient client = fixture.clients("").forUserHosts(Timeouts.DEFAULT);

    assertThatThrownBy(() -> call(client, get(url("nowhere.example.test"))))
        .isInstanceOf(UnknownHostException.class)
        .isNotInstanceOf(OutboundRefusedException.class);
  }
}
