package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.http.support.ApiFixture;
import com.nexflux.integrations.http.support.FakeGitHub;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /internal/v1/projects/changed}: the service-token endpoint for services that do not embed us. */
class InternalRoutesTest {
  private static final String PATH = "/internal/v1/projects/changed";
  private static final UUID USER = UUID.fromString("8b1f0c8e-3c4b-4f55-9a61-0d3c2b9f7e21");
  private static final String BODY = "{\"user_id\": \"" + USER + "\", \"project_id\": \"proj-42\"}";

  private ApiFixture api = ApiFixture.withGitHub();

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> post(String authorization, String body) {
    HttpRequest.Builder request = api.request(PATH).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return api.send(request);
  }

  @Test
  void withTheRightToken_is202Queued_andTheCoreGetsUserAndProject() {
    HttpResponse<String> r = post("Bearer " + ApiFixture.INTERNAL_TOKEN, BODY);
    assertThat(data(r, 202).toString()).isEqualTo("{\"queued\":true}");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(api.github.projectChanges)
        .containsExactly(new FakeGitHub.ProjectChange(new UserId(USER), "proj-42"));
  }

  @Test
  void withAWrongToken_is401() {
    HttpResponse<String> r = post("Bearer " + ApiFixture.INTERNAL_TOKEN + "x", BODY);
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
    error(post("Bearer " + ApiFixture.INTERNAL_TOKEN.substring(1), BODY), 401, "UNAUTHORIZED");
    assertThat(api.github.projectChanges).isEmpty();
  }

  @Test
  void withAUsersJwtOrNoToken_is401() {
    error(post("Bearer " + api.token, BODY), 401, "UNAUTHORIZED");
    HttpResponse<String> none = post(null, BODY);
    error(none, 401, "UNAUTHORIZED");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(api.github.projectChanges).isEmpty();
  }

  @Test
  void withoutAConfiguredToken_isDisabled_404() {
    api.close();
    api = new ApiFixture(null, (b, f) -> f.gitHubWired = true);
    error(post("Bearer " + ApiFixture.INTERNAL_TOKEN, BODY), 404, "NOT_FOUND");
    error(post(null, BODY), 404, "NOT_FOUND");
    assertThat(api.github.projectChanges).isEmpty();
  }

  @Test
  void badBodies_are400NamingTheField() {
    String auth = "Bearer " + ApiFixture.INTERNAL_TOKEN;
    JsonNode e = error(post(auth, "{\"user_id\": \"1-2-3-4-5\", \"project_id\": \"\", \"extra\": 1}"), 400,
        "VALIDATION_FAILED");
    assertThat(e.get("details").findValuesAsText("field")).containsExactly("extra", "user_id", "project_id");
    e = error(post(auth, "{\"user_id\": 7}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").findValuesAsText("field")).containsExactly("user_id", "project_id");
    assertThat(api.github.projectChanges).isEmpty();
  }

  @Test
  void withATokenButNoGitHub_is503() {
    api.close();
    api = new ApiFixture(null, (b, f) -> b.internalApiToken(ApiFixture.INTERNAL_TOKEN));
    error(post("Bearer " + ApiFixture.INTERNAL_TOKEN, BODY), 503, "PROVIDER_NOT_CONFIGURED");
    error(post("Bearer wrong", BODY), 401, "UNAUTHORIZED");
  }

  @Test
  void isNotBehindTheUserAuthentication_andNotUnderTheUserApi() {
    // a user's token is not enough, a service token is: the user before-handler did not run
    data(post("Bearer " + ApiFixture.INTERNAL_TOKEN, BODY), 202);
    assertThat(api.accounts.admitted).isEmpty();
  }

  @Test
  void theBuilderRefusesAWeakToken() {
    assertThatThrownBy(() -> IntegrationsApi.builder().internalApiToken("short"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("short");
    assertThatThrownBy(() -> IntegrationsApi.builder().internalApiToken("x".repeat(31) + " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(IntegrationsApi.builder().internalApiToken(null)).isNotNull();
  }
}
