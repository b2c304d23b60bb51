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

  @TempDir
  Path root;

  private Path projects;
  private FileSystemProjectSource source;

  @BeforeEach
  void setUp() throws IOException {
    projects = Files.createDirectory(root.resolve("projects"));
    source = new FileSystemProjectSource(projects);
  }

  @Test
  void readsNestedFilesWithSlashPathsAndTheNameFromProjectJson() throws IOException {
    write("blink/project.json", "{\"name\": \"Blink LED\", \"board\": \"uno\"}");
    write("blink/blink.ino", "void setup() {}\n");
    write("blink/lib/led/led.h", "#pragma once\n");
    Files.write(projects.resolve("blink/lib/logo.bin"), new byte[] {0, (byte) 0xff, 10});

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
    Files.writeString(root.resolve("x"), "outside the projects directory");
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
  void theUserIsNotCheckedByTheStandaloneSource() throws IOException {
    write("shared/main.c", "x");
    UserId other = new UserId(UUID.randomUUID());
    assertThat(source.load(other, "shared")).map(Project::id).isEqualTo(Optional.of("shared"));
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
