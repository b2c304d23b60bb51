package com.nexflux.integrations.providers.blynk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nexflux.integrations.core.blynk.BlynkPlatformApi;
import com.nexflux.integrations.core.blynk.BlynkServers;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.testing.FixedResolver;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.Timeouts;
import com.nexflux.integrations.providers.testing.FakeBlynk;
import com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The platform API adapter against the fake Blynk through the guarded client (region names resolved to 127.0.0.1,
 * sockets loopback only), with every log line captured: neither the client secret, nor an access token, nor a
 * device token Blynk lists may show, nor reach a value.
 */
class OkHttpBlynkPlatformApiTest {
  static final String SECRET = "CANARYclientSecret";
  static final String DEVICE_TOKEN = "CANARYdeviceTok3n0123456789abcd";

  private final FixedResolver resolver = new FixedResolver();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;
  private FakeBlynk blynk;
  private BlynkPlatformApi api;

  @BeforeEach
  void start() {
    logs.start();
    root.addAppender(logs);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    blynk = FakeBlynk.start().platformClient("oa2-client-id_a", SECRET, "org-a")
        .platformClient("oa2-client-id_b", "other-secret", "org-b");
    for (String host : List.of("blynk.cloud", "fra1.blynk.cloud")) {
      resolver.map(host, "127.0.0.1");
    }
    BlynkServers servers = BlynkServers.at(URI.create(blynk.url("blynk.cloud")));
    OkHttpClient base = new OkHttpClient.Builder().socketFactory(new LoopbackOnlySocketFactory()).build();
    OkHttpClient client = new OutboundHttpClients(base, new OutboundGuard(resolver, List.of()), resolver)
        .fixedHosts(servers.hosts()).timeouts(Timeouts.DEFAULT).maxRedirects(0).redacting("token").build();
    api = new OkHttpBlynkPlatformApi(client, servers, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    blynk.close();
    root.detachAppender(logs);
    root.setLevel(rootLevel);
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + e.getThrowableProxy())
        .doesNotContain("CANARY").doesNotContain("fake-blynk-at-"));
  }

  @Test
  void theTokenRequestIsBlynksDocumentedOne_grantTypeInTheQuery_basicAuth_emptyBody() {
    TokenSet token = api.token("fra1.blynk.cloud", "oa2-client-id_a", Secret.of(SECRET));
    assertThat(token.accessToken().reveal()).startsWith("fake-blynk-at-");
    assertThat(token.refreshToken()).isNull();
    assertThat(token.expiresAt()).isNotNull();
    FakeBlynk.TokenRequest sent = blynk.tokenRequests().get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.rawQuery()).isEqualTo("grant_type=client_credentials");
    assertThat(sent.body()).isEmpty();
    assertThat(sent.authentication()).isEqualTo("basic");
    assertThat(blynk.callsTo("fra1.blynk.cloud")).isEqualTo(1);
  }

  @Test
  void aRefusedClientIsCredentialsRejected_aDownEndpointUnavailable_neverQuotingTheSecret() {
    assertThatThrownBy(() -> api.token("blynk.cloud", "oa2-client-id_a", Secret.of("CANARYwrong")))
        .isInstanceOf(CredentialsRejectedException.class)
        .satisfies(e -> assertThat(((CredentialsRejectedException) e).providerError()).isEqualTo("invalid_client"))
        .satisfies(e -> assertThat(e.toString()).doesNotContain("CANARY"));
    blynk.tokenEndpointDown(true);
    assertThatThrownBy(() -> api.token("blynk.cloud", "oa2-client-id_a", Secret.of(SECRET)))
        .isInstanceOf(UnavailableException.class)
        .satisfies(e -> assertThat(e.toString()).doesNotContain("CANARY"));
  }

  @Test
  void devicesArePagedWithoutTheirTokens_onlineIsRead_andOtherOrganizationsAreNotFound() {
    for (int i = 0; i < 5; i++) {
      blynk.orgDevice("org-a", "Sensor " + i, DEVICE_TOKEN + i, i % 2 == 0);
    }
    FakeBlynk.OrgDevice foreign = blynk.orgDevice("org-b", "Foreign", DEVICE_TOKEN + "b", true);
    Secret token = api.token("blynk.cloud", "oa2-client-id_a", Secret.of(SECRET)).accessToken();

    BlynkPlatformApi.Page first = api.devices("blynk.cloud", token, 0, 2);
    BlynkPlatformApi.Page last = api.devices("blynk.cloud", token, 2, 2);
    assertThat(first.totalElements()).isEqualTo(5);
    assertThat(first.devices()).extracting(BlynkPlatformApi.OrgDevice::name).containsExactly("Sensor 0", "Sensor 1");
    assertThat(last.devices()).extracting(BlynkPlatformApi.OrgDevice::name).containsExactly("Sensor 4");
    assertThat(first.devices().get(0).templateId()).isEqualTo(353L);
    assertThat(first.toString() + last).doesNotContain("CANARY");

    assertThat(api.online("blynk.cloud", token, first.devices().get(0).id())).isTrue();
    assertThat(api.online("blynk.cloud", token, first.devices().get(1).id())).isFalse();
    assertThatThrownBy(() -> api.online("blynk.cloud", token, foreign.id()))
        .isInstanceOf(UnavailableException.class);
  }

  @Test
  void anExpiredTokenIs401_andBlynksRateLimitIs429() {
    Secret token = api.token("blynk.cloud", "oa2-client-id_a", Secret.of(SECRET)).accessToken();
    blynk.answer429(1);
    assertThatThrownBy(() -> api.devices("blynk.cloud", token, 0, 10)).isInstanceOf(RateLimitedException.class);
    assertThat(api.devices("blynk.cloud", token, 0, 10).devices()).isEmpty();
    blynk.expireAllTokens();
    assertThatThrownBy(() -> api.devices("blynk.cloud", token, 0, 10))
        .isInstanceOf(CredentialsRejectedException.class)
        .satisfies(e -> assertThat(e.toString()).doesNotContain("fake-blynk-at-"));
  }
}
