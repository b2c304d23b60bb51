package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nexflux.integrations.core.oauth.ReauthRequiredException;
import com.nexflux.integrations.core.github.GitHubView;
import com.nexflux.integrations.http.support.ApiFixture;
import com.nexflux.integrations.http.support.FakeGitHub;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/users/me/integrations/github[/sync|/syncs|/syncs/{id}]}. */
class GitHubRoutesTest {
  private static final String GITHUB = "/api/v1/users/me/integrations/github";
  private static final String SYNC = GITHUB + "/sync";
  private static final String SYNCS = GITHUB + "/syncs";

  private ApiFixture api = ApiFixture.withGitHub();

  @AfterEach
  void stop() {
    api.close();
  }

  private static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> detailFields(JsonNode error) {
    List<String> names = new ArrayList<>();
    error.get("details").forEach(d -> names.add(d.get("field").asText()));
    return names;
  }

  @Test
  void get_answersTheSpecsFieldNamesExactly() {
    HttpResponse<String> r = api.get(GITHUB);
    JsonNode d = data(r, 200);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(fields(d)).containsExactly("connected", "username", "avatar_url", "email", "connected_at",
        "repositories", "auto_sync", "scopes", "status");
    assertThat(d.get("connected").asBoolean()).isTrue();
    assertThat(d.get("username").asText()).isEqualTo("johndoe");
    assertThat(d.get("avatar_url").asText()).isEqualTo("https://github.com/johndoe.png");
    assertThat(d.get("email").asText()).isEqualTo("john@example.com");
    assertThat(d.get("connected_at").asText()).isEqualTo("2026-01-10T08:00:00Z");
    assertThat(d.get("auto_sync").asBoolean()).isTrue();
    assertThat(d.get("scopes").toString()).isEqualTo("[\"repo\",\"read:user\"]");
    assertThat(d.get("status").asText()).isEqualTo("connected");

    JsonNode first = d.get("repositories").get(0);
    assertThat(fields(first)).containsExactly("id", "name", "full_name", "private", "synced", "last_sync");
    assertThat(first.get("id").asLong()).isEqualTo(12345);
    assertThat(first.get("name").asText()).isEqualTo("my-circuits");
    assertThat(first.get("full_name").asText()).isEqualTo("johndoe/my-circuits");
    assertThat(first.get("private").isBoolean()).isTrue();
    assertThat(first.get("private").asBoolean()).isFalse();
    assertThat(first.get("synced").asBoolean()).isTrue();
    assertThat(first.get("last_sync").asText()).isEqualTo("2026-01-15T09:00:00Z");
    JsonNode second = d.get("repositories").get(1);
    assertThat(second.get("private").asBoolean()).isTrue();
    assertThat(second.get("last_sync").isNull()).isTrue();

    assertThat(api.github.lastCall).isEqualTo("view");
    assertThat(api.github.lastUser).isEqualTo(api.user);
  }

  @Test
  void get_notConnected_sendsExplicitNulls() {
    api.github.view = new GitHubView(false, null, null, null, null,
        List.of(), false, List.of(), "not_configured");
    JsonNode d = data(api.get(GITHUB), 200);
    assertThat(d.get("username").isNull()).isTrue();
    assertThat(d.get("connected_at").isNull()).isTrue();
    assertThat(d.get("repositories").isEmpty()).isTrue();
  }

  @Test
  void put_passesAutoSyncAndTheSelection_andAnswersTheView() {
    JsonNode d = data(api.put(GITHUB, "{\"auto_sync\": false, \"selected_repos\": [12345, 67890]}"), 200);
    assertThat(d.get("username").asText()).isEqualTo("johndoe");
    assertThat(api.github.lastCall).isEqualTo("updateSettings");
    assertThat(api.github.lastUser).isEqualTo(api.user);
    assertThat(api.github.lastAutoSync).isFalse();
    assertThat(api.github.lastSelectedRepos).containsExactly(12345L, 67890L);
    assertThat(api.github.lastContext.requestId()).isNotBlank();
  }

  @Test
  void put_bothFieldsAreOptional_missingOrNullKeepsTheValue() {
    data(api.put(GITHUB, "{}"), 200);
    assertThat(api.github.lastAutoSync).isNull();
    assertThat(api.github.lastSelectedRepos).isNull();
    data(api.put(GITHUB, "{\"auto_sync\": null, \"selected_repos\": []}"), 200);
    assertThat(api.github.lastAutoSync).isNull();
    assertThat(api.github.lastSelectedRepos).isEmpty();
  }

  @Test
  void put_unknownFields_are400NamingEachOfThem() {
    JsonNode e = error(api.put(GITHUB, "{\"auto_sync\": true, \"repos\": [1], \"token\": \"x\"}"), 400,
        "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactlyInAnyOrder("repos", "token");
    assertThat(api.github.lastCall).isNull();
  }

  @Test
  void put_wrongTypes_are400NamingTheField() {
    JsonNode e = error(api.put(GITHUB, "{\"auto_sync\": \"yes\"}"), 400, "VALIDATION_FAILED");
    assertThat(e.get("details").get(0).get("field").asText()).isEqualTo("auto_sync");
    assertThat(e.get("details").get(0).get("message").asText()).isEqualTo("must be a boolean");

    e = error(api.put(GITHUB, "{\"selected_repos\": 12345}"), 400, "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactly("selected_repos");

    e = error(api.put(GITHUB, "{\"selected_repos\": [1, \"2\", 3.5, null, 99999999999999999999]}"), 400,
        "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactly("selected_repos[1]", "selected_repos[2]", "selected_repos[3]",
        "selected_repos[4]");
    assertThat(e.toString()).doesNotContain("99999999999999999999");

    e = error(api.put(GITHUB, "{\"auto_sync\": 1, \"selected_repos\": {}}"), 400, "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactly("auto_sync", "selected_repos");
    assertThat(api.github.lastCall).isNull();
  }

  @Test
  void put_bodyThatIsNotAnObject_is400NamingBody() {
    JsonNode e = error(api.put(GITHUB, "[true]"), 400, "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactly("body");
    e = error(api.put(GITHUB, "{\"auto_sync\": tru"), 400, "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactly("body");
  }

  @Test
  void delete_isIdempotent() {
    assertThat(data(api.delete(GITHUB), 200).toString()).isEqualTo("{\"deleted\":true}");
    assertThat(data(api.delete(GITHUB), 200).toString()).isEqualTo("{\"deleted\":true}");
    assertThat(api.github.disconnects).isEqualTo(2);
    assertThat(api.github.lastUser).isEqualTo(api.user);
  }

  @Test
  void sync_is202WithLocationAndTheJob() {
    HttpResponse<String> r = api.post(SYNC, "{\"repository_id\": 12345, \"project_ids\": [\"uuid-1\", \"uuid-2\"]}");
    JsonNode job = data(r, 202);
    assertThat(r.headers().firstValue("Location")).hasValue(SYNCS + "/" + FakeGitHub.JOB_ID);
    assertThat(fields(job)).containsExactly("id", "status", "repository_id", "project_ids", "commit_sha",
        "files_changed", "error", "created_at", "finished_at");
    assertThat(job.get("id").asText()).isEqualTo(FakeGitHub.JOB_ID.toString());
    assertThat(job.get("status").asText()).isEqualTo("queued");
    assertThat(job.get("repository_id").asLong()).isEqualTo(12345);
    assertThat(job.get("project_ids").toString()).isEqualTo("[\"uuid-1\",\"uuid-2\"]");
    assertThat(job.get("commit_sha").isNull()).isTrue();
    assertThat(job.get("files_changed").asInt()).isZero();
    assertThat(job.get("error").isNull()).isTrue();
    assertThat(job.get("created_at").asText()).isEqualTo("2026-01-15T10:30:00Z");
    assertThat(job.get("finished_at").isNull()).isTrue();

    assertThat(api.github.lastUser).isEqualTo(api.user);
    assertThat(api.github.lastRepositoryId).isEqualTo(12345L);
    assertThat(api.github.lastProjectIds).containsExactly("uuid-1", "uuid-2");
  }

  @Test
  void sync_validation_namesEveryField() {
    JsonNode e = error(api.post(SYNC, "{}"), 400, "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactly("repository_id", "project_ids");
    e = error(api.post(SYNC, "{\"repository_id\": \"12345\", \"project_ids\": [\"a\", 7, \" \"], \"x\": 1}"), 400,
        "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactly("x", "repository_id", "project_ids[1]", "project_ids[2]");
    e = error(api.post(SYNC, "{\"repository_id\": 1.5, \"project_ids\": \"a\"}"), 400, "VALIDATION_FAILED");
    assertThat(detailFields(e)).containsExactly("repository_id", "project_ids");
    assertThat(api.github.lastCall).isNull();
  }

  @Test
  void job_answersTheJob() {
    JsonNode job = data(api.get(SYNCS + "/" + FakeGitHub.JOB_ID), 200);
    assertThat(job.get("status").asText()).isEqualTo("succeeded");
    assertThat(job.get("commit_sha").asText()).isEqualTo("0123abcd");
    assertThat(job.get("files_changed").asInt()).isEqualTo(2);
    assertThat(job.get("finished_at").asText()).isEqualTo("2026-01-15T10:30:05Z");
    assertThat(job.has("user_id")).isFalse();
    assertThat(job.has("attempts")).isFalse();
    assertThat(api.github.lastJobId).isEqualTo(FakeGitHub.JOB_ID);
    assertThat(api.github.lastUser).isEqualTo(api.user);
  }

  @Test
  void job_withAnIdThatIsNotAUuid_is404_withoutAskingTheCore() {
    error(api.get(SYNCS + "/not-a-uuid"), 404, "NOT_FOUND");
    // UUID.fromString would accept this one
    error(api.get(SYNCS + "/1-2-3-4-5"), 404, "NOT_FOUND");
    assertThat(api.github.lastCall).isNull();
  }

  @Test
  void job_unknownToTheCore_is404() {
    UUID other = UUID.randomUUID();
    error(api.get(SYNCS + "/" + other), 404, "NOT_FOUND");
    assertThat(api.github.lastJobId).isEqualTo(other);
  }

  @Test
  void jobs_defaultToTwenty_andPassTheLimit() {
    JsonNode d = data(api.get(SYNCS), 200);
    assertThat(fields(d)).containsExactly("items");
    assertThat(d.get("items")).hasSize(1);
    assertThat(d.get("items").get(0).get("id").asText()).isEqualTo(FakeGitHub.JOB_ID.toString());
    assertThat(api.github.lastLimit).isEqualTo(20);
    data(api.get(SYNCS + "?limit=5"), 200);
    assertThat(api.github.lastLimit).isEqualTo(5);
  }

  @Test
  void jobs_badLimit_is400NamingLimit() {
    for (String limit : List.of("ten", "0", "101", "-1")) {
      JsonNode e = error(api.get(SYNCS + "?limit=" + limit), 400, "VALIDATION_FAILED");
      assertThat(detailFields(e)).as(limit).containsExactly("limit");
    }
    assertThat(api.github.lastCall).isNull();
  }

  @Test
  void reauthRequired_is409NeedsReauth() {
    api.github.failure = new ReauthRequiredException(Provider.GITHUB);
    error(api.get(GITHUB), 409, "NEEDS_REAUTH");
    error(api.post(SYNC, "{\"repository_id\": 1, \"project_ids\": [\"p\"]}"), 409, "NEEDS_REAUTH");
  }

  @Test
  void refusedGrant_is409InvalidGrant_withoutTheProvidersWords() {
    api.github.failure = new OAuthGrantException("bad_refresh_token");
    JsonNode e = error(api.get(GITHUB), 409, "INVALID_GRANT");
    assertThat(e.get("message").asText()).doesNotContain("bad_refresh_token");
  }

  @Test
  void protocolError_is502OAuthProtocolError_withoutTheReason() {
    api.github.failure = new OAuthProtocolException("invalid_client for client id abc123");
    JsonNode e = error(api.get(GITHUB), 502, "OAUTH_PROTOCOL_ERROR");
    assertThat(e.toString()).doesNotContain("abc123", "invalid_client");
  }

  @Test
  void upstreamRateLimit_is429WithRetryAfter() {
    api.github.failure = new RateLimitedException("GitHub rate limit", Duration.ofMillis(61_500));
    HttpResponse<String> r = api.get(GITHUB);
    error(r, 429, "RATE_LIMITED");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("62");
  }

  @Test
  void everyRouteNeedsABearerToken() {
    for (HttpRequest.Builder request : List.of(api.request(GITHUB).GET(),
        api.request(GITHUB).PUT(HttpRequest.BodyPublishers.ofString("{}")), api.request(GITHUB).DELETE(),
        api.request(SYNC).POST(HttpRequest.BodyPublishers.ofString("{}")), api.request(SYNCS).GET(),
        api.request(SYNCS + "/" + FakeGitHub.JOB_ID).GET())) {
      HttpResponse<String> r = api.send(request);
      error(r, 401, "UNAUTHORIZED");
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
    assertThat(api.github.lastCall).isNull();
  }

  @Test
  void withoutGitHub_everyRouteExistsAndAnswers503ProviderNotConfigured() {
    api.close();
    api = new ApiFixture();
    error(api.get(GITHUB), 503, "PROVIDER_NOT_CONFIGURED");
    error(api.put(GITHUB, "{}"), 503, "PROVIDER_NOT_CONFIGURED");
    error(api.delete(GITHUB), 503, "PROVIDER_NOT_CONFIGURED");
    error(api.post(SYNC, "{\"repository_id\": 1, \"project_ids\": [\"p\"]}"), 503, "PROVIDER_NOT_CONFIGURED");
    error(api.get(SYNCS), 503, "PROVIDER_NOT_CONFIGURED");
    error(api.get(SYNCS + "/" + FakeGitHub.JOB_ID), 503, "PROVIDER_NOT_CONFIGURED");
    // authentication still comes first
    error(api.send(api.request(GITHUB).GET()), 401, "UNAUTHORIZED");
  }
}
