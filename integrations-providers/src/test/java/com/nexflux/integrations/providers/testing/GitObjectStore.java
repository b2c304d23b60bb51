package com.nexflux.integrations.providers.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A git object database in memory: blobs, trees and commits serialized exactly as git does, so their ids are real
 * git SHA-1s ({@code git hash-object} agrees). Used by {@link FakeGitHub}; not thread-safe on its own.
 */
public final class GitObjectStore {
  /** The id of the empty tree in every git repository. */
  public static final String EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

  private static final HexFormat HEX = HexFormat.of();

  /**
   * A file as a tree lists it.
   *
   * @param mode {@code 100644}, {@code 100755} or {@code 120000}
   * @param sha the blob's id
   */
  public record FileEntry(String mode, String sha) {}

  /**
   * One entry of a tree listed recursively, as GitHub's API shows it.
   *
   * @param path the path from the root tree
   * @param mode {@code 100644} etc. for blobs, {@code 040000} for trees
   * @param type {@code blob} or {@code tree}
   * @param sha the object's id
   * @param size the blob's size, or {@code null} for trees
   */
  public record ListedEntry(String path, String mode, String type, String sha, Integer size) {}

  /**
   * Who made a commit, and when (to the second, as git keeps it).
   *
   * @param name the name
   * @param email the email
   * @param date the date
   */
  public record Person(String name, String email, Instant date) {}

  /**
   * A commit.
   *
   * @param tree the root tree's id
   * @param parents the parents' ids
   * @param author the author
   * @param committer the committer
   * @param message the message
   */
  public record Commit(String tree, List<String> parents, Person author, Person committer, String message) {
    public Commit {
      parents = List.copyOf(parents);
    }
  }

  private record TreeItem(String mode, String name, String sha) {}

  private final Map<String, byte[]> blobs = new HashMap<>();
  private final Map<String, List<TreeItem>> trees = new HashMap<>();
  private final Map<String, Commit> commits = new HashMap<>();

  /** An empty store (the empty tree is always there). */
  public GitObjectStore() {
    trees.put(storeTree(List.of()), List.of());
  }

  /** @return the blob's id */
  public String putBlob(byte[] content) {
    String sha = hash("blob", content);
    blobs.putIfAbsent(sha, content.clone());
    return sha;
  }

  /** @return the blob's bytes, or {@code null} */
  public byte[] blob(String sha) {
    byte[] content = blobs.get(sha);
    return content == null ? null : content.clone();
  }

  /** @return whether a blob with this id exists */
  public boolean hasBlob(String sha) {
    return blobs.containsKey(sha);
  }

  /** @return whether a tree with this id exists */
  public boolean hasTree(String sha) {
    return trees.containsKey(sha);
  }

  /** @return the commit, or {@code null} */
  public Commit commit(String sha) {
    return commits.get(sha);
  }

  /**
   * Builds (and stores) the nested trees for a flat listing.
   *
   * @param files path ({@code /}-separated) → file
   * @return the root tree's id
   */
  public String putTree(Map<String, FileEntry> files) {
    Map<String, Object> root = new TreeMap<>();
    for (Map.Entry<String, FileEntry> file : files.entrySet()) {
      String[] parts = file.getKey().split("/");
      Map<String, Object> dir = root;
      for (int i = 0; i < parts.length - 1; i++) {
        Object child = dir.computeIfAbsent(parts[i], k -> new TreeMap<String, Object>());
        if (!(child instanceof Map)) {
          throw new IllegalArgumentException("a file and a directory share the path " + parts[i]);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) child;
        dir = next;
      }
      if (dir.containsKey(parts[parts.length - 1])) {
        throw new IllegalArgumentException("a file and a directory share the path " + file.getKey());
      }
      dir.put(parts[parts.length - 1], file.getValue());
    }
    return writeTree(root);
  }

  private String writeTree(Map<String, Object> dir) {
    List<TreeItem> items = new ArrayList<>();
    for (Map.Entry<String, Object> entry : dir.entrySet()) {
      if (entry.getValue() instanceof FileEntry file) {
        items.add(new TreeItem(file.mode(), entry.getKey(), file.sha()));
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> sub = (Map<String, Object>) entry.getValue();
        items.add(new TreeItem("40000", entry.getKey(), writeTree(sub)));
      }
    }
    return storeTree(items);
  }

  private String storeTree(List<TreeItem> unsorted) {
    List<TreeItem> items = new ArrayList<>(unsorted);
    // git orders entries by name, comparing a tree's name as if it ended with '/'
    items.sort((a, b) -> Arrays.compareUnsigned(sortKey(a), sortKey(b)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (TreeItem item : items) {
      out.writeBytes((item.mode() + " " + item.name()).getBytes(StandardCharsets.UTF_8));
      out.write(0);
      out.writeBytes(HEX.parseHex(item.sha()));
    }
    String sha = hash("tree", out.toByteArray());
    trees.putIfAbsent(sha, List.copyOf(items));
    return sha;
  }

  private static byte[] sortKey(TreeItem item) {
    return (item.mode().equals("40000") ? item.name() + "/" : item.name()).getBytes(StandardCharsets.UTF_8);
  }

  /** @return every file of a tree: path → file (empty for an unknown tree) */
  public SortedMap<String, FileEntry> flatten(String treeSha) {
    SortedMap<String, FileEntry> files = new TreeMap<>();
    flatten(treeSha, "", files);
    return files;
  }

  private void flatten(String treeSha, String prefix, Map<String, FileEntry> files) {
    for (TreeItem item : trees.getOrDefault(treeSha, List.of())) {
      if (item.mode().equals("40000")) {
        flatten(item.sha(), prefix + item.name() + "/", files);
      } else {
        files.put(prefix + item.name(), new FileEntry(item.mode(), item.sha()));
      }
    }
  }

  /**
   * @param recursive whether to descend into subtrees
   * @return the tree's entries as GitHub lists them (trees included, in git's order, depth first)
   */
  public List<ListedEntry> list(String treeSha, boolean recursive) {
    List<ListedEntry> out = new ArrayList<>();
    list(treeSha, "", recursive, out);
    return out;
  }

  private void list(String treeSha, String prefix, boolean recursive, List<ListedEntry> out) {
    for (TreeItem item : trees.getOrDefault(treeSha, List.of())) {
      String path = prefix + item.name();
      if (item.mode().equals("40000")) {
        out.add(new ListedEntry(path, "040000", "tree", item.sha(), null));
        if (recursive) {
          list(item.sha(), path + "/", true, out);
        }
      } else {
        out.add(new ListedEntry(path, item.mode(), "blob", item.sha(), blobs.get(item.sha()).length));
      }
    }
  }

  /** @return the commit's id */
  public String putCommit(Commit commit) {
    Objects.requireNonNull(commit, "commit");
    StringBuilder text = new StringBuilder();
    text.append("tree ").append(commit.tree()).append('\n');
    for (String parent : commit.parents()) {
      text.append("parent ").append(parent).append('\n');
    }
    text.append("author ").append(signature(commit.author())).append('\n');
    text.append("committer ").append(signature(commit.committer())).append('\n');
    text.append('\n').append(commit.message());
    String sha = hash("commit", text.toString().getBytes(StandardCharsets.UTF_8));
    commits.putIfAbsent(sha, commit);
    return sha;
  }

  private static String signature(Person person) {
    return person.name() + " <" + person.email() + "> " + person.date().getEpochSecond() + " +0000";
  }

  /** @return whether {@code ancestor} is {@code descendant} or one of its ancestors */
  public boolean isAncestor(String ancestor, String descendant) {
    Deque<String> todo = new ArrayDeque<>(List.of(descendant));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String sha = todo.pop();
      if (sha.equals(ancestor)) {
        return true;
      }
      Commit commit = commits.get(sha);
      if (commit != null && seen.add(sha)) {
        todo.addAll(commit.parents());
      }
    }
    return false;
  }

  /** @return the git object id of {@code content} as an object of {@code type} */
  public static String hash(String type, byte[] content) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update((type + " " + content.length).getBytes(StandardCharsets.US_ASCII));
      sha1.update((byte) 0);
      sha1.update(content);
      return HEX.formatHex(sha1.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
