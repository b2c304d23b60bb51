package com.nexflux.integrations.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.providers.http.internal.Redirects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of one redirect, on real OkHttp values and without I/O: what counts as a redirect, the https-to-http
 * refusal (a local https server would need certificates this module's tests do not have) and one-shot bodies.
 */
class OutboundHttpRedirectRulesTest {
  private static final HttpUrl FROM = HttpUrl.get("https://blynk.cloud/external/api/get?token=x");

  private static Response answer(int code, String location) {
    Response.Builder b = new Response.Builder().request(new Request.Builder().url(FROM).build())
        .protocol(Protocol.HTTP_1_1).code(code).message("m");
    if (location != null) {
      b.header("Location", location);
    }
    return b.build();
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void theFiveRedirectCodesWithALocationAreRedirects(int code) {
    assertThat(Redirects.target(answer(code, "https://fra1.blynk.cloud/x")))
        .isEqualTo(HttpUrl.get("https://fra1.blynk.cloud/x"));
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 300, 304, 305, 400})
  void otherCodesAreNot(int code) {
    assertThat(Redirects.target(answer(code, "https://fra1.blynk.cloud/x"))).isNull();
  }

  @Test
  void aRelativeLocationResolvesAgainstTheRequest() {
    assertThat(Redirects.target(answer(302, "/other?a=1"))).isEqualTo(HttpUrl.get("https://blynk.cloud/other?a=1"));
  }

  @Test
  void aMissingOrNonHttpLocationIsNoRedirect() {
    assertThat(Redirects.target(answer(308, null))).isNull();
    assertThat(Redirects.target(answer(302, "ftp://files.example/x"))).isNull();
  }

  @Test
  void leavingHttpsForHttpIsADowngrade() {
    assertThat(Redirects.downgrades(FROM, HttpUrl.get("http://fra1.blynk.cloud/x"))).isTrue();
    assertThat(Redirects.downgrades(FROM, HttpUrl.get("https://fra1.blynk.cloud/x"))).isFalse();
    assertThat(Redirects.downgrades(HttpUrl.get("http://tb.example/x"), HttpUrl.get("https://tb.example/x")))
        .as("an upgrade is fine").isFalse();
  }

  @Test
  void anOriginIsSchemeHostAndPort() {
    assertThat(Redirects.sameOrigin(FROM, HttpUrl.get("https://blynk.cloud:443/y"))).isTrue();
    assertThat(Redirects.sameOrigin(FROM, HttpUrl.get("http://blynk.cloud/y"))).isFalse();
    assertThat(Redirects.sameOrigin(FROM, HttpUrl.get("https://blynk.cloud:8443/y"))).isFalse();
    assertThat(Redirects.sameOrigin(FROM, HttpUrl.get("https://fra1.blynk.cloud/y"))).isFalse();
  }

  @Test
  void aOneShotBodyIsNotSentTwice() {
    RequestBody oneShot = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("application/octet-stream");
      }

      @Override
      public void writeTo(BufferedSink sink) {}

      @Override
      public boolean isOneShot() {
        return true;
      }
    };
    Request post = new Request.Builder().url(FROM).post(oneShot).build();

    assertThat(Redirects.follow(post, 307, HttpUrl.get("https://fra1.blynk.cloud/x"))).isNull();
    assertThat(Redirects.follow(post, 303, HttpUrl.get("https://fra1.blynk.cloud/x")).method()).isEqualTo("GET");
  }

  @Test
  void a303KeepsHead() {
    Request head = new Request.Builder().url(FROM).head().build();
    assertThat(Redirects.follow(head, 303, HttpUrl.get("https://fra1.blynk.cloud/x")).method()).isEqualTo("HEAD");
  }
}
