package com.nexflux.integrations.providers.projects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.sync.Project;
import com.nexflux.integrations.core.sync.ProjectSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The standalone server's {@link ProjectSource}: project {@code <id>} of user {@code <user id>} is the directory
 * {@code PROJECTS_DIR/<user id>/<id>}, where the user id is the canonical lower-case UUID of the authenticated
 * user (e.g. {@code PROJECTS_DIR/7b1c3c9e-4a43-4a8e-9d33-2f1c0e6a1b11/blink}).
 *
 * <ul>
 *   <li>A project belongs to the user whose directory holds it. Another user's project and a project that does not
 *       exist give the same answer, empty, and nothing else differs (no exception, no message, nothing read), so
 *       an unknown project id tells nothing about other users' projects.</li>
 *   <li>The user directory's name is made from the {@link UserId}'s UUID ({@code 8-4-4-4-12} hex digits), never
 *       from request input, so it is always one path segment. The id must match {@value #ID_PATTERN} (so it is one
 *       path segment, never {@code .} or {@code ..}); any other id, a missing directory, or a user or project
 *       directory that is itself a symbolic link yields empty.</li>
 *   <li>Every regular file below it is read, recursively, with its path relative to the project directory and
 *       {@code /}-separated; files are sorted by path.</li>
 *   <li>Hidden entries (a name starting with {@code .}) are skipped, and so is everything below a hidden
 *       directory.</li>
 *   <li>Symbolic links are never followed, whatever they point to (inside or outside the directory): a link to a
 *       file is skipped, a link to a directory is not entered, and files are opened with {@code O_NOFOLLOW}.
 *       Other special files (sockets, devices, FIFOs) are skipped.</li>
 *   <li>The project's name is the string {@code "name"} of its {@code project.json} when that file is a JSON
 *       object with a non-blank name; otherwise the project id. {@code project.json} is one of the files.</li>
 * </ul>
 *
 * <p>Directories directly under {@code PROJECTS_DIR} that are not a user id are never read. A hosting service with
 * its own notion of projects supplies its own {@link ProjectSource}.
 *
 * <p>An I/O failure while reading is an {@link UnavailableException}. Thread-safe.
 */
public final class FileSystemProjectSource implements ProjectSource {
  /** What a project id must match. */
  public static final String ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$";
  /** The file whose {@code "name"} names the project. */
  public static final String PROJECT_FILE = "project.json";

  private static final Pattern ID = Pattern.compile(ID_PATTERN);
  private static final Pattern USER_DIR =
      Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path projectsDir;

  /** @param projectsDir the directory that holds one directory per user, each holding one per project */
  public FileSystemProjectSource(Path projectsDir) {
    this.projectsDir = Objects.requireNonNull(projectsDir, "projectsDir").toAbsolutePath().normalize();
  }

  /** @return the directory read from */
  public Path projectsDir() {
    return projectsDir;
  }

  /**
   * @return the directory that holds {@code userId}'s projects, {@code PROJECTS_DIR/<uuid>} (it need not exist)
   */
  public Path userDir(UserId userId) {
    return projectsDir.resolve(userDirName(userId));
  }

  /** The user's directory name: the UUID in its canonical form, always 36 characters of hex digits and dashes. */
  private static String userDirName(UserId userId) {
    String name = Objects.requireNonNull(userId.value(), "userId").toString();
    if (!USER_DIR.matcher(name).matches()) {
      throw new IllegalStateException("a UUID's canonical form was expected");
    }
    return name;
  }

  /** {@inheritDoc} Only {@code userId}'s own directory is looked in: see the class comment. */
  @Override
  public Optional<Project> load(UserId userId, String projectId) {
    if (userId == null || projectId == null || !ID.matcher(projectId).matches()) {
      return Optional.empty();
    }
    Path userDir = userDir(userId);
    Path dir = userDir.resolve(projectId);
    if (!userDir.getParent().equals(projectsDir) || !dir.getParent().equals(userDir)
        || !Files.isDirectory(userDir, LinkOption.NOFOLLOW_LINKS)
        || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<Project.File> files = new ArrayList<>();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          return d.equals(dir) || !hidden(d) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          // without FOLLOW_LINKS, a symbolic link (to a file or a directory) arrives here with its own attributes
          if (attrs.isRegularFile() && !hidden(file)) {
            files.add(new Project.File(relative(dir, file), read(file)));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      return Optional.empty(); // removed while reading
    } catch (IOException e) {
      throw new UnavailableException("The files of project " + projectId + " could not be read ("
          + e.getClass().getSimpleName() + ")", e);
    }
    files.sort(Comparator.comparing(Project.File::path));
    return Optional.of(new Project(projectId, name(projectId, files), files));
  }

  private static boolean hidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }

  private static String relative(Path dir, Path file) {
    List<String> parts = new ArrayList<>();
    for (Path part : dir.relativize(file)) {
      parts.add(part.toString());
    }
    return String.join("/", parts);
  }

  private static byte[] read(Path file) throws IOException {
    try (InputStream in = Channels.newInputStream(
        Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      return in.readAllBytes();
    }
  }

  private static String name(String projectId, List<Project.File> files) {
    for (Project.File file : files) {
      if (file.path().equals(PROJECT_FILE)) {
        try {
          JsonNode json = JSON.readTree(file.content());
          JsonNode name = json == null ? null : json.get("name");
          if (name != null && name.isTextual() && !name.asText().isBlank()) {
            return name.asText().strip();
          }
        } catch (IOException e) {
          // not JSON: fall back to the id
        }
      }
    }
    return projectId;
  }
}
