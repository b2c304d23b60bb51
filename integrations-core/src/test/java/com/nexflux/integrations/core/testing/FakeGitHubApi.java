package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.github.GitHubRepository;
import com.nexflux.integrations.core.github.GitTree;
import com.nexflux.integrations.core.github.NewTreeEntry;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.github.GitHubApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A {@link GitHubApi} in memory: a git object store (blobs with real git blob SHA-1s, trees kept as flat path → blob
 * maps, commits with one parent) behind accounts and repositories keyed by token. It counts the calls per operation
 * ({@link #calls(String)}, names as the {@code OP_*} constants) and checks what a real GitHub checks: the token,
 * {@code sha} xor {@code content} in tree entries, the base tree exists, {@code updateRef} is a fast forward.
 *
 * <p>Failure injection: {@link #failNext(String, Supplier)} (once per call; queue several), with shortcuts
 * {@link #rateLimitNext(String, Duration)} and {@link #serverErrorNext(String)} (500 → {@link UnavailableException});
 * {@link #racePushBeforeUpdateRef(int)} lands a concurrent commit on the branch right before the next {@code n}
 * {@code updateRef} calls, so they are refused as non-fast-forward (422 → {@code false}) for real;
 * {@link #truncateTrees(boolean)}. Thread-safe.
 */
public final class FakeGitHubApi implements GitHubApi {
  public static final String OP_CURRENT_USER = "currentUser";
  public static final String OP_REPOSITORIES = "repositories";
  public static final String OP_HEAD = "headCommit";
  public static final String OP_TREE = "tree";
  public static final String OP_CREATE_BLOB = "createBlob";
  public static final String OP_CREATE_TREE = "createTree";
  public static final String OP_CREATE_COMMIT = "createCommit";
  public static final String OP_UPDATE_REF = "updateRef";
  /** The git write operations. */
  public static final Set<String> WRITES = Set.of(OP_CREATE_BLOB, OP_CREATE_TREE, OP_CREATE_COMMIT, OP_UPDATE_REF);
  /** The operations of a sync (everything but account, repository list and revoke). */
  public static final Set<String> SYNC_OPS = Set.of(OP_HEAD, OP_TREE, OP_CREATE_BLOB, OP_CREATE_TREE,
      OP_CREATE_COMMIT, OP_UPDATE_REF);

  private static final HexFormat HEX = HexFormat.of();

  private record Commit(String tree, String parent, String message) {}

  private final Map<String, GitHubAccount> accounts = new HashMap<>(); // token -> account
  private final Map<String, List<GitHubRepository>> repositories = new HashMap<>(); // token -> repos
  private final Map<String, Map<String, String>> branches = new HashMap<>(); // owner/name -> branch -> commit
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final Map<String, Map<String, String>> trees = new HashMap<>(); // sha -> path -> blob sha
  private final Map<String, Commit> commits = new HashMap<>();
  private final Map<String, Integer> calls = new LinkedHashMap<>();
  private final Map<String, Deque<Supplier<? extends RuntimeException>>> failures = new HashMap<>();
  private int racesLeft;
  private boolean truncate;
  private int raceCounter;

  /** An empty GitHub. */
  public FakeGitHubApi() {}

  // ---------------------------------------------------------------- arranging

  /** Lets {@code token} act as {@code account}. */
  public synchronized FakeGitHubApi account(String token, GitHubAccount account) {
    accounts.put(token, Objects.requireNonNull(account, "account"));
    repositories.putIfAbsent(token, new ArrayList<>());
    return this;
  }

  /**
   * Gives the token's account a repository with one initial commit (a {@code README.md}) on its default branch.
   */
  public synchronized FakeGitHubApi repository(String token, GitHubRepository repository) {
    if (!accounts.containsKey(token)) {
      throw new IllegalStateException("add the account first");
    }
    repositories.get(token).add(repository);
    String key = key(repository.owner(), repository.name());
    if (!branches.containsKey(key)) {
      String blob = putBlob(("# " + repository.name() + "\n").getBytes(StandardCharsets.UTF_8));
      String tree = putTree(Map.of("README.md", blob));
      String commit = putCommit(new Commit(tree, null, "Initial commit"));
      Map<String, String> refs = new HashMap<>();
      refs.put(repository.defaultBranch(), commit);
      branches.put(key, refs);
    }
    return this;
  }

  /** Makes {@code token} unknown (a revoked or bad token → 401 bad credentials). */
  public synchronized void forgetToken(String token) {
    accounts.remove(token);
  }

  /** Queues a failure for the next call of {@code op} (one failure per call, in order). */
  public synchronized FakeGitHubApi failNext(String op, Supplier<? extends RuntimeException> failure) {
    failures.computeIfAbsent(op, k -> new ArrayDeque<>()).add(failure);
    return this;
  }

  /** The next call of {@code op} answers 403/429 with {@code Retry-After}. */
  public FakeGitHubApi rateLimitNext(String op, Duration retryAfter) {
    return failNext(op, () -> new RateLimitedException("GitHub rate limit (simulated)", retryAfter));
  }

  /** The next call of {@code op} answers 500. */
  public FakeGitHubApi serverErrorNext(String op) {
    return failNext(op, () -> new UnavailableException("GitHub answered 500 (simulated)", null));
  }

  /** Right before each of the next {@code times} {@code updateRef} calls, someone else pushes to that branch. */
  public synchronized FakeGitHubApi racePushBeforeUpdateRef(int times) {
    racesLeft = times;
    return this;
  }

  /** While on, {@link #tree} answers {@code truncated: true} with only the first entry. */
  public synchronized void truncateTrees(boolean on) {
    truncate = on;
  }

  /**
   * Commits {@code files} on top of the branch head, as another client would; a null content deletes the path.
   *
   * @return the commit's SHA
   */
  public synchronized String push(String owner, String repo, String branch, Map<String, byte[]> files) {
    String head = branchesOf(owner, repo).get(branch);
    Map<String, String> tree = new TreeMap<>(trees.get(commits.get(head).tree()));
    files.forEach((path, content) -> {
      if (content == null) {
        tree.remove(path);
      } else {
        tree.put(path, putBlob(content));
      }
    });
    String commit = putCommit(new Commit(putTree(tree), head, "other push"));
    branchesOf(owner, repo).put(branch, commit);
    return commit;
  }

  // ---------------------------------------------------------------- inspecting

  /** @return how often {@code op} was called (failed calls included) */
  public synchronized int calls(String op) {
    return calls.getOrDefault(op, 0);
  }

  /** @return the calls per operation, in order of first use */
  public synchronized Map<String, Integer> callCounts() {
    return new LinkedHashMap<>(calls);
  }

  /** @return the calls of the given operations together */
  public synchronized int calls(Set<String> ops) {
    return ops.stream().mapToInt(this::calls).sum();
  }

  /** @return how many write calls were made */
  public int writes() {
    return calls(WRITES);
  }

  /** Forgets the call counts. */
  public synchronized void resetCalls() {
    calls.clear();
  }

  /** @return the branch's head commit */
  public synchronized String head(String owner, String repo, String branch) {
    return branchesOf(owner, repo).get(branch);
  }

  /** @return the commit's parent, or null */
  public synchronized String parentOf(String commit) {
    return commit(commit).parent();
  }

  /** @return the commit's message */
  public synchronized String messageOf(String commit) {
    return commit(commit).message();
  }

  /** @return how many commits the branch's history has */
  public synchronized int historyLength(String owner, String repo, String branch) {
    int n = 0;
    for (String c = head(owner, repo, branch); c != null; c = commits.get(c).parent()) {
      n++;
    }
    return n;
  }

  /** @return the file's bytes at the branch's head, or null */
  public synchronized byte[] file(String owner, String repo, String branch, String path) {
    String blob = trees.get(commits.get(head(owner, repo, branch)).tree()).get(path);
    return blob == null ? null : blobs.get(blob).clone();
  }

  /** @return the file as UTF-8 text, or null */
  public String text(String owner, String repo, String branch, String path) {
    byte[] b = file(owner, repo, branch, path);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** @return every file path at the branch's head, sorted */
  public synchronized Set<String> paths(String owner, String repo, String branch) {
    return new TreeSet<>(trees.get(commits.get(head(owner, repo, branch)).tree()).keySet());
  }

  // ---------------------------------------------------------------- GitHubApi

  @Override
  public synchronized GitHubAccount currentUser(Secret token) {
    enter(OP_CURRENT_USER);
    return accountOf(token);
  }

  @Override
  public synchronized List<GitHubRepository> repositories(Secret token) {
    enter(OP_REPOSITORIES);
    accountOf(token);
    return List.copyOf(repositories.get(token.reveal()));
  }

  @Override
  public synchronized String headCommit(Secret token, String owner, String repo, String branch) {
    enter(OP_HEAD);
    checkAccess(token, owner, repo);
    String head = branchesOf(owner, repo).get(branch);
    if (head == null) {
      throw new NotFoundException("branch " + branch + " not found");
    }
    return head;
  }

  @Override
  public synchronized GitTree tree(Secret token, String owner, String repo, String commitOrTreeSha) {
    enter(OP_TREE);
    checkAccess(token, owner, repo);
    String treeSha = commits.containsKey(commitOrTreeSha) ? commits.get(commitOrTreeSha).tree() : commitOrTreeSha;
    Map<String, String> files = trees.get(treeSha);
    if (files == null) {
      throw new NotFoundException("tree not found");
    }
    List<GitTree.Entry> entries = new ArrayList<>();
    Set<String> dirs = new TreeSet<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      String path = f.getKey();
      for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
        if (dirs.add(path.substring(0, i))) {
          entries.add(new GitTree.Entry(path.substring(0, i), "040000", "tree", sha1(path.substring(0, i))));
        }
      }
      entries.add(new GitTree.Entry(path, "100644", "blob", f.getValue()));
    }
    if (truncate && !entries.isEmpty()) {
      return new GitTree(treeSha, true, entries.subList(0, 1));
    }
    return new GitTree(treeSha, false, entries);
  }

  @Override
  public synchronized String createBlob(Secret token, String owner, String repo, byte[] content) {
    enter(OP_CREATE_BLOB);
    checkAccess(token, owner, repo);
    return putBlob(content.clone());
  }

  @Override
  public synchronized String createTree(Secret token, String owner, String repo, String baseTree,
      List<NewTreeEntry> entries) {
    enter(OP_CREATE_TREE);
    checkAccess(token, owner, repo);
    Map<String, String> base = trees.get(baseTree);
    if (base == null) {
      throw new IllegalStateException("422: base_tree " + baseTree + " does not exist");
    }
    Map<String, String> tree = new TreeMap<>(base);
    for (NewTreeEntry e : entries) {
      if (e.path().startsWith("/") || e.path().contains("//") || e.path().endsWith("/")) {
        throw new IllegalStateException("422: bad path " + e.path());
      }
      if (e.blobSha() != null) {
        if (!blobs.containsKey(e.blobSha())) {
          throw new IllegalStateException("422: blob " + e.blobSha() + " does not exist");
        }
        tree.put(e.path(), e.blobSha());
      } else {
        tree.put(e.path(), putBlob(e.content().getBytes(StandardCharsets.UTF_8)));
      }
    }
    return putTree(tree);
  }

  @Override
  public synchronized String createCommit(Secret token, String owner, String repo, String message, String treeSha,
      String parentSha) {
    enter(OP_CREATE_COMMIT);
    checkAccess(token, owner, repo);
    if (!trees.containsKey(treeSha) || (parentSha != null && !commits.containsKey(parentSha))) {
      throw new IllegalStateException("422: unknown tree or parent");
    }
    return putCommit(new Commit(treeSha, parentSha, message));
  }

  @Override
  public synchronized boolean updateRef(Secret token, String owner, String repo, String branch, String commitSha) {
    enter(OP_UPDATE_REF);
    checkAccess(token, owner, repo);
    if (racesLeft > 0) {
      racesLeft--;
      push(owner, repo, branch, Map.of("other/race-" + (++raceCounter) + ".txt",
          ("pushed by someone else " + raceCounter + "\n").getBytes(StandardCharsets.UTF_8)));
    }
    Map<String, String> refs = branchesOf(owner, repo);
    String current = refs.get(branch);
    if (current == null) {
      throw new NotFoundException("branch " + branch + " not found");
    }
    if (!commits.containsKey(commitSha)) {
      throw new IllegalStateException("422: unknown commit");
    }
    for (String c = commitSha; c != null; c = commits.get(c).parent()) {
      if (c.equals(current)) {
        refs.put(branch, commitSha);
        return true;
      }
    }
    return false; // 422 Update is not a fast forward
  }

  // ---------------------------------------------------------------- internals

  private void enter(String op) {
    calls.merge(op, 1, Integer::sum);
    Deque<Supplier<? extends RuntimeException>> queue = failures.get(op);
    if (queue != null && !queue.isEmpty()) {
      throw queue.poll().get();
    }
  }

  private GitHubAccount accountOf(Secret token) {
    GitHubAccount account = token == null ? null : accounts.get(token.reveal());
    if (account == null) {
      throw new OAuthGrantException("bad_credentials");
    }
    return account;
  }

  private void checkAccess(Secret token, String owner, String repo) {
    accountOf(token);
    boolean visible = repositories.get(token.reveal()).stream()
        .anyMatch(r -> r.owner().equals(owner) && r.name().equals(repo));
    if (!visible) {
      throw new NotFoundException("repository " + owner + "/" + repo + " not found");
    }
  }

  private Map<String, String> branchesOf(String owner, String repo) {
    Map<String, String> refs = branches.get(key(owner, repo));
    if (refs == null) {
      throw new NotFoundException("repository " + owner + "/" + repo + " not found");
    }
    return refs;
  }

  private Commit commit(String sha) {
    Commit c = commits.get(sha);
    if (c == null) {
      throw new IllegalArgumentException("no commit " + sha);
    }
    return c;
  }

  private String putBlob(byte[] content) {
    MessageDigest md = digest();
    md.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
    md.update(content);
    String sha = HEX.formatHex(md.digest());
    blobs.putIfAbsent(sha, content);
    return sha;
  }

  private String putTree(Map<String, String> files) {
    StringBuilder listing = new StringBuilder("tree\n");
    new TreeMap<>(files).forEach((p, s) -> listing.append(p).append('\0').append(s).append('\n'));
    String sha = sha1(listing.toString());
    trees.putIfAbsent(sha, Map.copyOf(files));
    return sha;
  }

  private String putCommit(Commit commit) {
    String sha = sha1("commit\n" + commit.tree() + "\n" + commit.parent() + "\n" + commit.message() + "\n"
        + commits.size());
    commits.put(sha, commit);
    return sha;
  }

  private static String key(String owner, String repo) {
    return owner + "/" + repo;
  }

  private static String sha1(String text) {
    return HEX.formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
