package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.http.support.ApiFixture;
import com.nexflux.integrations.http.support.FakeOAuthFlows;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The GitHub, OAuth and internal routes on a host's Javalin ({@code api.mount(config)}): auth scoping. */
class GitHubHostMountTest {
  private final ApiFixture fixture = ApiFixture.withGitHub();
  private final Javalin host;

  GitHubHostMountTest() {
    host = Javalin.create(config -> {
      // the host's own routes next to ours, under /api/v1/auth and /internal too
      config.routes.get("/api/v1/auth/login", ctx -> ctx.result("host login"));
      config.routes.get("/internal/host-status", ctx -> ctx.result("host internal"));
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

  @Test
  void gitHubUserRoutes_areAuthenticatedOnTheHost() {
    for (String path : new String[] {"/api/v1/users/me/integrations/github",
        "/api/v1/users/me/integrations/github/syncs", "/api/v1/users/me/integrations/github/syncs/x"}) {
      HttpResponse<String> r = fixture.send(request(path).GET());
      error(r, 401, "UNAUTHORIZED");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
    error(fixture.send(request("/api/v1/users/me/integrations/github/sync")
        .POST(HttpRequest.BodyPublishers.ofString("{}"))), 401, "UNAUTHORIZED");
    assertThat(fixture.github.lastCall).isNull();

    data(fixture.send(request("/api/v1/users/me/integrations/github")
        .header("Authorization", "Bearer " + fixture.token).GET()), 200);
    assertThat(fixture.github.lastUser).isEqualTo(fixture.user);
  }

  @Test
  void connectAndCallback_areNotBehindTheUserAuthentication() {
    HttpResponse<String> connect = fixture.send(request("/api/v1/auth/github/connect?intent=sign_in").GET());
    assertThat(connect.statusCode()).isEqualTo(302);
    assertThat(connect.headers().firstValue("Location")).hasValue(FakeOAuthFlows.AUTHORIZATION_URL.toString());
    assertThat(connect.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(connect.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(connect.headers().firstValue("X-Request-Id")).isPresent();

    HttpResponse<String> linked = fixture.send(request("/api/v1/auth/github/connect")
        .header("Authorization", "Bearer " + fixture.token).GET());
    assertThat(linked.statusCode()).isEqualTo(302);
    assertThat(fixture.oauth.starts.get(1).linkingUser()).contains(fixture.user);

    HttpResponse<String> callback = fixture.send(request("/api/v1/auth/github/callback?state=s&code=c")
        .header("Cookie", "nexflux_oauth_github=v").GET());
    assertThat(callback.statusCode()).isEqualTo(302);
    assertThat(callback.headers().firstValue("Location")).hasValue(fixture.oauth.completeAnswer.toString());
    assertThat(fixture.oauth.completions.get(0).cookieValue()).isEqualTo("v");
  }

  @Test
  void internalRoute_usesTheServiceToken_notTheUserAuthentication() {
    String body = "{\"user_id\": \"" + fixture.userUuid + "\", \"project_id\": \"p1\"}";
    data(fixture.send(request("/internal/v1/projects/changed")
        .header("Authorization", "Bearer " + ApiFixture.INTERNAL_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body))), 202);
    error(fixture.send(request("/internal/v1/projects/changed")
        .header("Authorization", "Bearer " + fixture.token)
        .POST(HttpRequest.BodyPublishers.ofString(body))), 401, "UNAUTHORIZED");
    assertThat(fixture.github.projectChanges).hasSize(1);
  }

  @Test
  void theHostsOwnAuthAndInternalRoutes_getNoneOfOurHandlers() {
    for (String path : new String[] {"/api/v1/auth/login", "/internal/host-status"}) {
      HttpResponse<String> r = fixture.send(request(path).GET());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-Id")).as(path).isEmpty();
      assertThat(r.headers().firstValue("Referrer-Policy")).as(path).isEmpty();
      assertThat(r.headers().firstValue("Cache-Control")).as(path).isEmpty();
    }
  }
}
