package com.nexflux.integrations.core.github;

import com.nexflux.integrations.core.github.GitHubSettings.Profile;
import com.nexflux.integrations.core.github.GitHubSettings.RepoRef;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The one place that knows the keys of the GitHub connection's {@code config} JSON; everything else works with
 * {@link GitHubSettings}. The stored shape is the one connections have always had:
 *
 * <ul>
 *   <li>{@code username}, {@code avatar_url}, {@code email}: the profile (written at connect; absent when unknown)
 *   <li>{@code scopes}: list of strings (older connects)
 *   <li>{@code auto_sync}: boolean
 *   <li>{@code selected_repos}: list of repository ids (numbers)
 *   <li>{@code last_sync}: map repository id (string) → ISO-8601 instant of the last successful sync
 *   <li>{@code repo_refs}: map repository id (string) → {@code {owner, name, default_branch}}
 * </ul>
 *
 * <p>Reading is tolerant, as JSON storage may hand back numbers as Integer, Long, Double or String: an id that is not
 * a number, a time that does not parse and an incomplete repository entry are skipped; unknown keys are kept in
 * {@link GitHubSettings#other()} and written back unchanged.
 */
public final class GitHubSettingsCodec {
  static final String USERNAME = "username";
  static final String AVATAR_URL = "avatar_url";
  static final String EMAIL = "email";
  static final String SCOPES = "scopes";
  static final String AUTO_SYNC = "auto_sync";
  static final String SELECTED_REPOS = "selected_repos";
  static final String LAST_SYNC = "last_sync";
  static final String REPO_REFS = "repo_refs";
  private static final Set<String> KNOWN = Set.of(USERNAME, AVATAR_URL, EMAIL, SCOPES, AUTO_SYNC, SELECTED_REPOS,
      LAST_SYNC, REPO_REFS);

  private GitHubSettingsCodec() {}

  /** @return the settings in a stored {@code config} (an empty or null map gives {@link GitHubSettings#INITIAL}) */
  public static GitHubSettings decode(Map<String, Object> config) {
    if (config == null) {
      return GitHubSettings.INITIAL;
    }
    Map<String, Object> other = new LinkedHashMap<>();
    config.forEach((k, v) -> {
      if (!KNOWN.contains(k)) {
        other.put(k, v);
      }
    });
    Profile profile = new Profile(string(config.get(USERNAME)), string(config.get(AVATAR_URL)),
        string(config.get(EMAIL)));
    return new GitHubSettings(profile, strings(config.get(SCOPES)), bool(config.get(AUTO_SYNC)),
        ids(config.get(SELECTED_REPOS)), lastSync(config.get(LAST_SYNC)), repoRefs(config.get(REPO_REFS)), other);
  }

  /** @return the {@code config} to store; JSON-compatible values only, in the stored shape */
  public static Map<String, Object> encode(GitHubSettings settings) {
    Objects.requireNonNull(settings, "settings");
    Map<String, Object> out = new LinkedHashMap<>(settings.other());
    out.putAll(profile(settings.profile()));
    if (!settings.scopes().isEmpty()) {
      out.put(SCOPES, settings.scopes());
    }
    out.put(AUTO_SYNC, settings.autoSync());
    out.put(SELECTED_REPOS, settings.selectedRepos());
    if (!settings.lastSync().isEmpty()) {
      Map<String, Object> lastSync = new LinkedHashMap<>();
      settings.lastSync().forEach((id, at) -> lastSync.put(Long.toString(id), at.toString()));
      out.put(LAST_SYNC, lastSync);
    }
    if (!settings.repoRefs().isEmpty()) {
      Map<String, Object> refs = new LinkedHashMap<>();
      settings.repoRefs().forEach((id, ref) -> {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("owner", ref.owner());
        entry.put("name", ref.name());
        entry.put("default_branch", ref.defaultBranch());
        refs.put(Long.toString(id), entry);
      });
      out.put(REPO_REFS, refs);
    }
    return out;
  }

  /**
   * @return a change of a stored {@code config} by a change of its settings (for
   *     {@link com.nexflux.integrations.core.oauth.OAuthConnectionRepository#changeConfig})
   */
  public static UnaryOperator<Map<String, Object>> change(UnaryOperator<GitHubSettings> change) {
    Objects.requireNonNull(change, "change");
    return config -> encode(change.apply(decode(config)));
  }

  /** @return the {@code config} a new connection starts with ({@code auto_sync} off, nothing selected) */
  public static Map<String, Object> initial() {
    return encode(GitHubSettings.INITIAL);
  }

  /** @return the profile's keys as stored (unknown values left out) */
  public static Map<String, Object> profile(Profile profile) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (profile.username() != null) {
      out.put(USERNAME, profile.username());
    }
    if (profile.avatarUrl() != null) {
      out.put(AVATAR_URL, profile.avatarUrl());
    }
    if (profile.email() != null) {
      out.put(EMAIL, profile.email());
    }
    return out;
  }

  private static String string(Object v) {
    return v == null ? null : v.toString();
  }

  private static boolean bool(Object v) {
    return v instanceof Boolean b ? b : v instanceof String s && Boolean.parseBoolean(s);
  }

  private static List<String> strings(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().filter(Objects::nonNull).map(Object::toString).toList();
  }

  private static Long id(Object o) {
    if (o instanceof Number n) {
      return n.longValue();
    }
    if (o instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException ignored) {
        return null;
      }
    }
    return null;
  }

  private static List<Long> ids(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    Set<Long> ids = new LinkedHashSet<>();
    for (Object o : list) {
      Long id = id(o);
      if (id != null) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }

  private static Map<Long, Instant> lastSync(Object value) {
    Map<Long, Instant> out = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        Long id = id(k);
        if (id != null && v != null) {
          try {
            out.put(id, Instant.parse(v.toString()));
          } catch (DateTimeParseException ignored) {
            // unreadable timestamp; shown as never synced
          }
        }
      });
    }
    return out;
  }

  private static Map<Long, RepoRef> repoRefs(Object value) {
    Map<Long, RepoRef> out = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        Long id = id(k);
        if (id != null && v instanceof Map<?, ?> ref && ref.get("owner") != null && ref.get("name") != null
            && ref.get("default_branch") != null) {
          out.put(id, new RepoRef(ref.get("owner").toString(), ref.get("name").toString(),
              ref.get("default_branch").toString()));
        }
      });
    }
    return out;
  }
}
