package com.nexflux.integrations.providers.http;

import static com.nexflux.integrations.providers.http.OutboundHttpFixture.CANARY;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.call;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.get;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.ok;
import static com.nexflux.integrations.providers.http.OutboundHttpFixture.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.error.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens that providers take in query strings never reach a log line or a message: the {@link Redactor} itself,
 * and every failure and log line of a guarded client with a token in the URL.
 */
class OutboundHttpRedactionTest {
  private final OutboundHttpFixture fixture = new OutboundHttpFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void sensitiveQueryValuesUserInfoAndFragmentsAreRemovedFromUrls() {
    HttpUrl url = HttpUrl.get("https://user:pa55@blynk.cloud/external/api/update?token=" + CANARY
        + "&v1=100&Access_Token=a1&api_key=k2&client_secret=s3&TOKEN=t4&v2#frag");

    String redacted = Redactor.DEFAULT.url(url);

    assertThat(redacted).isEqualTo("https://blynk.cloud/external/api/update?token=REDACTED&v1=100"
        + "&Access_Token=REDACTED&api_key=REDACTED&client_secret=REDACTED&TOKEN=REDACTED&v2");
    assertThat(Redactor.DEFAULT.url(HttpUrl.get("https://api.github.com/user"))).isEqualTo("https://api.github.com/user");
  }

  @Test
  void freeTextLosesSecretsButKeepsEverythingElse() {
    String text = "failed: https://bob:hunter2@tb.example/api?x=1&token=" + CANARY + "; retry token=" + CANARY
        + " and mytoken=visible, key=k9#top";

    assertThat(Redactor.DEFAULT.text(text)).isEqualTo("failed: https://tb.example/api?x=1&token=REDACTED; retry "
        + "token=REDACTED and mytoken=visible, key=REDACTED#top");
    assertThat(Redactor.DEFAULT.text(null)).isNull();
  }

  @Test
  void aProviderCanAddItsOwnParameters() {
    Redactor redactor = Redactor.DEFAULT.withParameters("deviceKey");

    assertThat(redactor.url(HttpUrl.get("https://iot.example/x?devicekey=d1&token=t1&name=n")))
        .isEqualTo("https://iot.example/x?devicekey=REDACTED&token=REDACTED&name=n");
    assertThat(redactor.isSensitive("DEVICEKEY")).isTrue();
    assertThat(Redactor.DEFAULT.isSensitive("devicekey")).isFalse();
    assertThatThrownBy(() -> Redactor.DEFAULT.withParameters("a=b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noFailureOrLogLineOfAGuardedClientCarriesTheQueryToken() throws Exception {
    MockWebServer server = fixture.server();
    fixture.resolver.map("blynk.test", "127.0.0.1").map("fra1.blynk.test", "127.0.0.1")
        .map("evil.test", "127.0.0.1").map("tb.example.test", "127.0.0.1");
    OkHttpClient blynk = fixture.clients("").fixedHosts(Set.of("blynk.test", "*.blynk.test")).redacting("dev")
        .maxRedirects(1).build();
    OkHttpClient users = fixture.clients("").userHosts().redacting("dev").build();
    String query = "/external/api/get?token=" + CANARY + "&dev=" + CANARY + "&v1";
    String base = "http://blynk.test:" + server.getPort();
    List<String> messages = new ArrayList<>();

    server.enqueue(redirect(308, "http://fra1.blynk.test:" + server.getPort() + query));
    server.enqueue(ok("followed"));
    assertThat(call(blynk, get(base + query))).isEqualTo("200 followed");

    server.enqueue(redirect(308, "http://evil.test:" + server.getPort() + query));
    messages.add(thrown(() -> call(blynk, get(base + query)), OutboundRefusedException.class));

    server.enqueue(redirect(308, base + query));
    server.enqueue(redirect(308, base + query));
    messages.add(thrown(() -> call(blynk, get(base + query)), UnavailableException.class));

    messages.add(thrown(() -> call(blynk, get("http://evil.test:" + server.getPort() + query)),
        OutboundRefusedException.class));
    messages.add(thrown(() -> call(users, get("http://tb.example.test:" + server.getPort() + query)),
        OutboundRefusedException.class));
    messages.add(thrown(() -> call(users, get("http://127.0.0.1:" + server.getPort() + query)),
        OutboundRefusedException.class));

    assertThat(messages).hasSize(5).allSatisfy(m -> assertThat(m).isNotBlank().doesNotContain(CANARY));
    List<String> lines = fixture.logLines();
    assertThat(lines).as("the failures were logged").hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(line -> assertThat(line).doesNotContain(CANARY));
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("token=REDACTED").contains("dev=REDACTED"));
  }

  private static String thrown(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      Class<? extends Throwable> type) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).isInstanceOf(type);
    StringBuilder all = new StringBuilder();
    for (Throwable e = t; e != null; e = e.getCause()) {
      all.append(e).append('\n');
    }
    return all.toString();
  }
}
