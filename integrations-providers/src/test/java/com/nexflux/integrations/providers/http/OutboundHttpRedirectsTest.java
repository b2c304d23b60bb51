package com.nexflux.integrations.providers.http;

import static com.nexflux.integrations.providers.http.OutboundHttpFixture.CANARY;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.call;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.get;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.ok;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.providers.http.OutboundRefusedException.Reason;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redirects, the Blynk way: the wrong region answers 308 with the right host in {@code Location}. Followed only to
 * hosts the client may reach, with credentials kept to their origin, and the final URL reported.
 */
class OutboundHttpRedirectsTest {
  private final OutboundHttpFixture fixture = new OutboundHttpFixture();
  private final MockWebServer global = fixture.server(); // "blynk.test"
  private final MockWebServer region = fixture.server(); // "fra1.blynk.test"
  private OkHttpClient client;

  @BeforeEach
  void start() {
    fixture.resolver.map("blynk.test", "127.0.0.1").map("fra1.blynk.test", "127.0.0.1")
        .map("evil.test", "127.0.0.1");
    client = fixture.clients("").forFixedHosts(Set.of("blynk.test", "*.blynk.test"), Timeouts.DEFAULT);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private String globalUrl() {
    return "http://blynk.test:" + global.getPort() + "/external/api/get?token=" + CANARY + "&v1";
  }

  private String regionUrl(String host) {
    return "http://" + host + ":" + region.getPort() + "/external/api/get?token=" + CANARY + "&v1";
  }

  @Test
  void withMaxRedirectsZero_theRedirectIsReturnedToTheCaller_andNothingIsSentToItsTarget() throws Exception {
    OkHttpClient none = fixture.clients("").fixedHosts(Set.of("blynk.test", "*.blynk.test")).maxRedirects(0).build();
    global.enqueue(redirect(308, regionUrl("fra1.blynk.test")));

    try (Response response = none.newCall(get(globalUrl())).execute()) {
      assertThat(response.code()).isEqualTo(308);
      assertThat(response.header("Location")).contains("fra1.blynk.test");
      assertThat(response.priorResponse()).isNull();
    }
    assertThat(region.getRequestCount()).isZero();
  }

  @Test
  void a308ToAnAllowedHostIsFollowedAndTheFinalUrlReported() throws Exception {
    global.enqueue(redirect(308, regionUrl("fra1.blynk.test")));
    region.enqueue(ok("42"));

    try (Response response = client.newCall(get(globalUrl())).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("42");
      assertThat(response.request().url().host()).as("the region to remember").isEqualTo("fra1.blynk.test");
      assertThat(response.request().url().port()).isEqualTo(region.getPort());
      assertThat(response.priorResponse()).isNotNull();
      assertThat(response.priorResponse().code()).isEqualTo(308);
      assertThat(response.priorResponse().request().url().host()).isEqualTo("blynk.test");
    }
    assertThat(region.takeRequest().getUrl().queryParameter("token")).isEqualTo(CANARY);
    assertThat(fixture.logLines()).anySatisfy(line -> assertThat(line).startsWith("Following HTTP 308 from")
        .contains("token=REDACTED").contains("fra1.blynk.test"));
  }

  @Test
  void a308ToAnotherHostIsRefusedAndNothingIsSentThere() {
    global.enqueue(redirect(308, regionUrl("evil.test")));

    assertThatThrownBy(() -> call(client, get(globalUrl())))
        .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
          assertThat(e.host()).isEqualTo("evil.test");
          assertThat(e.reason()).isEqualTo(Reason.NOT_ON_ALLOW_LIST);
          assertThat(e.getMessage()).isEqualTo("Refused to follow a redirect (HTTP 308) from host 'blynk.test' to "
              + "host 'evil.test': it is not one of the hosts this client may call");
        });
    assertThat(global.getRequestCount()).isEqualTo(1);
    assertThat(region.getRequestCount()).isZero();
    assertThat(fixture.resolver.lookupCount("evil.test")).isZero();
  }

  @Test
  void aUserHostClientRefusesARedirectToARefusedAddress() {
    OkHttpClient users = fixture.clients("127.0.0.1/32").forUserHosts(Timeouts.DEFAULT);
    global.enqueue(redirect(302, "http://127.0.0.2:" + region.getPort() + "/elsewhere?token=" + CANARY));

    assertThatThrownBy(() -> call(users, get(globalUrl().replace("blynk.test", "127.0.0.1"))))
        .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
          assertThat(e.host()).isEqualTo("127.0.0.2");
          assertThat(e.reason()).isEqualTo(Reason.NETWORK_NOT_ALLOWED);
        });
    assertThat(region.getRequestCount()).isZero();
  }

  @Test
  void credentialsAreNotSentToAnotherHost() throws Exception {
    global.enqueue(redirect(308, regionUrl("fra1.blynk.test")));
    region.enqueue(ok("ok"));

    call(client, new Request.Builder().url(globalUrl())
        .header("Authorization", "Bearer " + CANARY).header("Cookie", "session=" + CANARY).build());

    RecordedRequest first = global.takeRequest();
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + CANARY);
    RecordedRequest second = region.takeRequest();
    assertThat(second.getHeaders().get("Authorization")).isNull();
    assertThat(second.getHeaders().get("Cookie")).isNull();
  }

  @Test
  void aSameHostNameOnTheSameServerButAnotherNameIsAnotherHost() throws Exception {
    global.enqueue(redirect(307, "http://fra1.blynk.test:" + global.getPort() + "/moved"));
    global.enqueue(ok("moved"));

    call(client, new Request.Builder().url(globalUrl()).header("Authorization", "Bearer " + CANARY).build());

    global.takeRequest();
    assertThat(global.takeRequest().getHeaders().get("Authorization")).isNull();
  }

  @Test
  void credentialsStayOnASameOriginRedirect() throws Exception {
    global.enqueue(redirect(301, "/external/api/v2/get"));
    global.enqueue(ok("ok"));

    call(client, new Request.Builder().url(globalUrl()).header("Authorization", "Bearer " + CANARY).build());

    global.takeRequest();
    RecordedRequest second = global.takeRequest();
    assertThat(second.getUrl().encodedPath()).isEqualTo("/external/api/v2/get");
    assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer " + CANARY);
  }

  @Test
  void a303TurnsAPostIntoAGetAndA307KeepsIt() throws Exception {
    RequestBody body = RequestBody.create("{\"v\":1}", MediaType.get("application/json"));
    global.enqueue(redirect(303, "/see-other"));
    global.enqueue(ok("seen"));
    global.enqueue(redirect(307, "/temporary"));
    global.enqueue(ok("kept"));

    assertThat(call(client, new Request.Builder().url(globalUrl()).post(body).build())).isEqualTo("200 seen");
    assertThat(call(client, new Request.Builder().url(globalUrl()).post(body).build())).isEqualTo("200 kept");

    assertThat(global.takeRequest().getMethod()).isEqualTo("POST");
    RecordedRequest seeOther = global.takeRequest();
    assertThat(seeOther.getMethod()).isEqualTo("GET");
    assertThat(seeOther.getBodySize()).isZero();
    assertThat(seeOther.getHeaders().get("Content-Type")).isNull();
    global.takeRequest();
    RecordedRequest temporary = global.takeRequest();
    assertThat(temporary.getMethod()).isEqualTo("POST");
    assertThat(temporary.getBody().utf8()).isEqualTo("{\"v\":1}");
  }

  @Test
  void aRedirectLoopStopsAfterTheLimit() {
    OkHttpClient twice = fixture.clients("").fixedHosts(Set.of("blynk.test")).maxRedirects(2).build();
    for (int i = 0; i < 3; i++) {
      global.enqueue(redirect(302, "/loop?token=" + CANARY));
    }

    assertThatThrownBy(() -> call(twice, get(globalUrl())))
        .isInstanceOf(UnavailableException.class)
        .hasMessage("Gave up after 2 redirects; the last went from host 'blynk.test' to host 'blynk.test'");
    assertThat(global.getRequestCount()).isEqualTo(3);
  }

  @Test
  void a308WithoutLocationIsAnAnswerNotARedirect() throws Exception {
    global.enqueue(new MockResponse.Builder().code(308).addHeader("Range", "bytes=0-262143").build());

    try (Response response = client.newCall(get(globalUrl())).execute()) {
      assertThat(response.code()).isEqualTo(308);
      assertThat(response.header("Range")).isEqualTo("bytes=0-262143");
    }
  }
}
