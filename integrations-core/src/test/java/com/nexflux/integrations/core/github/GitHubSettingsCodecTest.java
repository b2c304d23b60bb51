package com.nexflux.integrations.core.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.github.GitHubSettings.Profile;
import com.nexflux.integrations.core.github.GitHubSettings.RepoRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitHubSettingsCodecTest {
  /** A config as connections stored it before the typed settings (values as JSON storage hands them back). */
  static Map<String, Object> todaysShape() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("username", "johndoe");
    config.put("avatar_url", "https://github.com/johndoe.png");
    config.put("email", "john@example.com");
    config.put("scopes", List.of("repo", "read:user"));
    config.put("auto_sync", true);
    config.put("selected_repos", List.of(12345, "67890", "junk", 12345));
    config.put("last_sync", Map.of("12345", "2026-01-15T09:00:00Z", "67890", "not a time"));
    config.put("repo_refs", Map.of("12345", Map.of("owner", "johndoe", "name", "my-circuits",
        "default_branch", "main"), "999", Map.of("owner", "x")));
    config.put("host_note", Map.of("kept", true));
    return config;
  }

  @Test
  void reads_a_config_in_todays_shape() {
    GitHubSettings s = GitHubSettingsCodec.decode(todaysShape());
    assertThat(s.profile()).isEqualTo(new Profile("johndoe", "https://github.com/johndoe.png", "john@example.com"));
    assertThat(s.scopes()).containsExactly("repo", "read:user");
    assertThat(s.autoSync()).isTrue();
    assertThat(s.selectedRepos()).containsExactly(12345L, 67890L);
    assertThat(s.lastSync()).isEqualTo(Map.of(12345L, Instant.parse("2026-01-15T09:00:00Z")));
    assertThat(s.repoRefs()).isEqualTo(Map.of(12345L, new RepoRef("johndoe", "my-circuits", "main")));
    assertThat(s.other()).isEqualTo(Map.of("host_note", Map.of("kept", true)));
  }

  @Test
  void writes_the_same_shape_back_and_keeps_unknown_keys() {
    Map<String, Object> written = GitHubSettingsCodec.encode(GitHubSettingsCodec.decode(todaysShape()));
    assertThat(written).containsEntry("username", "johndoe").containsEntry("auto_sync", true)
        .containsEntry("selected_repos", List.of(12345L, 67890L))
        .containsEntry("last_sync", Map.of("12345", "2026-01-15T09:00:00Z"))
        .containsEntry("repo_refs", Map.of("12345", Map.of("owner", "johndoe", "name", "my-circuits",
            "default_branch", "main")))
        .containsEntry("scopes", List.of("repo", "read:user"))
        .containsEntry("host_note", Map.of("kept", true));
    assertThat(GitHubSettingsCodec.decode(written)).isEqualTo(GitHubSettingsCodec.decode(todaysShape()));
  }

  @Test
  void a_new_connection_starts_with_auto_sync_off_and_nothing_selected() {
    assertThat(GitHubSettingsCodec.initial()).isEqualTo(Map.of("auto_sync", false, "selected_repos", List.of()));
    assertThat(GitHubSettingsCodec.decode(Map.of())).isEqualTo(GitHubSettings.INITIAL);
    assertThat(GitHubSettingsCodec.decode(null)).isEqualTo(GitHubSettings.INITIAL);
  }

  @Test
  void a_change_touches_only_what_it_changes() {
    Map<String, Object> config = GitHubSettingsCodec.change(s -> s.withLastSync(67890, Instant.EPOCH))
        .apply(todaysShape());
    GitHubSettings s = GitHubSettingsCodec.decode(config);
    assertThat(s.lastSync()).containsEntry(67890L, Instant.EPOCH).containsKey(12345L);
    assertThat(s.autoSync()).isTrue();
    assertThat(s.selectedRepos()).containsExactly(12345L, 67890L);
  }

  @Test
  void the_profile_leaves_unknown_values_out() {
    assertThat(GitHubSettingsCodec.profile(Profile.of(new GitHubAccount(1, "bob", null, null))))
        .isEqualTo(Map.of("username", "bob"));
  }
}
