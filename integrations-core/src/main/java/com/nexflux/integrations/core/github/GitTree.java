package com.nexflux.integrations.core.github;

import java.util.List;

/**
 * A tree read recursively.
 *
 * @param sha the tree's SHA
 * @param truncated whether GitHub cut the listing (over 100,000 entries or 7 MB)
 * @param entries the blobs and trees in it
 */
public record GitTree(String sha, boolean truncated, List<Entry> entries) {
  public GitTree {
    entries = List.copyOf(entries);
  }

  /**
   * One entry.
   *
   * @param path the path from the tree's root
   * @param mode e.g. {@code 100644}
   * @param type {@code blob}, {@code tree} or {@code commit}
   * @param sha the object's SHA (for blobs: the git blob SHA-1 of the content)
   */
  public record Entry(String path, String mode, String type, String sha) {}
}
