package com.nexflux.integrations.core.github;

import java.util.Objects;

/**
 * One file of a tree to create on a base tree: either inline UTF-8 {@code content} or a {@code blobSha} (for binary
 * files, created first as a blob), never both.
 *
 * @param path the path from the repository's root
 * @param content inline text content, or {@code null}
 * @param blobSha the SHA of an existing blob, or {@code null}
 */
public record NewTreeEntry(String path, String content, String blobSha) {
  public NewTreeEntry {
    Objects.requireNonNull(path, "path");
    if ((content == null) == (blobSha == null)) {
      throw new IllegalArgumentException("exactly one of content and blobSha");
    }
  }
}
