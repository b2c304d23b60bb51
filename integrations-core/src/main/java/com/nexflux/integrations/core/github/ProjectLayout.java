package com.nexflux.integrations.core.github;

import com.nexflux.integrations.core.sync.Project;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a project's files go in a repository, and the git facts the sync compares them by. Pure functions, no I/O.
 *
 * <p>Layout: every file of a project goes to {@code nexflux/<slug>/<path>}; the slug is the lower-cased project name
 * (accents dropped, every run of characters outside {@code [a-z0-9]} replaced by one {@code -}, trimmed of
 * {@code -}, at most {@value #MAX_NAME_CHARS} characters, {@code project} when nothing is left) followed by
 * {@code -} and the first 8 characters of the project id, so two projects with the same name never share a folder.
 * Next to the files lies a manifest, {@code nexflux/<slug>/.nexflux-sync.json}:
 * {@code {project_id, name, files:[{path, sha}], synced_at}}.
 *
 * <p>Paths are relative, {@code /}-separated and must stay inside the project's folder: a path that is empty,
 * absolute ({@code /x}, {@code C:x}), contains a backslash, a NUL or control character, an empty, {@code .} or
 * {@code ..} segment, a {@code .git} segment, ends with {@code /}, or is the manifest's own name is refused
 * ({@link #pathProblem(String)}).
 */
public final class ProjectLayout {
  /** The folder of the repository every project goes under. */
  public static final String ROOT = "nexflux";
  /** The manifest's file name inside a project's folder. */
  public static final String MANIFEST_NAME = ".nexflux-sync.json";
  /** The most characters the name part of a slug keeps. */
  public static final int MAX_NAME_CHARS = 60;
  /** How many characters of the project id the slug ends with. */
  public static final int ID_CHARS = 8;

  private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
  private static final HexFormat HEX = HexFormat.of();

  private ProjectLayout() {}

  /**
   * A project's files placed in the repository.
   *
   * @param projectId the project's id
   * @param name the project's name
   * @param slug the folder name under {@link #ROOT}
   * @param manifestPath the manifest's path from the repository's root
   * @param files the files, sorted by path
   */
  public record Placed(String projectId, String name, String slug, String manifestPath, List<PlacedFile> files) {
    public Placed {
      Objects.requireNonNull(projectId, "projectId");
      Objects.requireNonNull(slug, "slug");
      Objects.requireNonNull(manifestPath, "manifestPath");
      files = List.copyOf(files);
    }

    /** @return the folder from the repository's root, {@code nexflux/<slug>} */
    public String folder() {
      return ROOT + "/" + slug;
    }
  }

  /**
   * One placed file. The content array is shared, not copied: do not change it.
   *
   * @param path the path inside the project
   * @param repoPath the path from the repository's root
   * @param content the bytes
   * @param sha the git blob SHA-1 of the bytes (hex)
   * @param text whether the bytes are valid UTF-8 without NUL (sent inline; otherwise as a blob)
   */
  public record PlacedFile(String path, String repoPath, byte[] content, String sha, boolean text) {
    public PlacedFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(repoPath, "repoPath");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(sha, "sha");
    }
  }

  /**
   * @param name the project's display name
   * @param projectId the project's id
   * @return the folder name, e.g. {@code blinky-led-3f2a9c1e}
   */
  public static String slug(String name, String projectId) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(projectId, "projectId");
    String base = NON_ALNUM.matcher(ascii(name)).replaceAll("-");
    base = trimDashes(base);
    if (base.length() > MAX_NAME_CHARS) {
      base = trimDashes(base.substring(0, MAX_NAME_CHARS));
    }
    if (base.isEmpty()) {
      base = "project";
    }
    String id = projectId.length() > ID_CHARS ? projectId.substring(0, ID_CHARS) : projectId;
    id = trimDashes(NON_ALNUM.matcher(ascii(id)).replaceAll("-"));
    return id.isEmpty() ? base : base + "-" + id;
  }

  /** @return {@code nexflux/<slug>/<path>} */
  public static String repoPath(String slug, String path) {
    return ROOT + "/" + slug + "/" + path;
  }

  /** @return {@code nexflux/<slug>/.nexflux-sync.json} */
  public static String manifestPath(String slug) {
    return repoPath(slug, MANIFEST_NAME);
  }

  /**
   * @param path a file's path inside its project
   * @return why the path may not be written, or empty when it is fine
   */
  public static Optional<String> pathProblem(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("is empty");
    }
    if (path.indexOf('\\') >= 0) {
      return Optional.of("contains a backslash");
    }
    if (path.startsWith("/") || DRIVE.matcher(path).matches()) {
      return Optional.of("is absolute");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("contains a control character");
      }
    }
    if (path.endsWith("/")) {
      return Optional.of("ends with /");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        return Optional.of("has an empty segment");
      }
      if (segment.equals("..")) {
        return Optional.of("contains ..");
      }
      if (segment.equals(".")) {
        return Optional.of("contains a . segment");
      }
      if (segment.equalsIgnoreCase(".git")) {
        return Optional.of("contains a .git segment");
      }
    }
    if (path.equals(MANIFEST_NAME)) {
      return Optional.of("is the sync manifest's name");
    }
    return Optional.empty();
  }

  /**
   * @return every path of the project that may not be written, as {@code "<path>: <reason>"} (duplicates too),
   *     empty when all are fine
   */
  public static List<String> invalidPaths(Project project) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Project.File f : project.files()) {
      Optional<String> problem = pathProblem(f.path());
      if (problem.isPresent()) {
        problems.add(printable(f.path()) + ": " + problem.get());
      } else if (!seen.add(f.path())) {
        problems.add(printable(f.path()) + ": appears twice");
      }
    }
    return problems;
  }

  /**
   * Places a project's files.
   *
   * @throws IllegalArgumentException naming every path that may not be written ({@link #invalidPaths})
   */
  public static Placed place(Project project) {
    List<String> problems = invalidPaths(project);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("project " + project.id() + " has paths that cannot be synced: "
          + String.join("; ", problems));
    }
    String slug = slug(project.name(), project.id());
    List<PlacedFile> files = new ArrayList<>(project.files().size());
    for (Project.File f : project.files()) {
      byte[] content = f.content();
      files.add(new PlacedFile(f.path(), repoPath(slug, f.path()), content, blobSha(content), isText(content)));
    }
    files.sort(Comparator.comparing(PlacedFile::path));
    return new Placed(project.id(), project.name(), slug, manifestPath(slug), files);
  }

  /** @return the git blob SHA-1 of {@code content}: {@code sha1("blob " + length + "\0" + content)}, lower-case hex */
  public static String blobSha(byte[] content) {
    MessageDigest sha1 = sha1();
    sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
    sha1.update(content);
    return HEX.formatHex(sha1.digest());
  }

  /** @return whether the bytes are valid UTF-8 without any NUL byte (such files are sent inline as text) */
  public static boolean isText(byte[] content) {
    for (byte b : content) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * The manifest: pretty-printed JSON, keys in a fixed order, files sorted by path, ending with a newline.
   *
   * @param placed the project
   * @param syncedAt the time of the sync that wrote it
   * @return its UTF-8 bytes
   */
  public static byte[] manifest(Placed placed, Instant syncedAt) {
    StringBuilder json = new StringBuilder(128 + placed.files().size() * 80);
    json.append("{\n  \"project_id\": ").append(quote(placed.projectId()))
        .append(",\n  \"name\": ").append(quote(placed.name()))
        .append(",\n  \"files\": [");
    List<PlacedFile> files = placed.files();
    for (int i = 0; i < files.size(); i++) {
      json.append(i == 0 ? "\n" : ",\n")
          .append("    {\"path\": ").append(quote(files.get(i).path()))
          .append(", \"sha\": ").append(quote(files.get(i).sha())).append('}');
    }
    json.append(files.isEmpty() ? "]" : "\n  ]")
        .append(",\n  \"synced_at\": ").append(quote(syncedAt.toString()))
        .append("\n}\n");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** @return the text as a JSON string literal */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String ascii(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String printable(String path) {
    if (path == null) {
      return "(null)";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.length() && i < 200; i++) {
      char c = path.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from the JDK", e);
    }
  }
}
