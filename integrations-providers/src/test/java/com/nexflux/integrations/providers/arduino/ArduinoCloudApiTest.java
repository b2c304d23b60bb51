package com.nexflux.integrations.providers.arduino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.arduino.ArduinoApi;
import com.nexflux.integrations.core.arduino.ArduinoDevice;
import com.nexflux.integrations.core.arduino.ArduinoProperty;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.net.HostResolver;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.RateLimit;
import com.nexflux.integrations.providers.http.RateLimiter;
import com.nexflux.integrations.providers.testing.FakeArduinoCloud;
import com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link OkHttpArduinoApi} against the contract-checked {@link FakeArduinoCloud} on loopback. */
class ArduinoCloudApiTest {
  static final String ORG = "8f9c3c5e-1a2b-4c3d-9e8f-0123456789ab";
  static final String SECRET = "s3cr3t-never-echoed";

  private final FakeArduinoCloud fake = FakeArduinoCloud.start()
      .apiKey("client-a", SECRET, "account-a", ORG);
  private final OkHttpClient base = new OkHttpClient.Builder().socketFactory(new LoopbackOnlySocketFactory()).build();
  private final OutboundHttpClients clients =
      new OutboundHttpClients(base, new OutboundGuard(HostResolver.SYSTEM, List.of()), HostResolver.SYSTEM);
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final UserId user = new UserId(UUID.randomUUID());

  @AfterEach
  void stop() {
    fake.close();
  }

  private OkHttpArduinoApi api(OkHttpClient http) {
    return new OkHttpArduinoApi(http, fake.baseUrl(), Clock.systemUTC(), sleeps::add);
  }

  private OkHttpArduinoApi api() {
    return api(clients.fixedHosts(Set.of("127.0.0.1")).build());
  }

  private ArduinoApi.Call call(String org) {
    return new ArduinoApi.Call(user, api().token(user, "client-a", Secret.of(SECRET), org).accessToken(), org);
  }

  @Test
  void aTokenForAnOrganizationSendsOrganizationIdAndTheHeader_andLastsWhatArduinoSays() {
    TokenSet token = api().token(user, "client-a", Secret.of(SECRET), ORG);
    assertThat(token.expiresAt()).isAfter(Instant.now().plusSeconds(250));
    assertThat(token.refreshToken()).isNull();
    assertThat(fake.tokenRequestOrganizations()).containsExactly(ORG);
    assertThat(api().devices(new ArduinoApi.Call(user, token.accessToken(), ORG))).isEmpty();
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void refusedCredentialsAreCredentialsRejected_andTheMessageHasNoSecret() {
    assertThatThrownBy(() -> api().token(user, "client-a", Secret.of("wrong-" + SECRET), null))
        .isInstanceOf(CredentialsRejectedException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }

  @Test
  void anOrganizationTheKeyIsNoMemberOfNamesOrganizationId() {
    assertThatThrownBy(() -> api().token(user, "client-a", Secret.of(SECRET), UUID.randomUUID().toString()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(com.nexflux.integrations.core.error.FieldError::field).containsExactly("organization_id"));
  }

  @Test
  void devicesThingsAndPropertiesAreRead_andTheRequestsKeepTheContract() {
    String thing = fake.device("account-a", new FakeArduinoCloud.Device(UUID.randomUUID().toString(), "Bench",
        "esp32", "ONLINE", Instant.parse("2026-01-02T03:04:05Z")), "Bench thing",
        List.of(FakeArduinoCloud.property("temperature", "TEMPERATURE_C", "READ_ONLY", 21.5)));
    ArduinoApi.Call call = call(null);
    List<ArduinoDevice> devices = api().devices(call);
    assertThat(devices).singleElement().satisfies(d -> {
      assertThat(d.name()).isEqualTo("Bench");
      assertThat(d.status()).isEqualTo("online");
      assertThat(d.lastActivity()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
      assertThat(d.thingId()).isEqualTo(thing);
    });
    assertThat(api().things(call)).singleElement().satisfies(t -> assertThat(t.deviceId())
        .isEqualTo(devices.get(0).id()));
    List<ArduinoProperty> props = api().properties(call, thing);
    assertThat(props).singleElement().satisfies(p -> {
      assertThat(p.lastValue()).isEqualTo(21.5);
      assertThat(p.writable()).isFalse();
      assertThat(p.variableName()).isEqualTo("temperature");
    });
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void publishingToAReadOnlyPropertyIsRefusedByArduino_andAWritableOneTakesTheValue() {
    FakeArduinoCloud.Property ro = FakeArduinoCloud.property("temperature", "TEMPERATURE_C", "READ_ONLY", 21.5);
    FakeArduinoCloud.Property rw = FakeArduinoCloud.property("lamp", "HOME_SWITCH", "READ_WRITE", false);
    String thing = fake.device("account-a", new FakeArduinoCloud.Device(UUID.randomUUID().toString(), "Bench",
        "esp32", "OFFLINE", null), "Bench thing", List.of(ro, rw));
    ArduinoApi.Call call = call(null);
    assertThatThrownBy(() -> api().publish(call, thing, ro.id(), 30))
        .isInstanceOf(ValidationException.class);
    api().publish(call, thing, rw.id(), true);
    assertThat(rw.lastValue().asBoolean()).isTrue();
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void a429IsWaitedOutWithABoundedBackOff() {
    ArduinoApi.Call call = call(null);
    fake.answer429(2, null);
    int before = fake.apiRequests();
    assertThat(api().devices(call)).isEmpty();
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(fake.apiRequests() - before).isEqualTo(3);

    sleeps.clear();
    fake.answer429(10, 1);
    assertThatThrownBy(() -> api().devices(call)).isInstanceOf(RateLimitedException.class);
    assertThat(sleeps).hasSize(OkHttpArduinoApi.MAX_RETRIES);
  }

  @Test
  void theRateLimitSpacesOneConnectionsRequests_asTheFakeCounts() {
    ArduinoApi.Call call = call(null);
    OkHttpArduinoApi limited = api(clients.fixedHosts(Set.of("127.0.0.1"))
        .rateLimiter(RateLimiter.create(RateLimit.perSecond(2, 1, Duration.ofSeconds(10)))).build());
    for (int i = 0; i < 6; i++) {
      limited.devices(call);
    }
    // unlimited, all six arrive within a few milliseconds; at 2/s with a burst of 1, a second sees at most 3
    // (two spaced requests plus one whose arrival jitter crosses the window's edge)
    assertThat(fake.mostApiRequestsWithin(Duration.ofSeconds(1))).isLessThanOrEqualTo(3);
  }

  @Test
  void arduinoDownIsUnavailable() {
    fake.down(true);
    assertThatThrownBy(() -> api().token(user, "client-a", Secret.of(SECRET), null))
        .isInstanceOf(UnavailableException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }
}
