package com.nexflux.integrations.providers.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.providers.testing.FakeGitHub;
import com.nexflux.integrations.providers.testing.GitObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fixture itself: real git object ids, the contract check, the routes a client of the port does not use. */
class FakeGitHubTest {
  private static final String TOKEN = "gho_faketesttoken0001";
  private static final GitHubAccount OCTO = new GitHubAccount(583231, "octo", null, "octo@example.com");

  private final OkHttpClient http = new OkHttpClient();
  private FakeGitHub github;

  @BeforeEach
  void start() {
    github = FakeGitHub.start().acceptToken(TOKEN, OCTO);
  }

  @AfterEach
  void stop() {
    github.close();
  }

  @Test
  void objectIdsAreGitsOwn() {
    GitObjectStore git = new GitObjectStore();
    // values from git 2.39: `echo hello | git hash-object --stdin`, `git write-tree`, `git commit-tree`
    assertThat(git.putBlob("hello\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
    assertThat(git.putTree(Map.of())).isEqualTo(GitObjectStore.EMPTY_TREE);
    Map<String, GitObjectStore.FileEntry> files = new TreeMap<>();
    files.put("README.md", file(git, "# x\n"));
    files.put("src/main.c", file(git, "int main(){}\n"));
    String tree = git.putTree(files);
    assertThat(tree).isEqualTo("d1166b23236abe902b3c0069af340ec5483b2390");
    GitObjectStore.Person octo = new GitObjectStore.Person("octo", "octo@example.com",
        Instant.ofEpochSecond(1768471200));
    assertThat(git.putCommit(new GitObjectStore.Commit(tree, List.of(), octo, octo, "Initial commit\n")))
        .isEqualTo("98a1ad535feeaeaeec35e2b7f4f8ff133af869ad");
  }

  @Test
  void treesAreOrderedAsGitOrdersThem() {
    GitObjectStore git = new GitObjectStore();
    Map<String, GitObjectStore.FileEntry> files = new TreeMap<>();
    files.put("a.txt", file(git, "1\n"));
    files.put("a/b", file(git, "2\n"));
    files.put("a-b", file(git, "3\n"));
    files.put("a0", file(git, "4\n"));
    // `git write-tree` of the same files: a-b, a.txt, a/ (sorted as "a/"), a0
    assertThat(git.putTree(files)).isEqualTo("00e714b8e540952c7a2d3405f580b244bb3a1edc");
    assertThat(git.list("00e714b8e540952c7a2d3405f580b244bb3a1edc", false))
        .extracting(GitObjectStore.ListedEntry::path).containsExactly("a-b", "a.txt", "a", "a0");
  }

  @Test
  void aRequestThatBreaksTheContractIsRefusedAndRecorded() throws IOException {
    FakeGitHub.RepoRef repo = github.createRepository(TOKEN, "demo");
    String body = "{\"tree\":[{\"path\":\"x\",\"mode\":\"777\",\"type\":\"blob\",\"content\":\"x\"}]}";
    try (Response response = http.newCall(request("/repos/octo/" + repo.name() + "/git/trees")
        .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute()) {
      assertThat(response.code()).isEqualTo(400);
    }
    assertThat(github.takeContractViolations()).singleElement().asString()
        .contains("POST /repos/octo/demo/git/trees").contains("/tree/0/mode");
  }

  @Test
  void aClientWithoutTheApiVersionHeaderBreaksTheContract() throws IOException {
    try (Response response = http.newCall(new Request.Builder().url(github.baseUrl() + "/user")
        .header("Accept", "application/vnd.github+json").header("Authorization", "Bearer " + TOKEN).build())
        .execute()) {
      assertThat(response.code()).isEqualTo(400);
    }
    assertThat(github.takeContractViolations()).singleElement().asString().contains("X-GitHub-Api-Version");
  }

  @Test
  void closeFailsWhenTheContractWasBroken() {
    FakeGitHub other = FakeGitHub.start().acceptToken(TOKEN, OCTO);
    try (Response response = http.newCall(new Request.Builder().url(other.baseUrl() + "/user/repos?per_page=abc")
        .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28")
        .header("Authorization", "Bearer " + TOKEN).build()).execute()) {
      assertThat(response.code()).isEqualTo(400);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(other::close).isInstanceOf(AssertionError.class).hasMessageContaining("per_page");
  }

  @Test
  void servesTheLegacyPluralRefReadAndPaginatesWithALinkHeader() throws IOException {
    FakeGitHub.RepoRef repo = github.createRepository(TOKEN, "demo");
    for (int i = 0; i < 4; i++) {
      github.createRepository(TOKEN, "more-" + i);
    }
    try (Response response = http.newCall(request("/repos/octo/demo/git/refs/heads/main").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).contains(github.head(repo));
      assertThat(response.header("x-ratelimit-remaining")).isEqualTo("4999");
    }
    try (Response response = http.newCall(request("/user/repos?per_page=2").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Link")).isEqualTo(
          "<" + github.baseUrl() + "/user/repos?per_page=2&page=2>; rel=\"next\", "
              + "<" + github.baseUrl() + "/user/repos?per_page=2&page=3>; rel=\"last\"");
    }
    try (Response response = http.newCall(request("/user/repos?per_page=2&page=3").build()).execute()) {
      assertThat(response.body().string()).contains("\"name\":\"more-3\"").doesNotContain("\"name\":\"demo\"");
      assertThat(response.header("Link")).contains("rel=\"prev\"").doesNotContain("rel=\"next\"");
    }
  }

  @Test
  void anEmptyRepositoryHasNoRefs() throws IOException {
    github.createRepository(TOKEN, "octo", "empty", true, Map.of());
    try (Response response = http.newCall(request("/repos/octo/empty/git/ref/heads/main").build()).execute()) {
      assertThat(response.code()).isEqualTo(409);
    }
  }

  private Request.Builder request(String pathAndQuery) {
    return new Request.Builder().url(github.baseUrl() + pathAndQuery)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .header("Authorization", "Bearer " + TOKEN);
  }

  private static GitObjectStore.FileEntry file(GitObjectStore git, String text) {
    return new GitObjectStore.FileEntry("100644", git.putBlob(text.getBytes(StandardCharsets.UTF_8)));
  }
}
