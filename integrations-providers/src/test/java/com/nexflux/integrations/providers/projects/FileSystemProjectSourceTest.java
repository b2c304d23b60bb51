package com.nexflux.integrations.providers.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.sync.Project;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSystemProjectSourceTest {
  private static final UserId USER = new UserId(UUID.fromString("7b1c3c9e-4a43-4a8e-9d33-2f1c0e6a1b11"));
  private static final UserId OTHER = new UserId(UUID.fromString("0f6d1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"));

  @TempDir
  Path root;

  private Path top;
  /** {@code USER}'s directory, where {@link #write} puts files. */
  private Path projects;
  private FileSystemProjectSource source;

  @BeforeEach
  void setUp() throws IOException {
    top = Files.createDirectory(root.resolve("projects"));
    projects = Files.createDirectory(top.resolve(USER.value().toString()));
    source = new FileSystemProjectSource(top);
  }

  @Test
  void readsNestedFilesWithSlashPathsAndTheNameFromProjectJson() throws IOException {
    write("blink/project.json", "{\"name\": \"Blink LED\", \"board\": \"uno\"}");
    write("blink/blink.ino", "void setup() {}\n");
    write("blink/lib/led/led.h", "#pragma once\n");
    Files.write(projects.resolve("blink/lib/logo.bin"), new byte[] {0, (byte) 0xff, 10});
    assertThat(source.userDir(USER)).isEqualTo(top.resolve("7b1c3c9e-4a43-4a8e-9d33-2f1c0e6a1b11"));

    Project project = source.load(USER, "blink").orElseThrow();

    assertThat(project.id()).isEqualTo("blink");
    assertThat(project.name()).isEqualTo("Blink LED");
    assertThat(contents(project)).containsExactly(
        Map.entry("blink.ino", "void setup() {}\n"),
        Map.entry("lib/led/led.h", "#pragma once\n"),
        Map.entry("lib/logo.bin", new String(new byte[] {0, (byte) 0xff, 10}, StandardCharsets.UTF_8)),
        Map.entry("project.json", "{\"name\": \"Blink LED\", \"board\": \"uno\"}"));
    assertThat(project.files().get(2).content()).containsExactly(0, 0xff, 10);
  }

  @Test
  void withoutAUsableProjectJsonTheNameIsTheId() throws IOException {
    write("a/main.c", "int main(){}\n");
    write("b/project.json", "not json");
    write("c/project.json", "{\"name\": \"  \"}");
    assertThat(source.load(USER, "a")).map(Project::name).contains("a");
    assertThat(source.load(USER, "b")).map(Project::name).contains("b");
    assertThat(source.load(USER, "c")).map(Project::name).contains("c");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "..", ".", "x/..", "a/b", "", "-x", ".hidden", "x\\y", "x y", "é"})
  void idsThatAreNotOneSafeSegmentAreRefused(String id) throws IOException {
    write("x/secret.txt", "inside");
    Files.createDirectories(top.resolve("x"));
    Files.writeString(top.resolve("x/f.txt"), "a directory beside the user directories");
    Files.createDirectories(top.resolve(OTHER.value().toString()).resolve("x"));
    Files.writeString(top.resolve(OTHER.value().toString()).resolve("x/f.txt"), "another user's project");
    Files.writeString(root.resolve("x"), "outside the projects directory");
    assertThat(source.load(USER, id)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../0f6d1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b/theirs", "..", "../..",
      "0f6d1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "../theirs"})
  void noIdReachesAnotherUsersDirectory(String id) throws IOException {
    Path theirs = top.resolve(OTHER.value().toString()).resolve("theirs");
    Files.createDirectories(theirs);
    Files.writeString(theirs.resolve("main.c"), "their code");
    assertThat(source.load(USER, id)).isEmpty();
  }

  @Test
  void longIdsUpTo128CharactersAndNoMissingDirectories() throws IOException {
    String longest = "p" + "x".repeat(127);
    write(longest + "/f.txt", "f");
    assertThat(source.load(USER, longest)).isPresent();
    assertThat(source.load(USER, longest + "x")).isEmpty();
    assertThat(source.load(USER, "missing")).isEmpty();
    assertThat(source.load(USER, null)).isEmpty();
    write("file-not-dir", "x");
    assertThat(source.load(USER, "file-not-dir")).isEmpty();
  }

  @Test
  void hiddenFilesAndDirectoriesAreSkipped() throws IOException {
    write("p/main.c", "x");
    write("p/.env", "TOKEN=secret");
    write("p/.git/config", "[core]");
    write("p/src/.DS_Store", "junk");
    write("p/src/ok.c", "y");
    assertThat(contents(source.load(USER, "p").orElseThrow()).keySet()).containsExactly("main.c", "src/ok.c");
  }

  @Test
  void symbolicLinksAreNeverFollowed() throws IOException {
    Path outside = Files.createDirectory(root.resolve("outside"));
    Files.writeString(outside.resolve("passwd"), "root:x:0:0");
    write("p/main.c", "x");
    write("p/inner.txt", "inner");
    Files.createSymbolicLink(projects.resolve("p/passwd"), outside.resolve("passwd"));
    Files.createSymbolicLink(projects.resolve("p/etc"), outside);
    Files.createSymbolicLink(projects.resolve("p/alias.txt"), projects.resolve("p/inner.txt"));
    Files.createSymbolicLink(projects.resolve("linked"), outside);

    assertThat(contents(source.load(USER, "p").orElseThrow()).keySet())
        .containsExactly("inner.txt", "main.c");
    assertThat(source.load(USER, "linked")).isEmpty();
  }

  @Test
  void aUserDirectoryThatIsASymbolicLinkIsNotFollowed() throws IOException {
    write("mine/main.c", "x");
    Files.createSymbolicLink(top.resolve(OTHER.value().toString()), projects);
    assertThat(source.load(OTHER, "mine")).isEmpty();
    assertThat(source.load(USER, "mine")).isPresent();
  }

  @Test
  void projectsBelongToTheirUser_andAnotherUsersProjectLooksExactlyLikeAnUnknownOne() throws IOException {
    write("mine/main.c", "x");
    assertThat(source.load(USER, "mine")).map(Project::id).isEqualTo(Optional.of("mine"));

    Optional<Project> someoneElses = source.load(OTHER, "mine");
    Optional<Project> unknown = source.load(OTHER, "no-such-project");
    Optional<Project> userWithoutDirectory = source.load(new UserId(UUID.randomUUID()), "mine");
    assertThat(someoneElses).isEmpty().isEqualTo(unknown).isEqualTo(userWithoutDirectory);
    assertThat(source.load(USER, "no-such-project")).isEqualTo(someoneElses);
    assertThat(source.load(null, "mine")).isEmpty();
  }

  @Test
  void theSameIdOfTwoUsersIsTwoProjects() throws IOException {
    write("blink/main.c", "mine");
    Path theirs = top.resolve(OTHER.value().toString()).resolve("blink");
    Files.createDirectories(theirs);
    Files.writeString(theirs.resolve("main.c"), "theirs");
    assertThat(contents(source.load(USER, "blink").orElseThrow())).containsExactly(Map.entry("main.c", "mine"));
    assertThat(contents(source.load(OTHER, "blink").orElseThrow())).containsExactly(Map.entry("main.c", "theirs"));
  }

  @Test
  void projectsDirectlyUnderProjectsDir_theOldLayout_areNotFound() throws IOException {
    Files.createDirectories(top.resolve("legacy"));
    Files.writeString(top.resolve("legacy/main.c"), "x");
    assertThat(source.load(USER, "legacy")).isEmpty();
  }

  private void write(String path, String text) throws IOException {
    Path file = projects.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static Map<String, String> contents(Project project) {
    Map<String, String> out = new TreeMap<>();
    project.files().forEach(f -> out.put(f.path(), new String(f.content(), StandardCharsets.UTF_8)));
    return out;
  }
}
