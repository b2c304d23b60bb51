package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.http.support.ApiFixture;
import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A host service's own Javalin with {@code api.mount(config)}: both sets of routes work, neither swallows the other. */
class HostMountTest {
  private final ApiFixture fixture = new ApiFixture();
  private final Javalin host;

  HostMountTest() {
    host = Javalin.create(config -> {
      config.routes.get("/host/hello", ctx -> ctx.result("hello from host"));
      config.routes.get("/host/boom", ctx -> {
        throw new IllegalStateException("host failure");
      });
      config.routes.exception(IllegalStateException.class, (e, ctx) -> ctx.status(418).result("host handled"));
      // Javalin's default Jackson: camelCase, instants as numbers. Our answers must not change with it.
      config.jsonMapper(new io.javalin.json.JavalinJackson());
      fixture.api.mount(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    host.stop();
    fixture.close();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    return fixture.send(request);
  }

  @Test
  void hostRoutes_keepWorking_withoutOurAuthOrHeaders() {
    HttpResponse<String> r = send(request("/host/hello").GET());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello from host");
    assertThat(r.headers().firstValue("X-Request-Id")).isEmpty();
    assertThat(r.headers().firstValue("Cache-Control")).isEmpty();
  }

  @Test
  void hostExceptions_stillReachTheHostsMapper() {
    HttpResponse<String> r = send(request("/host/boom").GET());
    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(r.body()).isEqualTo("host handled");
  }

  @Test
  void ourRoutes_workOnTheHost_inOurEnvelope_withOurJsonDespiteTheHostsMapper() {
    fixture.mqtt.view = com.nexflux.integrations.http.support.FakeMqtt.connectedView();
    HttpResponse<String> r = send(request("/api/v1/users/me/integrations/mqtt")
        .header("Authorization", "Bearer " + fixture.token).GET());
    assertThat(data(r, 200).get("last_connected_at").asText()).isEqualTo("2026-01-15T10:30:00Z");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    data(send(request("/health/live").GET()), 200);
  }

  @Test
  void ourRoutes_requireAuthenticationOnTheHost() {
    HttpResponse<String> r = send(request("/api/v1/users/me/integrations").GET());
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  void unexpectedExceptionsInOurHandlers_areOurs_notTheHosts() {
    fixture.mqtt.failure = new IllegalStateException("would have been 418 at the host");
    HttpResponse<String> r = send(request("/api/v1/users/me/integrations/mqtt")
        .header("Authorization", "Bearer " + fixture.token).GET());
    error(r, 500, "INTERNAL");
    assertThat(r.body()).doesNotContain("418", "host");
  }

  @Test
  void ourDomainErrors_areMappedOnTheHost() {
    fixture.mqtt.failure = ValidationException.of("broker_url", "is required");
    HttpResponse<String> r = send(request("/api/v1/users/me/integrations/mqtt")
        .header("Authorization", "Bearer " + fixture.token)
        .PUT(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(error(r, 400, "VALIDATION_FAILED").get("details").get(0).get("field").asText())
        .isEqualTo("broker_url");
  }

  @Test
  void ourBodyLimit_appliesOnTheHostEvenToChunkedBodies() {
    byte[] big = ("{\"device_id\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes();
    HttpResponse<String> r = send(request("/api/v1/users/me/integrations/mqtt")
        .header("Authorization", "Bearer " + fixture.token)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
    error(r, 413, "PAYLOAD_TOO_LARGE");
    assertThat(fixture.mqtt.lastCall).isNull();
  }

  @Test
  void mountingTwice_failsLoudly() {
    assertThatThrownBy(() -> Javalin.create(config -> {
      fixture.api.mount(config);
      fixture.api.mount(config);
    })).isInstanceOf(IllegalArgumentException.class);
  }
}
