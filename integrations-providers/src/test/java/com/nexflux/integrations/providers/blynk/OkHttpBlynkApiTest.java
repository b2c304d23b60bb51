package com.nexflux.integrations.providers.blynk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nexflux.integrations.core.blynk.BlynkDeviceApi;
import com.nexflux.integrations.core.blynk.BlynkPin;
import com.nexflux.integrations.core.blynk.BlynkRejectedException;
import com.nexflux.integrations.core.blynk.BlynkServers;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.testing.FixedResolver;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.OutboundRefusedException;
import com.nexflux.integrations.providers.http.Timeouts;
import com.nexflux.integrations.providers.testing.FakeBlynk;
import com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The Blynk adapter against the fake Blynk through the guarded client: region host names are mapped to 127.0.0.1
 * by a fixed resolver, sockets may only reach loopback, and every log line is captured to check the token never
 * shows.
 */
class OkHttpBlynkApiTest {
  static final String TOKEN = "CANARYblynkTok3n0123456789abcdef";
  static final String OTHER = "CANARYotherTok3n0123456789abcdef";

  private final FixedResolver resolver = new FixedResolver();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;
  private FakeBlynk blynk;
  private BlynkDeviceApi api;

  @BeforeEach
  void start() {
    logs.start();
    root.addAppender(logs);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    blynk = FakeBlynk.start();
    for (String host : List.of("blynk.cloud", "fra1.blynk.cloud", "lon1.blynk.cloud", "evil.test")) {
      resolver.map(host, "127.0.0.1");
    }
    BlynkServers servers = BlynkServers.at(URI.create(blynk.url("blynk.cloud")));
    OkHttpClient base = new OkHttpClient.Builder().socketFactory(new LoopbackOnlySocketFactory()).build();
    OkHttpClient client = new OutboundHttpClients(base, new OutboundGuard(resolver, List.of()), resolver)
        .fixedHosts(servers.hosts()).timeouts(Timeouts.DEFAULT).maxRedirects(0).redacting("token").build();
    api = new OkHttpBlynkApi(client, servers, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    blynk.close();
    root.detachAppender(logs);
    root.setLevel(rootLevel);
  }

  private void assertTokenNeverLogged() {
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("CANARY"));
  }

  @Test
  void readsOnlineStateAndAllValues() {
    blynk.addDevice(TOKEN, "blynk.cloud", 0, 1, 4).value(1, "21.5").online(false);

    assertThat(api.isHardwareConnected("blynk.cloud", Secret.of(TOKEN)).value()).isFalse();
    BlynkDeviceApi.Reply<Map<String, Object>> all = api.getAll("blynk.cloud", Secret.of(TOKEN));
    assertThat(all.value()).containsEntry("v1", 21.5).containsEntry("v0", 0).containsKey("v4");
    assertThat(all.server()).isEqualTo("blynk.cloud");
    assertThat(blynk.received()).allSatisfy(r -> assertThat(r.path()).startsWith("/external/api/"));
    assertTokenNeverLogged();
  }

  @Test
  void a308ToAnotherRegionIsFollowed_andTheRegionReported() {
    blynk.addDevice(TOKEN, "fra1.blynk.cloud", 1);

    BlynkDeviceApi.Reply<Boolean> reply = api.isHardwareConnected("blynk.cloud", Secret.of(TOKEN));

    assertThat(reply.value()).isTrue();
    assertThat(reply.server()).isEqualTo("fra1.blynk.cloud");
    assertThat(blynk.callsTo("blynk.cloud")).isEqualTo(1);
    assertThat(blynk.callsTo("fra1.blynk.cloud")).isEqualTo(1);
    assertThat(api.isHardwareConnected(reply.server(), Secret.of(TOKEN)).server()).isEqualTo("fra1.blynk.cloud");
    assertThat(blynk.callsTo("blynk.cloud")).as("the remembered region is asked directly").isEqualTo(1);
    assertTokenNeverLogged();
  }

  @Test
  void aRedirectAnywhereElseIsRefused_andNothingIsSentThere() {
    blynk.addDevice(TOKEN, "blynk.cloud", 1).redirectTo(308, blynk.url("evil.test") + "/external/api/getAll");
    blynk.addDevice(OTHER, "blynk.cloud", 1).redirectTo(302, blynk.url("fra1.blynk.cloud")
        + "/external/api/getAll");

    assertThatThrownBy(() -> api.getAll("blynk.cloud", Secret.of(TOKEN)))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("redirect was refused").hasMessageNotContaining("CANARY");
    assertThatThrownBy(() -> api.getAll("blynk.cloud", Secret.of(OTHER)))
        .as("only a 308 is Blynk's region redirect").isInstanceOf(UnavailableException.class)
        .hasMessageContaining("HTTP 302");
    assertThat(blynk.callsTo("evil.test")).isZero();
    assertThat(blynk.callsTo("fra1.blynk.cloud")).isZero();
    assertThat(resolver.lookupCount("evil.test")).isZero();
    assertTokenNeverLogged();
  }

  @Test
  void aServerOffTheListIsNeverAsked() {
    assertThatThrownBy(() -> api.getAll("evil.test", Secret.of(TOKEN))).isInstanceOf(IllegalArgumentException.class);
    assertThat(blynk.received()).isEmpty();
  }

  @Test
  void aRefusedTokenIsBlynksInvalidToken_withoutTheToken() {
    assertThatThrownBy(() -> api.isHardwareConnected("blynk.cloud", Secret.of(TOKEN)))
        .isInstanceOfSatisfying(BlynkRejectedException.class, e -> {
          assertThat(e.reason()).isEqualTo(BlynkRejectedException.Reason.INVALID_TOKEN);
          assertThat(e.blynkMessage()).isEqualTo("Invalid token.");
          assertThat(e.getMessage()).doesNotContain("CANARY");
        });
    assertTokenNeverLogged();
  }

  @Test
  void writesOnePinOrSeveral_andBlynksPinErrorsCome_back() {
    FakeBlynk.Device d = blynk.addDevice(TOKEN, "blynk.cloud", 1, 2);

    api.update("blynk.cloud", Secret.of(TOKEN), Map.of(new BlynkPin(1), "100"));
    Map<BlynkPin, String> two = new LinkedHashMap<>();
    two.put(new BlynkPin(1), "7");
    two.put(new BlynkPin(2), "hello world");
    api.update("blynk.cloud", Secret.of(TOKEN), two);

    assertThat(d.value(1)).isEqualTo("7");
    assertThat(d.value(2)).isEqualTo("hello world");
    assertThat(blynk.calls("update")).isEqualTo(1);
    assertThat(blynk.calls("batch/update")).isEqualTo(1);
    assertThatThrownBy(() -> api.update("blynk.cloud", Secret.of(TOKEN), Map.of(new BlynkPin(9), "1")))
        .isInstanceOfSatisfying(BlynkRejectedException.class, e -> {
          assertThat(e.reason()).isEqualTo(BlynkRejectedException.Reason.NO_DATASTREAM);
          assertThat(e.blynkMessage()).isEqualTo("No datastream setup for that pin.");
        });
    assertTokenNeverLogged();
  }

  @Test
  void theFakeRefusesAWrongPinFormat_asBlynkDoes() throws Exception {
    blynk.addDevice(TOKEN, "blynk.cloud", 1);
    OkHttpClient plain = new OkHttpClient.Builder()
        .dns(host -> List.of(java.net.InetAddress.getByName("127.0.0.1"))).build();
    try (okhttp3.Response answer = plain.newCall(new okhttp3.Request.Builder()
        .url(blynk.url("blynk.cloud") + "/external/api/update?token=" + TOKEN + "&x1=5").build()).execute()) {
      assertThat(answer.code()).isEqualTo(400);
      assertThat(answer.body().string()).isEqualTo("{\"error\":{\"message\":\"Wrong pin format.\"}}");
    }
    try (okhttp3.Response answer = plain.newCall(new okhttp3.Request.Builder()
        .url(blynk.url("blynk.cloud") + "/external/api/GetAll?token=" + TOKEN).build()).execute()) {
      assertThat(answer.code()).as("paths are case-sensitive").isEqualTo(404);
    }
  }

  @Test
  void refusedHostsFailBeforeAnyLookup() {
    OkHttpClient bare = new OutboundHttpClients(new OkHttpClient(), new OutboundGuard(resolver, List.of()), resolver)
        .fixedHosts(List.of("blynk.cloud")).maxRedirects(0).build();
    BlynkServers servers = BlynkServers.at(URI.create(blynk.url("blynk.cloud")));
    OkHttpBlynkApi narrow = new OkHttpBlynkApi(bare, servers, Clock.systemUTC());
    assertThatThrownBy(() -> narrow.getAll("fra1.blynk.cloud", Secret.of(TOKEN)))
        .isInstanceOf(OutboundRefusedException.class);
  }
}
