package com.nexflux.integrations.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.persistence.testing.Sql;
import com.nexflux.integrations.providers.testing.MockOAuthServer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GitHub through the running server: OAuth flows against a real OAuth2 server, the GitHub API against a local fake
 * whose every request and response is checked against GitHub's OpenAPI description, real PostgreSQL, real jobs.
 */
class GitHubEndToEndTest {
  private static final String GH = "/api/v1/users/me/integrations/github";
  private static GitHubWorld world;

  @BeforeAll
  static void start() throws Exception {
    world = new GitHubWorld();
  }

  @AfterAll
  static void stop() {
    world.close(); // fails if the GitHub fake saw a request or sent a response outside GitHub's OpenAPI description
  }

  private static UserId user() {
    return new UserId(UUID.randomUUID());
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void assertFrontendError(URI location, String code) {
    assertThat(location.toString()).startsWith(GitHubWorld.FRONTEND + "?");
    assertThat(query(location)).containsEntry("integration", "github").containsEntry("status", "error")
        .containsEntry("code", code);
  }

  private static long connectionRows() {
    return ((Number) Sql.scalar(world.database.dataSource(),
        "SELECT count(*) FROM user_integrations WHERE provider = 'github'")).longValue();
  }

  @Test
  void linkFlow_storesEncryptedTokens_andShowsProfileAndRepositories() {
    UserId alice = user();
    URI done = world.connect(alice);
    assertThat(done.toString()).isEqualTo(GitHubWorld.FRONTEND + "?integration=github&status=connected");

    JsonNode view = GitHubWorld.json(world.send("GET", GH, GitHubWorld.token(alice), null, null)).get("data");
    assertThat(view.get("connected").asBoolean()).isTrue();
    assertThat(view.get("status").asText()).isEqualTo("connected");
    assertThat(view.get("username").asText()).isEqualTo("octo-student");
    assertThat(view.get("email").asText()).isEqualTo("octo@student.example");
    assertThat(view.get("avatar_url").asText()).isEqualTo("https://avatars.example/u/4242");
    assertThat(view.get("scopes").toString()).contains("repo");
    JsonNode repo = view.get("repositories").get(0);
    assertThat(repo.get("full_name").asText()).isEqualTo("octo-student/my-circuits");
    assertThat(repo.get("private").asBoolean()).isFalse();
    assertThat(repo.get("synced").asBoolean()).isFalse();

    Map<String, Object> row = Sql.rows(world.database.dataSource(),
        "SELECT access_token, refresh_token, config::text AS config FROM user_integrations "
            + "WHERE user_id = ? AND provider = 'github'", alice.value()).get(0);
    assertThat((String) row.get("access_token")).isNotBlank().doesNotStartWith("ey"); // a Tink ciphertext, not the JWT
    assertThat((String) row.get("config")).doesNotContain("access_token").contains("octo-student");
    JsonNode audit = GitHubWorld.json(world.send("GET", "/api/v1/users/me/integrations/audit", GitHubWorld.token(alice),
        null, null)).get("data").get("items").get(0);
    assertThat(audit.get("action").asText()).isEqualTo("integration.connect");
    assertThat(audit.get("outcome").asText()).isEqualTo("success");
  }

  @Test
  void pkce_theVerifierSentToTheTokenEndpointMatchesTheChallenge() throws Exception {
    UserId user = user();
    GitHubWorld.Started started = world.startConnect(user);
    Map<String, String> params = query(started.authorizationUrl());
    assertThat(params).containsEntry("code_challenge_method", "S256").containsEntry("response_type", "code")
        .containsEntry("redirect_uri", world.config.callbackUrl().toString());
    assertThat(Base64.getUrlDecoder().decode(params.get("state"))).hasSizeGreaterThanOrEqualTo(32);
    MockOAuthServer.Authorization auth = world.oauth.authorize(started.authorizationUrl());
    URI done = world.callback("code=" + auth.code() + "&state=" + auth.state(), started.cookie());
    assertThat(query(done)).containsEntry("status", "connected");

    String verifier = null;
    for (int i = 0; i < 200 && verifier == null; i++) {
      MockOAuthServer.Received r = world.oauth.takeRequest();
      if (r.method().equals("POST") && auth.code().equals(r.form().get("code"))) {
        verifier = r.form().get("code_verifier");
        assertThat(r.form()).containsEntry("redirect_uri", world.config.callbackUrl().toString());
      }
    }
    assertThat(verifier).isNotNull().hasSizeBetween(43, 128);
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    assertThat(challenge).isEqualTo(params.get("code_challenge"));
  }

  @Test
  void replayedState_isRejected() {
    UserId user = user();
    GitHubWorld.Started started = world.startConnect(user);
    MockOAuthServer.Authorization auth = world.oauth.authorize(started.authorizationUrl());
    String q = "code=" + auth.code() + "&state=" + auth.state();
    assertThat(query(world.callback(q, started.cookie()))).containsEntry("status", "connected");
    assertFrontendError(world.callback(q, started.cookie()), "INVALID_STATE");
  }

  @Test
  void expiredState_isRejected_andNothingIsStored() {
    UserId user = user();
    GitHubWorld.Started started = world.startConnect(user);
    MockOAuthServer.Authorization auth = world.oauth.authorize(started.authorizationUrl());
    Sql.exec(world.database.dataSource(), "UPDATE oauth_authorizations SET expires_at = now() - interval '1 minute'");
    long before = connectionRows();
    assertFrontendError(world.callback("code=" + auth.code() + "&state=" + auth.state(), started.cookie()),
        "EXPIRED_STATE");
    assertThat(connectionRows()).isEqualTo(before);
  }

  @Test
  void stateIssuedForAnotherProvider_isRejected() throws Exception {
    UserId user = user();
    GitHubWorld.Started started = world.startConnect(user);
    String cookieValue = started.cookie().substring(started.cookie().indexOf('=') + 1);
    String foreignState = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    Sql.exec(world.database.dataSource(), "INSERT INTO users (id) VALUES (?) ON CONFLICT DO NOTHING", user.value());
    Sql.exec(world.database.dataSource(),
        "INSERT INTO oauth_authorizations (state_hash, browser_binding_hash, provider, purpose, user_id, redirect_uri,"
            + " code_verifier_encrypted, scopes, created_at, expires_at) VALUES (?, ?, 'google', 'LINK', ?, "
            + "'http://127.0.0.1/cb', 'x', '[]'::jsonb, now(), now() + interval '5 minutes')",
        sha256(foreignState), sha256(cookieValue), user.value());
    assertFrontendError(world.callback("code=anything&state=" + foreignState, started.cookie()), "INVALID_STATE");
  }

  @Test
  void missingOrForeignBrowserCookie_isRejected() {
    UserId user = user();
    GitHubWorld.Started mine = world.startConnect(user);
    GitHubWorld.Started other = world.startConnect(user());
    MockOAuthServer.Authorization auth = world.oauth.authorize(mine.authorizationUrl());
    long before = connectionRows();
    assertFrontendError(world.callback("code=" + auth.code() + "&state=" + auth.state(), null), "BROWSER_MISMATCH");
    GitHubWorld.Started again = world.startConnect(user);
    MockOAuthServer.Authorization auth2 = world.oauth.authorize(again.authorizationUrl());
    assertFrontendError(world.callback("code=" + auth2.code() + "&state=" + auth2.state(), other.cookie()),
        "BROWSER_MISMATCH");
    assertThat(connectionRows()).isEqualTo(before);
  }

  @Test
  void accessDenied_storesNothing_andAuditsTheFailure() {
    UserId user = user();
    GitHubWorld.Started started = world.startConnect(user);
    String state = query(started.authorizationUrl()).get("state");
    assertFrontendError(world.callback("error=access_denied&state=" + state, started.cookie()), "ACCESS_DENIED");
    JsonNode view = GitHubWorld.json(world.send("GET", GH, GitHubWorld.token(user), null, null)).get("data");
    assertThat(view.get("connected").asBoolean()).isFalse();
    assertThat(view.get("status").asText()).isEqualTo("not_configured");
    JsonNode audit = GitHubWorld.json(world.send("GET", "/api/v1/users/me/integrations/audit", GitHubWorld.token(user),
        null, null)).get("data").get("items").get(0);
    assertThat(audit.get("action").asText()).isEqualTo("integration.connect");
    assertThat(audit.get("outcome").asText()).isEqualTo("failure");
    assertThat(audit.get("reason").asText()).isEqualTo("ACCESS_DENIED");
  }

  @Test
  void noOpenRedirect_theCallbackOnlyEverGoesToTheFrontend() {
    UserId user = user();
    GitHubWorld.Started started = world.startConnect(user);
    MockOAuthServer.Authorization auth = world.oauth.authorize(started.authorizationUrl());
    URI done = world.callback("code=" + auth.code() + "&state=" + auth.state()
        + "&redirect_uri=https%3A%2F%2Fevil.example&return_to=%2F%2Fevil.example&next=%5C%5Cevil", started.cookie());
    assertThat(done.toString()).isEqualTo(GitHubWorld.FRONTEND + "?integration=github&status=connected");
    assertFrontendError(world.callback("state=bogus&redirect_uri=https%3A%2F%2Fevil.example", null), "INVALID_STATE");
  }

  @Test
  void signIn_createsAUserOnce_andHandsTheFrontendASessionToken() {
    URI first = signIn();
    assertThat(first.toString()).startsWith(GitHubWorld.FRONTEND + "#token=");
    String token = first.getFragment().substring("token=".length());
    HttpResponse<String> me = world.send("GET", "/api/v1/users/me/integrations", token, null, null);
    assertThat(me.statusCode()).isEqualTo(200);
    URI second = signIn();
    String sub1 = subject(token);
    String sub2 = subject(second.getFragment().substring("token=".length()));
    assertThat(sub2).as("the same GitHub account signs in as the same user").isEqualTo(sub1);
  }

  @Test
  void connectingCreatesNoSignInIdentity_signInDoes_andTheUserSeesAndRemovesIt() {
    UserId user = user();
    world.connect(user);
    HttpResponse<String> mine = world.send("GET", "/api/v1/users/me/identities", GitHubWorld.token(user), null, null);
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(GitHubWorld.parse(mine.body()).at("/data/identities")).isEmpty();

    URI signedIn = signIn();
    String token = signedIn.getFragment().substring("token=".length());
    assertThat(subject(token)).as("linking did not make the GitHub account sign in as the linking user")
        .isNotEqualTo(user.value().toString());
    HttpResponse<String> list = world.send("GET", "/api/v1/users/me/identities", token, null, null);
    assertThat(GitHubWorld.parse(list.body()).at("/data/identities/0/provider").asText()).isEqualTo("github");

    HttpResponse<String> removed = world.send("DELETE", "/api/v1/users/me/identities/github", token, null, null);
    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(GitHubWorld.parse(world.send("GET", "/api/v1/users/me/identities", token, null, null).body())
        .at("/data/identities")).isEmpty();
    assertThat(subject(signIn().getFragment().substring("token=".length())))
        .as("a removed identity no longer signs in to that user").isNotEqualTo(subject(token));
  }

  @Test
  void connectWithoutTokenOrIntent_is401_andTheLoginPageLearnsWhatItMayOffer() {
    assertThat(world.send("GET", "/api/v1/auth/github/connect", null, null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> providers = world.send("GET", "/api/v1/auth/providers", null, null, null);
    assertThat(providers.statusCode()).isEqualTo(200);
    var github = GitHubWorld.parse(providers.body()).at("/data/providers/0");
    assertThat(github.get("provider").asText()).isEqualTo("github");
    assertThat(github.get("configured").asBoolean()).isTrue();
    assertThat(github.get("sign_in").asBoolean()).isTrue();
  }

  private static URI signIn() {
    GitHubWorld.Started started = world.startConnect(null);
    assertThat(query(started.authorizationUrl()).get("scope")).doesNotContain("repo");
    MockOAuthServer.Authorization auth = world.oauth.authorize(started.authorizationUrl());
    return world.callback("code=" + auth.code() + "&state=" + auth.state(), started.cookie());
  }

  private static String subject(String jwt) {
    String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    return GitHubWorld.parse(payload).get("sub").asText();
  }

  @Test
  void sync_makesOneCommit_withTheSameNumberOfCallsFor1_10_100Projects_andNoWritesWhenUnchanged()
      throws Exception {
    UserId user = user();
    world.connect(user);
    String put = "{\"auto_sync\": false, \"selected_repos\": [" + world.repo.id() + "]}";
    assertThat(world.send("PUT", GH, GitHubWorld.token(user), null, put).statusCode()).isEqualTo(200);

    List<Integer> calls = new ArrayList<>();
    for (int n : new int[] {1, 10, 100}) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(world.project(user, "p" + n + "-" + i + "-" + UUID.randomUUID().toString().substring(0, 6), 2));
      }
      world.github.clearRequests();
      JsonNode job = runSync(user, ids);
      assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
      assertThat(job.get("commit_sha").asText()).isEqualTo(world.github.head(world.repo));
      assertThat(job.get("files_changed").asInt()).isGreaterThanOrEqualTo(n * 2);
      calls.add(syncCalls());
    }
    assertThat(calls).as("GitHub API calls per sync for 1, 10, 100 projects").allMatch(c -> c.equals(calls.get(0)));
    assertThat(calls.get(0)).isLessThanOrEqualTo(5);

    String headBefore = world.github.head(world.repo);
    List<String> one = List.of(world.project(user, "unchanged-" + UUID.randomUUID().toString().substring(0, 6), 3));
    runSync(user, one);
    world.github.clearRequests();
    JsonNode again = runSync(user, one);
    assertThat(again.get("status").asText()).isEqualTo("succeeded");
    assertThat(again.get("files_changed").asInt()).isZero();
    assertThat(again.get("commit_sha").isNull()).isTrue();
    assertThat(world.github.requests().stream().filter(r -> !r.method().equals("GET")).toList())
        .as("no writes when nothing changed").isEmpty();
    assertThat(world.github.head(world.repo)).isNotEqualTo(headBefore);

    JsonNode view = GitHubWorld.json(world.send("GET", GH, GitHubWorld.token(user), null, null)).get("data");
    JsonNode repo = view.get("repositories").get(0);
    assertThat(repo.get("synced").asBoolean()).isTrue();
    assertThat(repo.get("last_sync").isNull()).isFalse();
    JsonNode list = GitHubWorld.json(world.send("GET", GH + "/syncs", GitHubWorld.token(user), null, null));
    assertThat(list.get("data").get("items").size()).isGreaterThanOrEqualTo(5);
  }

  private int syncCalls() {
    return (int) world.github.requests().stream()
        .filter(r -> r.path().contains("/git/") || r.path().startsWith("/user/repos")).count();
  }

  private static JsonNode runSync(UserId user, List<String> projectIds) throws InterruptedException {
    String body = "{\"repository_id\": " + world.repo.id() + ", \"project_ids\": ["
        + String.join(",", projectIds.stream().map(id -> "\"" + id + "\"").toList()) + "]}";
    HttpResponse<String> accepted = world.send("POST", GH + "/sync", GitHubWorld.token(user), null, body);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = GitHubWorld.json(accepted).get("data").get("id").asText();
    assertThat(accepted.headers().firstValue("Location")).hasValue(GH + "/syncs/" + id);
    return world.awaitJob(user, id);
  }

  @Test
  void secondaryRateLimit_isWaitedOut_andTheJobStillSucceeds() throws Exception {
    UserId user = user();
    world.connect(user);
    world.send("PUT", GH, GitHubWorld.token(user), null, "{\"selected_repos\": [" + world.repo.id() + "]}");
    List<String> ids = List.of(world.project(user, "limited-" + UUID.randomUUID().toString().substring(0, 6), 1));
    world.github.secondaryRateLimitOnce(1);
    JsonNode job = runSync(user, ids);
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
  }

  @Test
  void disconnect_revokesUpstream_andDeletesLocallyEvenWhenGitHubFails() {
    UserId user = user();
    world.connect(user);
    world.github.failNext("/applications/" + MockOAuthServer.CLIENT_ID + "/grant", 500, Map.of());
    HttpResponse<String> deleted = world.send("DELETE", GH, GitHubWorld.token(user), null, null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    JsonNode view = GitHubWorld.json(world.send("GET", GH, GitHubWorld.token(user), null, null)).get("data");
    assertThat(view.get("connected").asBoolean()).isFalse();
    assertThat(((Number) Sql.scalar(world.database.dataSource(),
        "SELECT count(*) FROM user_integrations WHERE user_id = ? AND provider = 'github'", user.value())).intValue())
        .isZero();
    JsonNode audit = GitHubWorld.json(world.send("GET", "/api/v1/users/me/integrations/audit",
        GitHubWorld.token(user), null, null)).get("data").get("items").get(0);
    assertThat(audit.get("action").asText()).isEqualTo("integration.disconnect");
    assertThat(audit.get("outcome").asText()).isEqualTo("failure");

    UserId other = user();
    world.connect(other);
    int revokedBefore = world.github.revokedTokens().size();
    assertThat(world.send("DELETE", GH, GitHubWorld.token(other), null, null).statusCode()).isEqualTo(200);
    assertThat(world.github.revokedTokens()).hasSize(revokedBefore + 1);
    assertThat(world.send("DELETE", GH, GitHubWorld.token(other), null, null).statusCode()).as("idempotent")
        .isEqualTo(200);
  }

  @Test
  void anotherUsersProjectId_answersExactlyLikeAnUnknownOne() throws Exception {
    UserId a = user();
    UserId b = user();
    world.connect(a);
    world.connect(b);
    for (UserId u : List.of(a, b)) {
      assertThat(world.send("PUT", GH, GitHubWorld.token(u), null,
          "{\"auto_sync\": false, \"selected_repos\": [" + world.repo.id() + "]}").statusCode()).isEqualTo(200);
    }
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String theirs = world.project(a, "theirs-" + suffix, 1);
    String unknown = "nosuch-" + suffix;
    HttpResponse<String> forTheirs = world.send("POST", GH + "/sync", GitHubWorld.token(b), null,
        "{\"repository_id\": " + world.repo.id() + ", \"project_ids\": [\"" + theirs + "\"]}");
    HttpResponse<String> forUnknown = world.send("POST", GH + "/sync", GitHubWorld.token(b), null,
        "{\"repository_id\": " + world.repo.id() + ", \"project_ids\": [\"" + unknown + "\"]}");
    assertThat(forTheirs.statusCode()).as(forTheirs.body()).isEqualTo(400).isEqualTo(forUnknown.statusCode());
    assertThat(GitHubWorld.json(forTheirs).get("error").toString().replace(theirs, "ID"))
        .isEqualTo(GitHubWorld.json(forUnknown).get("error").toString().replace(unknown, "ID"))
        .contains("unknown projects: ID");
    JsonNode own = runSync(a, List.of(theirs));
    assertThat(own.get("status").asText()).as("the owner syncs it").isEqualTo("succeeded");
  }

  @Test
  void userB_cannotReadSyncOrDeleteUserAsIntegrationOrJobs() throws Exception {
    UserId a = user();
    UserId b = user();
    world.connect(a);
    world.send("PUT", GH, GitHubWorld.token(a), null, "{\"selected_repos\": [" + world.repo.id() + "]}");
    JsonNode job = runSync(a, List.of(world.project(a, "owned-" + UUID.randomUUID().toString().substring(0, 6), 1)));

    JsonNode bView = GitHubWorld.json(world.send("GET", GH, GitHubWorld.token(b), null, null)).get("data");
    assertThat(bView.get("connected").asBoolean()).isFalse();
    assertThat(world.send("GET", GH + "/syncs/" + job.get("id").asText(), GitHubWorld.token(b), null, null)
        .statusCode()).isEqualTo(404);
    assertThat(GitHubWorld.json(world.send("GET", GH + "/syncs", GitHubWorld.token(b), null, null))
        .get("data").get("items")).isEmpty();
    HttpResponse<String> bSync = world.send("POST", GH + "/sync", GitHubWorld.token(b), null,
        "{\"repository_id\": " + world.repo.id() + ", \"project_ids\": [\"x\"]}");
    assertThat(bSync.statusCode()).isIn(404, 409);
    assertThat(world.send("DELETE", GH, GitHubWorld.token(b), null, null).statusCode()).isEqualTo(200);
    JsonNode aView = GitHubWorld.json(world.send("GET", GH, GitHubWorld.token(a), null, null)).get("data");
    assertThat(aView.get("connected").asBoolean()).as("A is untouched by B's delete").isTrue();
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

}
