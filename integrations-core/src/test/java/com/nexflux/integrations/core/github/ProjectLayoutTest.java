package com.nexflux.integrations.core.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.sync.Project;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectLayoutTest {
  static final String ID = "3f2a9c1e-7b4d-4e2a-9c1e-000000000001";

  static Project.File text(String path, String content) {
    return new Project.File(path, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void slug_is_the_lower_cased_name_with_dashes_and_the_id_prefix() {
    assertThat(ProjectLayout.slug("Blinky LED!", ID)).isEqualTo("blinky-led-3f2a9c1e");
    assertThat(ProjectLayout.slug("  --Motor__Driver v2.0--  ", ID)).isEqualTo("motor-driver-v2-0-3f2a9c1e");
    assertThat(ProjectLayout.slug("Über Schaltung Nº 5", ID)).isEqualTo("uber-schaltung-no-5-3f2a9c1e");
  }

  @Test
  void slug_falls_back_to_project_when_nothing_of_the_name_is_left() {
    assertThat(ProjectLayout.slug("电路", ID)).isEqualTo("project-3f2a9c1e");
    assertThat(ProjectLayout.slug("", ID)).isEqualTo("project-3f2a9c1e");
  }

  @Test
  void slug_keeps_at_most_60_characters_of_the_name_and_never_ends_them_with_a_dash() {
    String name = "a".repeat(59) + " b" + "c".repeat(30);
    String slug = ProjectLayout.slug(name, ID);
    assertThat(slug).isEqualTo("a".repeat(59) + "-3f2a9c1e");
    assertThat(ProjectLayout.slug("x".repeat(200), ID)).isEqualTo("x".repeat(60) + "-3f2a9c1e");
  }

  @Test
  void slugs_of_projects_with_the_same_name_differ_by_id() {
    assertThat(ProjectLayout.slug("Blinky", "aaaaaaaa-1")).isNotEqualTo(ProjectLayout.slug("Blinky", "bbbbbbbb-1"));
    assertThat(ProjectLayout.slug("Blinky", "p1")).isEqualTo("blinky-p1");
  }

  @Test
  void places_files_under_nexflux_slug_sorted_with_their_blob_shas() {
    Project p = new Project(ID, "Blinky", List.of(text("src/main.ino", "void setup(){}\n"), text("README.md", "hi\n"),
        new Project.File("img/logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1})));
    ProjectLayout.Placed placed = ProjectLayout.place(p);
    assertThat(placed.folder()).isEqualTo("nexflux/blinky-3f2a9c1e");
    assertThat(placed.manifestPath()).isEqualTo("nexflux/blinky-3f2a9c1e/.nexflux-sync.json");
    assertThat(placed.files()).extracting(ProjectLayout.PlacedFile::repoPath).containsExactly(
        "nexflux/blinky-3f2a9c1e/README.md", "nexflux/blinky-3f2a9c1e/img/logo.png",
        "nexflux/blinky-3f2a9c1e/src/main.ino");
    assertThat(placed.files()).extracting(ProjectLayout.PlacedFile::text).containsExactly(true, false, true);
    assertThat(placed.files().get(0).sha()).isEqualTo(ProjectLayout.blobSha("hi\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void blob_sha_is_gits() {
    // `git hash-object` of an empty file and of "hello\n"
    assertThat(ProjectLayout.blobSha(new byte[0])).isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    assertThat(ProjectLayout.blobSha("hello\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
  }

  @Test
  void text_is_valid_utf8_without_nul() {
    assertThat(ProjectLayout.isText("grüße ⚡\n".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(ProjectLayout.isText(new byte[0])).isTrue();
    assertThat(ProjectLayout.isText(new byte[] {'a', 0, 'b'})).isFalse();
    assertThat(ProjectLayout.isText(new byte[] {(byte) 0xff, (byte) 0xfe})).isFalse();
    assertThat(ProjectLayout.isText(new byte[] {(byte) 0xc3})).isFalse(); // truncated sequence
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../../b", "..", "/etc/passwd", "a\\b", "C:/x", "a//b", "a/", "./a", "",
      ".git/config", "sub/.GIT/hooks/pre-commit", ".nexflux-sync.json", "a\u0000b", "a\nb"})
  void refuses_paths_that_leave_the_folder_or_clash(String path) {
    assertThat(ProjectLayout.pathProblem(path)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"main.ino", "src/a/b.txt", ".gitignore", "docs/.nexflux-sync.json", "a..b/c", "名前.txt"})
  void accepts_relative_paths(String path) {
    assertThat(ProjectLayout.pathProblem(path)).isEmpty();
  }

  @Test
  void place_names_every_bad_path_and_duplicates() {
    Project p = new Project("p1", "X", List.of(text("../evil", ""), text("ok.txt", ""), text("ok.txt", "again"),
        text("/abs", "")));
    assertThat(ProjectLayout.invalidPaths(p)).containsExactly("../evil: contains ..", "ok.txt: appears twice",
        "/abs: is absolute");
    assertThatThrownBy(() -> ProjectLayout.place(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../evil").hasMessageContaining("/abs");
  }

  @Test
  void manifest_is_deterministic_json_with_files_and_sync_time() {
    Project p = new Project("p-\"1\"", "Name with \"quotes\" \\ and\ttab",
        List.of(text("b.txt", "b"), text("a.txt", "a")));
    ProjectLayout.Placed placed = ProjectLayout.place(p);
    Instant at = Instant.parse("2026-01-15T10:00:00Z");
    String json = new String(ProjectLayout.manifest(placed, at), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\n"
        + "  \"project_id\": \"p-\\\"1\\\"\",\n"
        + "  \"name\": \"Name with \\\"quotes\\\" \\\\ and\\ttab\",\n"
        + "  \"files\": [\n"
        + "    {\"path\": \"a.txt\", \"sha\": \"" + ProjectLayout.blobSha("a".getBytes(StandardCharsets.UTF_8))
        + "\"},\n"
        + "    {\"path\": \"b.txt\", \"sha\": \"" + ProjectLayout.blobSha("b".getBytes(StandardCharsets.UTF_8))
        + "\"}\n"
        + "  ],\n"
        + "  \"synced_at\": \"2026-01-15T10:00:00Z\"\n"
        + "}\n");
    assertThat(ProjectLayout.manifest(placed, at)).isEqualTo(ProjectLayout.manifest(ProjectLayout.place(p), at));
  }

  @Test
  void manifest_of_a_project_without_files() {
    String json = new String(ProjectLayout.manifest(ProjectLayout.place(new Project("p1", "Empty", List.of())),
        Instant.EPOCH), StandardCharsets.UTF_8);
    assertThat(json).contains("\"files\": [],");
  }

  @Test
  void quote_escapes_control_characters() {
    assertThat(ProjectLayout.quote("a\u0001b\u2028")).isEqualTo("\"a\\u0001b\\u2028\"");
  }
}
