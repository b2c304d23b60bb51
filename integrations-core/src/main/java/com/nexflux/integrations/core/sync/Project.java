package com.nexflux.integrations.core.sync;

import java.util.List;
import java.util.Objects;

/**
 * A NexFlux project's files, as a {@code ProjectSource} gives them.
 *
 * @param id the project id
 * @param name a display name (the slug is derived from it)
 * @param files the files, paths relative to the project's root with {@code /} separators
 */
public record Project(String id, String name, List<File> files) {
  public Project {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    files = List.copyOf(files);
  }

  /**
   * One file.
   *
   * @param path relative path, {@code /}-separated, no {@code ..}
   * @param content the bytes
   */
  public record File(String path, byte[] content) {
    public File {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(content, "content");
    }
  }
}
