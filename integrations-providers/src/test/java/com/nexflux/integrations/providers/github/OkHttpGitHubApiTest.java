package com.nexflux.integrations.providers.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.github.GitHubRepository;
import com.nexflux.integrations.core.github.GitTree;
import com.nexflux.integrations.core.github.NewTreeEntry;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.providers.testing.FakeGitHub;
import com.nexflux.integrations.providers.testing.GitObjectStore;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OkHttpGitHubApi} against {@link FakeGitHub}, which checks every exchange against GitHub's OpenAPI spec. */
class OkHttpGitHubApiTest {
  private static final String TOKEN = "gho_CANARYtoken0123456789abcdefghijklmn";
  private static final Secret SECRET_TOKEN = Secret.of(TOKEN);
  private static final GitHubAccount OCTO =
      new GitHubAccount(583231, "octo", "https://avatars.example.com/u/583231", "octo@example.com");

  private final MutableClock clock = new MutableClock();
  private final OkHttpClient http = new OkHttpClient();
  private FakeGitHub github;
  private OkHttpGitHubApi api;

  @BeforeEach
  void start() {
    github = FakeGitHub.start(clock).acceptToken(TOKEN, OCTO);
    api = new OkHttpGitHubApi(http, github.baseUrl(), github.clientId(), Secret.of(github.clientSecret()), clock);
  }

  @AfterEach
  void stop() {
    github.close(); // fails the test when a request or response broke GitHub's OpenAPI description
  }

  // ---------------------------------------------------------------------------------------------- user

  @Test
  void currentUserWithAPublicEmailNeedsOneCall() {
    assertThat(api.currentUser(SECRET_TOKEN)).isEqualTo(OCTO);
    assertThat(github.requests()).extracting(FakeGitHub.Recorded::path).containsExactly("/user");
    FakeGitHub.Recorded request = github.requests().get(0);
    assertThat(request.header("Accept")).isEqualTo("application/vnd.github+json");
    assertThat(request.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void currentUserWithoutAPublicEmailTakesThePrimaryVerifiedOne() {
    String token = "gho_noemail";
    github.acceptToken(token, new GitHubAccount(7, "quiet", null, null), List.of(
        new FakeGitHub.Email("old@example.com", false, true, null),
        new FakeGitHub.Email("unverified@example.com", true, false, "private"),
        new FakeGitHub.Email("quiet@example.com", true, true, "private")));
    github.acceptToken("gho_noemail2", new GitHubAccount(7, "quiet", null, null), List.of(
        new FakeGitHub.Email("old@example.com", false, true, null),
        new FakeGitHub.Email("quiet@example.com", true, true, "private")));

    GitHubAccount account = api.currentUser(Secret.of(token));

    assertThat(account.email()).isEqualTo("quiet@example.com");
    assertThat(account.login()).isEqualTo("quiet");
    assertThat(account.avatarUrl()).isEqualTo("https://avatars.githubusercontent.com/u/7?v=4");
    assertThat(github.requests()).extracting(FakeGitHub.Recorded::path).containsExactly("/user", "/user/emails");
  }

  @Test
  void currentUserWithNoUsableEmailHasNone() {
    github.acceptToken("gho_x", new GitHubAccount(8, "nomail", null, null),
        List.of(new FakeGitHub.Email("x@example.com", true, false, null)));
    assertThat(api.currentUser(Secret.of("gho_x")).email()).isNull();
  }

  @Test
  void currentUserWithoutTheEmailScopeHasNoEmail() {
    github.acceptToken("gho_x", new GitHubAccount(8, "nomail", null, null));
    github.failNext("/user/emails", 404, Map.of());
    assertThat(api.currentUser(Secret.of("gho_x")).email()).isNull();
  }

  // ---------------------------------------------------------------------------------------------- repositories

  @Test
  void repositoriesFollowsTheLinkHeaderOverThreePages() {
    List<FakeGitHub.RepoRef> created = IntStream.range(0, 250)
        .mapToObj(i -> github.createRepository(TOKEN, "octo", "repo-" + i, i % 2 == 0, Map.of()))
        .toList();

    List<GitHubRepository> repositories = api.repositories(SECRET_TOKEN);

    assertThat(repositories).hasSize(250);
    assertThat(repositories).extracting(GitHubRepository::id)
        .containsExactlyElementsOf(created.stream().map(FakeGitHub.RepoRef::id).toList());
    assertThat(repositories.get(0)).isEqualTo(new GitHubRepository(created.get(0).id(), "repo-0", "octo/repo-0",
        "octo", true, "main"));
    List<FakeGitHub.Recorded> calls = github.requests("GET", "/user/repos");
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0).query()).isEqualTo("per_page=100&affiliation=owner,collaborator,organization_member");
    assertThat(calls.get(1).query()).endsWith("&page=2");
    assertThat(calls.get(2).query()).endsWith("&page=3");
  }

  @Test
  void aNextLinkToAnotherHostIsNotFollowed() {
    IntStream.range(0, 150).forEach(i -> github.createRepository(TOKEN, "octo", "repo-" + i, false, Map.of()));
    // same server, other host name: were it followed, the fake would see the request
    github.nextLinkBase(URI.create("http://localhost:" + github.baseUrl().getPort()));

    assertThat(api.repositories(SECRET_TOKEN)).hasSize(100);
    assertThat(github.requests("GET", "/user/repos")).hasSize(1);
  }

  @Test
  void repositoriesLeavesOutArchivedAndReadOnlyOnes() {
    FakeGitHub.RepoRef archived = github.createRepository(TOKEN, "archived");
    FakeGitHub.RepoRef readOnly = github.createRepository(TOKEN, "read-only");
    github.createRepository(TOKEN, "writable");
    github.repositoryFlags(archived, true, true).repositoryFlags(readOnly, false, false);

    assertThat(api.repositories(SECRET_TOKEN)).extracting(GitHubRepository::name).containsExactly("writable");
  }

  // ---------------------------------------------------------------------------------------------- git data

  @Test
  void oneCommitWritesTextAndBinaryFilesThatReadBack() {
    FakeGitHub.RepoRef repo = github.createRepository(TOKEN, "sketches");
    String head = api.headCommit(SECRET_TOKEN, "octo", "sketches", "main");
    assertThat(head).isEqualTo(github.head(repo));
    GitTree base = api.tree(SECRET_TOKEN, "octo", "sketches", head);
    assertThat(base.entries()).extracting(GitTree.Entry::path).containsExactly("README.md");

    byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 13};
    String blob = api.createBlob(SECRET_TOKEN, "octo", "sketches", binary);
    assertThat(blob).isEqualTo(GitObjectStore.hash("blob", binary));
    String text = "void setup() {}\nvoid loop() {}\n";
    String tree = api.createTree(SECRET_TOKEN, "octo", "sketches", base.sha(), List.of(
        new NewTreeEntry("nexflux/blink/blink.ino", text, null),
        new NewTreeEntry("nexflux/blink/data/logo.bin", null, blob)));
    String commit = api.createCommit(SECRET_TOKEN, "octo", "sketches", "NexFlux sync: 1 project(s)", tree, head);
    boolean updated = api.updateRef(SECRET_TOKEN, "octo", "sketches", "main", commit);

    assertThat(updated).isTrue();
    assertThat(github.head(repo)).isEqualTo(commit);
    assertThat(github.commit(commit).parents()).containsExactly(head);
    assertThat(github.commit(commit).tree()).isEqualTo(tree);
    assertThat(github.commit(commit).message()).isEqualTo("NexFlux sync: 1 project(s)");
    GitTree written = api.tree(SECRET_TOKEN, "octo", "sketches", commit);
    assertThat(written.sha()).isEqualTo(tree);
    assertThat(written.truncated()).isFalse();
    assertThat(written.entries()).filteredOn(e -> e.type().equals("blob"))
        .extracting(GitTree.Entry::path, GitTree.Entry::mode, GitTree.Entry::sha)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("README.md", "100644",
                GitObjectStore.hash("blob", "# sketches\n".getBytes(StandardCharsets.UTF_8))),
            org.assertj.core.groups.Tuple.tuple("nexflux/blink/blink.ino", "100644",
                GitObjectStore.hash("blob", text.getBytes(StandardCharsets.UTF_8))),
            org.assertj.core.groups.Tuple.tuple("nexflux/blink/data/logo.bin", "100644", blob));
    assertThat(written.entries()).filteredOn(e -> e.type().equals("tree")).extracting(GitTree.Entry::path)
        .containsExactlyInAnyOrder("nexflux", "nexflux/blink", "nexflux/blink/data");
    assertThat(github.files(commit).get("nexflux/blink/data/logo.bin")).isEqualTo(binary);
    assertThat(github.files(commit).get("nexflux/blink/blink.ino")).asString(StandardCharsets.UTF_8)
        .isEqualTo(text);
  }

  @Test
  void aBranchThatMovedMeansNoFastForward() {
    FakeGitHub.RepoRef repo = github.createRepository(TOKEN, "sketches");
    String head = api.headCommit(SECRET_TOKEN, "octo", "sketches", "main");
    GitTree base = api.tree(SECRET_TOKEN, "octo", "sketches", head);
    String tree = api.createTree(SECRET_TOKEN, "octo", "sketches", base.sha(),
        List.of(new NewTreeEntry("a.txt", "a\n", null)));
    String commit = api.createCommit(SECRET_TOKEN, "octo", "sketches", "sync", tree, head);
    String theirs = github.moveHeadBehindTheScenes(repo);

    assertThat(api.updateRef(SECRET_TOKEN, "octo", "sketches", "main", commit)).isFalse();
    assertThat(github.head(repo)).isEqualTo(theirs);
    PatchBody patch = PatchBody.of(github.requests("PATCH", "/repos/octo/sketches/git/refs/heads/main").get(0));
    assertThat(patch.json()).isEqualTo("{\"sha\":\"" + commit + "\",\"force\":false}");
  }

  private record PatchBody(String json) {
    static PatchBody of(FakeGitHub.Recorded request) {
      return new PatchBody(request.body());
    }
  }

  @Test
  void branchesWithSlashesAreAddressedSegmentBySegment() {
    FakeGitHub.RepoRef repo = github.createRepository(TOKEN, "sketches");
    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "octo", "sketches", "feature/x"))
        .isInstanceOf(NotFoundException.class);
    assertThat(github.requests().get(0).path()).isEqualTo("/repos/octo/sketches/git/ref/heads/feature/x");
    assertThat(api.headCommit(SECRET_TOKEN, repo.owner(), repo.name(), "main")).isEqualTo(github.head(repo));
  }

  @Test
  void namesThatWouldChangeTheUrlAreRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "..", "x", "main"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "octo", "x", "../../user"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> api.tree(SECRET_TOKEN, "octo", "x", "main?recursive=0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> api.createTree(SECRET_TOKEN, "octo/evil", "x", null, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(github.requests()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------- failures

  @Test
  void aSecondaryRateLimitSaysWhenToComeBack() {
    github.createRepository(TOKEN, "sketches");
    github.secondaryRateLimitOnce(8);

    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "octo", "sketches", "main"))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(8)));
    int sent = github.requests().size();
    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "octo", "sketches", "main"))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(8)));
    assertThat(github.requests()).hasSize(sent);

    clock.advance(Duration.ofSeconds(8));
    assertThat(api.headCommit(SECRET_TOKEN, "octo", "sketches", "main")).hasSize(40);
  }

  @Test
  void aSecondaryRateLimitWithoutHeadersWaitsAMinute() {
    github.failNext("/user", 403, Map.of(), "You have exceeded a secondary rate limit. Please wait a few minutes.");
    assertThatThrownBy(() -> api.currentUser(SECRET_TOKEN))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
  }

  @Test
  void anExhaustedPrimaryLimitWaitsForTheResetAndTheNextCallFailsFast() {
    long reset = clock.instant().plusSeconds(120).getEpochSecond();
    github.failNext("/user", 403, Map.of("x-ratelimit-limit", "5000", "x-ratelimit-remaining", "0",
        "x-ratelimit-reset", Long.toString(reset), "x-ratelimit-resource", "core"),
        "API rate limit exceeded for user ID 583231.");

    assertThatThrownBy(() -> api.currentUser(SECRET_TOKEN))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
    clock.advance(Duration.ofSeconds(20));
    assertThatThrownBy(() -> api.repositories(SECRET_TOKEN))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(100)));
    assertThat(github.requests()).hasSize(1);

    clock.advance(Duration.ofSeconds(100));
    assertThat(api.currentUser(SECRET_TOKEN)).isEqualTo(OCTO);
    assertThat(github.requests()).hasSize(2);
  }

  @Test
  void aSuccessThatUsesTheLastCallMakesTheNextOneFailFast() {
    github.primaryRateLimit(TOKEN, 1, clock.instant().plusSeconds(600));

    assertThat(api.currentUser(SECRET_TOKEN)).isEqualTo(OCTO); // answered with x-ratelimit-remaining: 0
    assertThatThrownBy(() -> api.currentUser(SECRET_TOKEN))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(600)));
    assertThat(github.requests()).hasSize(1);
    // another token has its own limit
    github.acceptToken("gho_other", new GitHubAccount(9, "other", null, "other@example.com"));
    assertThat(api.currentUser(Secret.of("gho_other")).login()).isEqualTo("other");
  }

  @Test
  void aPrimaryLimitOnATooManyRequestsAnswerToo() {
    github.failNext("/user/repos", 429, Map.of("Retry-After", "30"));
    assertThatThrownBy(() -> api.repositories(SECRET_TOKEN))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
  }

  @Test
  void aForbiddenThatIsNoRateLimitIsUnavailableWithGitHubsMessage() {
    github.createRepository(TOKEN, "sketches");
    github.failNext("/repos/octo/sketches/git/trees", 403, Map.of(), "Resource not accessible by integration");
    assertThatThrownBy(() -> api.createTree(SECRET_TOKEN, "octo", "sketches", null,
        List.of(new NewTreeEntry("a", "a", null))))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("Resource not accessible by integration");
  }

  @Test
  void badCredentialsAreARefusedGrant() {
    Secret unknown = Secret.of("gho_CANARYunknowntoken");
    assertThatThrownBy(() -> api.currentUser(unknown))
        .isInstanceOfSatisfying(OAuthGrantException.class,
            e -> assertThat(e.providerError()).isEqualTo("bad_credentials"))
        .satisfies(e -> assertNoSecret(e, "gho_CANARYunknowntoken"));
  }

  @Test
  void serverErrorsAreUnavailable() {
    github.createRepository(TOKEN, "sketches");
    github.failNext("/user", 500, Map.of());
    github.failNext("/repos/octo/sketches/git/ref/heads/main", 502, Map.of());
    assertThatThrownBy(() -> api.currentUser(SECRET_TOKEN))
        .isInstanceOf(UnavailableException.class).hasMessageContaining("HTTP 500")
        .satisfies(e -> assertNoSecret(e, TOKEN));
    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "octo", "sketches", "main"))
        .isInstanceOf(UnavailableException.class).hasMessageContaining("HTTP 502");
  }

  @Test
  void missingThingsAreNotFound() {
    github.createRepository(TOKEN, "sketches");
    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "octo", "nope", "main"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "octo", "sketches", "develop"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> api.tree(SECRET_TOKEN, "octo", "sketches", "0".repeat(40)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void otherClientErrorsAreUnavailableWithTheStatus() {
    github.createRepository(TOKEN, "octo", "empty", false, Map.of());
    github.createRepository(TOKEN, "sketches");
    assertThatThrownBy(() -> api.headCommit(SECRET_TOKEN, "octo", "empty", "main"))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("HTTP 409").hasMessageContaining("Git Repository is empty.");
    String unknownBlob = "1".repeat(40);
    assertThatThrownBy(() -> api.createTree(SECRET_TOKEN, "octo", "sketches", null,
        List.of(new NewTreeEntry("a.bin", null, unknownBlob))))
        .isInstanceOf(UnavailableException.class).hasMessageContaining("HTTP 422");
  }

  @Test
  void anUnreachableGitHubIsUnavailable() {
    OkHttpGitHubApi nowhere = new OkHttpGitHubApi(http,
        URI.create("http://127.0.0.1:" + LoopbackPorts.closedPort()), "id", Secret.of("secret"), clock);
    assertThatThrownBy(() -> nowhere.currentUser(SECRET_TOKEN))
        .isInstanceOf(UnavailableException.class)
        .satisfies(e -> assertNoSecret(e, TOKEN));
  }

  @Test
  void anApiBaseWithAPathIsKept() {
    // GitHub Enterprise Server: https://HOST/api/v3 (the fake serves at the root, so a path makes it 404)
    OkHttpGitHubApi enterprise = new OkHttpGitHubApi(http, URI.create(github.baseUrl() + "/api/v3/"),
        "id", Secret.of("secret"), clock);
    assertThatThrownBy(() -> enterprise.currentUser(SECRET_TOKEN)).isInstanceOf(UnavailableException.class);
    assertThat(github.takeContractViolations()).singleElement().asString().contains("/api/v3/user");
  }

  private static void assertNoSecret(Throwable error, String secret) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      assertThat(String.valueOf(e.getMessage())).doesNotContain(secret);
      assertThat(e.toString()).doesNotContain(secret);
    }
  }
}
