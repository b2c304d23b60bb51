package com.nexflux.integrations.providers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A fake GitHub REST API on {@code 127.0.0.1}: the subset NexFlux uses, backed by a real in-memory git object model
 * ({@link GitObjectStore}: blobs, trees and commits have their real git SHA-1s), so what a sync wrote can be read
 * back and checked.
 *
 * <p>Served: {@code GET /user}, {@code GET /user/emails}, {@code GET /user/repos} (paginated: {@code per_page}
 * (default 30, at most 100) and {@code page}, with a real {@code Link} header), {@code DELETE
 * /applications/{client_id}/grant} (HTTP Basic with the app's client id and secret; revokes every token of that
 * user), {@code GET .../git/ref/heads/{b}} and the legacy plural {@code GET .../git/refs/heads/{b}},
 * {@code GET .../git/trees/{sha}} (a commit or a tree; {@code recursive} honoured), {@code POST .../git/blobs}
 * ({@code utf-8} or {@code base64}), {@code POST .../git/trees} ({@code base_tree}; entries with inline
 * {@code content}, a blob {@code sha}, or {@code sha: null} to delete; paths may be nested), {@code POST
 * .../git/commits}, {@code PATCH .../git/refs/heads/{b}} ({@code force: false} refuses a non-fast-forward with 422
 * "Update is not a fast forward"). Bearer tokens must have been {@linkplain #acceptToken accepted}; an unknown
 * token gets 401, a repository the token's user is not a member of 404. Every answer to a token carries GitHub's
 * {@code x-ratelimit-*} headers.
 *
 * <p><strong>Contract:</strong> every request received and every response sent is validated against GitHub's
 * OpenAPI description (the resource {@code github-openapi/} next to this class; see {@link GitHubContract} for
 * the four adjustments), and the fake also checks that clients send {@code Accept: application/vnd.github+json} and
 * {@code X-GitHub-Api-Version: 2022-11-28}. A non-conforming request is answered 400, a non-conforming response is
 * replaced by a 500 (so the client under test fails), and both are recorded: {@link #close()} throws an
 * {@link AssertionError} listing them, so a test using the fake in try-with-resources (or closing it in an
 * {@code @AfterEach}) cannot pass silently. {@link #takeContractViolations()} clears them for tests that send bad
 * requests on purpose.
 *
 * <p>Knobs: {@link #failNext}, {@link #secondaryRateLimitOnce}, {@link #primaryRateLimit},
 * {@link #moveHeadBehindTheScenes}, {@link #nextLinkBase}, {@link #repositoryFlags}. Inspection:
 * {@link #requests()}, {@link #revokedTokens()}, {@link #head}, {@link #files}, {@link #commit}. Thread-safe.
 */
public final class FakeGitHub implements AutoCloseable {
  /** The OAuth app's client id the fake expects unless {@link #oauthApp} says otherwise. */
  public static final String DEFAULT_CLIENT_ID = "Iv1.fakeclientid0001";
  /** The OAuth app's client secret the fake expects unless {@link #oauthApp} says otherwise. */
  public static final String DEFAULT_CLIENT_SECRET = "fake-client-secret-0001";
  /** The rate limit per token per hour. */
  public static final int RATE_LIMIT = 5000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCS = "https://docs.github.com/rest";

  /**
   * An address of a user ({@code GET /user/emails}).
   *
   * @param email the address
   * @param primary whether it is the primary one
   * @param verified whether it is verified
   * @param visibility {@code public}, {@code private} or {@code null}
   */
  public record Email(String email, boolean primary, boolean verified, String visibility) {}

  /**
   * A repository of the fake.
   *
   * @param id its id
   * @param owner the owner's login
   * @param name its name
   * @param defaultBranch its default branch
   */
  public record RepoRef(long id, String owner, String name, String defaultBranch) {
    /** @return {@code owner/name} */
    public String fullName() {
      return owner + "/" + name;
    }
  }

  /**
   * A request the fake received.
   *
   * @param method the HTTP method
   * @param path the path, percent-decoded
   * @param query the raw query, or {@code null}
   * @param headers the headers (names lower case)
   * @param body the body as UTF-8 text ({@code ""} for none)
   */
  public record Recorded(String method, String path, String query, Map<String, List<String>> headers,
      String body) {
    /** @return the first value of a header, or {@code null} */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private record Reply(int status, Map<String, String> headers, String body) {}

  private record Injected(int status, Map<String, String> headers, String message) {}

  private static final class Account {
    final GitHubAccount account;
    final List<Email> emails;

    Account(GitHubAccount account, List<Email> emails) {
      this.account = account;
      this.emails = List.copyOf(emails);
    }
  }

  private static final class Repo {
    final long id;
    final String owner;
    final String name;
    final boolean isPrivate;
    final String defaultBranch;
    final Map<String, String> branches = new LinkedHashMap<>();
    final Set<Long> members = new LinkedHashSet<>();
    final Set<String> objects = new HashSet<>(); // ids of the blobs, trees and commits this repository has
    boolean archived;
    boolean canPush = true;

    Repo(long id, String owner, String name, boolean isPrivate, String defaultBranch) {
      this.id = id;
      this.owner = owner;
      this.name = name;
      this.isPrivate = isPrivate;
      this.defaultBranch = defaultBranch;
    }

    RepoRef ref() {
      return new RepoRef(id, owner, name, defaultBranch);
    }
  }

  private static final class RateState {
    int remaining;
    long reset;

    RateState(int remaining, long reset) {
      this.remaining = remaining;
      this.reset = reset;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;
  private final String baseUrl;
  private final GitObjectStore git = new GitObjectStore();
  private final Map<String, Long> tokens = new HashMap<>();
  private Long adoptUnknownAs;
  private final Map<Long, Account> accounts = new HashMap<>();
  private final Map<String, Repo> repos = new LinkedHashMap<>(); // lower-case full name -> repo
  private final Map<String, Deque<Injected>> failures = new HashMap<>();
  private final Deque<Injected> anyPathFailures = new ArrayDeque<>();
  private final Map<String, RateState> rates = new HashMap<>();
  private final List<Recorded> requests = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<String> revoked = new ArrayList<>();
  private String clientId = DEFAULT_CLIENT_ID;
  private String clientSecret = DEFAULT_CLIENT_SECRET;
  private String linkBase;
  private long nextRepoId = 1_296_269;
  private int concurrentChanges;

  private FakeGitHub(Clock clock) throws IOException {
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(LoopbackPorts.loopback(), 0), 50);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread thread = new Thread(r, "fake-github");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Starts a fake on 127.0.0.1 (a free port) with the system clock. */
  public static FakeGitHub start() {
    return start(Clock.systemUTC());
  }

  /** Starts a fake on 127.0.0.1 (a free port); {@code clock} dates commits and sets rate-limit resets. */
  public static FakeGitHub start(Clock clock) {
    GitHubContract.load();
    try {
      FakeGitHub fake = new FakeGitHub(Objects.requireNonNull(clock, "clock"));
      fake.server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the API base, {@code http://127.0.0.1:<port>} */
  public URI baseUrl() {
    return URI.create(baseUrl);
  }

  /** @return the OAuth app's client id */
  public synchronized String clientId() {
    return clientId;
  }

  /** @return the OAuth app's client secret */
  public synchronized String clientSecret() {
    return clientSecret;
  }

  /** Sets the OAuth app's credentials expected by {@code DELETE /applications/{client_id}/grant}. */
  public synchronized FakeGitHub oauthApp(String id, String secret) {
    this.clientId = Objects.requireNonNull(id, "id");
    this.clientSecret = Objects.requireNonNull(secret, "secret");
    return this;
  }

  // ------------------------------------------------------------------------------------------------ arranging

  /**
   * Accepts a token for a user. {@code GET /user} shows {@code account.email()} (which may be null); the user's
   * {@code /user/emails} list is that address, primary and verified, or empty.
   */
  public FakeGitHub acceptToken(String token, GitHubAccount account) {
    return acceptToken(token, account, account.email() == null ? List.of()
        : List.of(new Email(account.email(), true, true, "public")));
  }

  /** Accepts a token for a user whose {@code GET /user/emails} lists {@code emails}. */
  public synchronized FakeGitHub acceptToken(String token, GitHubAccount account, List<Email> emails) {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(account, "account");
    accounts.put(account.id(), new Account(account, emails));
    tokens.put(token, account.id());
    return this;
  }

  /**
   * Accepts every bearer token not seen before (and never revoked) as {@code account}'s: for end-to-end tests in
   * which a real OAuth server issues tokens that the test cannot know in advance.
   */
  public synchronized FakeGitHub adoptUnknownTokensAs(GitHubAccount account) {
    Objects.requireNonNull(account, "account");
    accounts.putIfAbsent(account.id(), new Account(account, account.email() == null ? List.of()
        : List.of(new Email(account.email(), true, true, "public"))));
    adoptUnknownAs = account.id();
    return this;
  }

  /** Creates a repository owned by {@code account} (registered if new), like {@link #createRepository(String, String)}. */
  public synchronized RepoRef createRepositoryFor(GitHubAccount account, String name) {
    accounts.putIfAbsent(account.id(), new Account(account, List.of()));
    String placeholder = "owner-token-" + account.id();
    tokens.putIfAbsent(placeholder, account.id());
    return createRepository(placeholder, account.login(), name, false, Map.of("README.md", "# " + name + "\n"));
  }

  /**
   * Creates a repository owned by the token's user, with one commit holding {@code README.md} on {@code main}.
   *
   * @return the repository
   */
  public RepoRef createRepository(String token, String name) {
    return createRepository(token, login(token), name, false, Map.of("README.md", "# " + name + "\n"));
  }

  /**
   * Creates a repository the token's user is a member of.
   *
   * @param owner the owner's login (a user or an organization)
   * @param files the first commit's files (path → UTF-8 text) on {@code main}; none: an empty repository
   * @return the repository
   */
  public synchronized RepoRef createRepository(String token, String owner, String name, boolean isPrivate,
      Map<String, String> files) {
    long member = accountOf(token).account.id();
    String key = (owner + "/" + name).toLowerCase(Locale.ROOT);
    if (repos.containsKey(key)) {
      throw new IllegalArgumentException("repository exists: " + key);
    }
    Repo repo = new Repo(nextRepoId++, owner, name, isPrivate, "main");
    repo.members.add(member);
    if (!files.isEmpty()) {
      Map<String, GitObjectStore.FileEntry> tree = new TreeMap<>();
      files.forEach((path, text) -> tree.put(path,
          new GitObjectStore.FileEntry("100644", git.putBlob(text.getBytes(StandardCharsets.UTF_8)))));
      GitObjectStore.Person who = person(accountOf(token).account);
      String commit = git.putCommit(new GitObjectStore.Commit(git.putTree(tree), List.of(), who, who,
          "Initial commit"));
      own(repo, commit);
      repo.branches.put("main", commit);
    }
    repos.put(key, repo);
    return repo.ref();
  }

  /** Makes the token's user a member of the repository too. */
  public synchronized FakeGitHub grantAccess(String token, RepoRef repo) {
    repo(repo).members.add(accountOf(token).account.id());
    return this;
  }

  /** Sets what {@code GET /user/repos} says of the repository: {@code archived}, {@code permissions.push}. */
  public synchronized FakeGitHub repositoryFlags(RepoRef repo, boolean archived, boolean canPush) {
    Repo r = repo(repo);
    r.archived = archived;
    r.canPush = canPush;
    return this;
  }

  /**
   * Answers the next request to {@code path} (exact, without query) with {@code status}, {@code headers} and a
   * GitHub error body (a default message per status). Queue several to fail several calls.
   */
  public FakeGitHub failNext(String path, int status, Map<String, String> headers) {
    return failNext(path, status, headers, null);
  }

  /** As {@link #failNext(String, int, Map)} with GitHub's {@code message}. */
  public synchronized FakeGitHub failNext(String path, int status, Map<String, String> headers, String message) {
    failures.computeIfAbsent(path, p -> new ArrayDeque<>()).add(new Injected(status, Map.copyOf(headers),
        message));
    return this;
  }

  /**
   * Answers the next request (any path) as GitHub's secondary rate limit does: 403, {@code Retry-After}, the
   * "You have exceeded a secondary rate limit" message, no {@code x-ratelimit-remaining: 0}.
   */
  public synchronized FakeGitHub secondaryRateLimitOnce(int retryAfterSeconds) {
    anyPathFailures.add(new Injected(403, Map.of("Retry-After", Integer.toString(retryAfterSeconds)),
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach "
            + "out to GitHub Support for help, please include the request ID ABCD:1234:5678."));
    return this;
  }

  /**
   * Sets the token's primary rate limit: {@code remaining} calls left until {@code reset}. Each call counts one;
   * a call with none left gets 403 "API rate limit exceeded" with {@code x-ratelimit-remaining: 0}.
   */
  public synchronized FakeGitHub primaryRateLimit(String token, int remaining, Instant reset) {
    rates.put(token, new RateState(remaining, reset.getEpochSecond()));
    return this;
  }

  /** Writes {@code Link} URLs with this base instead of the fake's own (to test foreign next links). */
  public synchronized FakeGitHub nextLinkBase(URI base) {
    String text = base.toString();
    this.linkBase = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    return this;
  }

  /**
   * Lands a commit on the default branch as if someone pushed, so a commit prepared on the previous head is no
   * longer a fast forward.
   *
   * @return the new head
   */
  public synchronized String moveHeadBehindTheScenes(RepoRef repo) {
    Repo r = repo(repo);
    String head = r.branches.get(r.defaultBranch);
    Map<String, GitObjectStore.FileEntry> files = new TreeMap<>(head == null ? Map.of()
        : git.flatten(git.commit(head).tree()));
    int n = ++concurrentChanges;
    files.put("concurrent-change-" + n + ".txt", new GitObjectStore.FileEntry("100644",
        git.putBlob(("pushed by someone else " + n + "\n").getBytes(StandardCharsets.UTF_8))));
    GitObjectStore.Person who = new GitObjectStore.Person("Someone Else", "someone@example.com", now());
    String commit = git.putCommit(new GitObjectStore.Commit(git.putTree(files),
        head == null ? List.of() : List.of(head), who, who, "Concurrent change " + n));
    own(r, commit);
    r.branches.put(r.defaultBranch, commit);
    return commit;
  }

  // ------------------------------------------------------------------------------------------------ inspecting

  /** @return the default branch's head commit, or {@code null} for an empty repository */
  public synchronized String head(RepoRef repo) {
    Repo r = repo(repo);
    return r.branches.get(r.defaultBranch);
  }

  /** @return the commit, or {@code null} */
  public synchronized GitObjectStore.Commit commit(String sha) {
    return git.commit(sha);
  }

  /** @return the files of a commit or tree: path → content */
  public synchronized SortedMap<String, byte[]> files(String commitOrTreeSha) {
    GitObjectStore.Commit commit = git.commit(commitOrTreeSha);
    String tree = commit == null ? commitOrTreeSha : commit.tree();
    SortedMap<String, byte[]> files = new TreeMap<>();
    git.flatten(tree).forEach((path, file) -> files.put(path, git.blob(file.sha())));
    return files;
  }

  /** @return every request received so far, oldest first */
  public synchronized List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** @return the requests received so far with this method and path */
  public synchronized List<Recorded> requests(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
  }

  /** Forgets the recorded requests. */
  public synchronized void clearRequests() {
    requests.clear();
  }

  /** @return the access tokens named in successful grant revocations, in order */
  public synchronized List<String> revokedTokens() {
    return List.copyOf(revoked);
  }

  /** @return the contract violations seen so far (requests and responses that do not match the spec) */
  public synchronized List<String> contractViolations() {
    return List.copyOf(violations);
  }

  /** @return the contract violations seen so far, and forgets them (for tests that break the contract on purpose) */
  public synchronized List<String> takeContractViolations() {
    List<String> taken = List.copyOf(violations);
    violations.clear();
    return taken;
  }

  /**
   * Stops the server.
   *
   * @throws AssertionError when a request or response broke the contract
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> seen = contractViolations();
    if (!seen.isEmpty()) {
      throw new AssertionError("FakeGitHub saw " + seen.size() + " contract violation(s):\n  "
          + String.join("\n  ", seen));
    }
  }

  // ------------------------------------------------------------------------------------------------ serving

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String rawPath = exchange.getRequestURI().getRawPath();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      Map<String, List<String>> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      Reply reply;
      synchronized (this) {
        reply = serve(method, rawPath, rawQuery, headers, body);
      }
      byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (RuntimeException e) {
      synchronized (this) {
        violations.add("fake GitHub failed on a request: " + e);
      }
      throw e;
    }
  }

  private Reply serve(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
      byte[] body) {
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/", -1)) {
      segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
    }
    String path = String.join("/", segments);
    requests.add(new Recorded(method, path, rawQuery, Map.copyOf(headers),
        new String(body, StandardCharsets.UTF_8)));
    Map<String, List<String>> query = parseQuery(rawQuery);
    GitHubContract.Exchange exchange = new GitHubContract.Exchange(method, rawPath, query, headers, body);

    List<String> problems = new ArrayList<>(GitHubContract.checkRequest(exchange));
    if (!"application/vnd.github+json".equals(first(headers, "accept"))) {
      problems.add("request " + method + " " + rawPath + ": Accept is not application/vnd.github+json");
    }
    if (!"2022-11-28".equals(first(headers, "x-github-api-version"))) {
      problems.add("request " + method + " " + rawPath + ": X-GitHub-Api-Version is not 2022-11-28");
    }
    if (!problems.isEmpty()) {
      violations.addAll(problems);
      return error(400, Map.of(), "Fake GitHub: the request does not match GitHub's API description");
    }
    Reply reply;
    try {
      reply = route(method, path, rawQuery, query, headers, body);
    } catch (RuntimeException e) {
      violations.add("fake GitHub failed on " + method + " " + rawPath + ": " + e);
      return error(500, Map.of(), "Fake GitHub failed");
    }
    List<String> invalid = GitHubContract.checkResponse(exchange, reply.status(), reply.headers(), reply.body());
    if (!invalid.isEmpty()) {
      violations.addAll(invalid);
      return error(500, Map.of(), "Fake GitHub produced a response that does not match GitHub's API description");
    }
    return reply;
  }

  private Reply route(String method, String path, String rawQuery, Map<String, List<String>> query,
      Map<String, List<String>> headers, byte[] body) {
    Injected injected = anyPathFailures.poll();
    if (injected == null) {
      Deque<Injected> queued = failures.get(path);
      injected = queued == null ? null : queued.poll();
    }
    if (injected != null) {
      return error(injected.status(), injected.headers(),
          injected.message() != null ? injected.message() : defaultMessage(injected.status()));
    }
    String[] p = path.substring(1).split("/", -1);
    if (method.equals("DELETE") && p.length == 3 && p[0].equals("applications") && p[2].equals("grant")) {
      return revokeGrant(p[1], headers, body);
    }
    String token = bearer(headers);
    Account account = token == null ? null : accountOfOrNull(token);
    if (account == null) {
      return error(401, Map.of(), "Bad credentials");
    }
    RateState rate = rates.computeIfAbsent(token, t -> new RateState(RATE_LIMIT,
        now().plusSeconds(3600).getEpochSecond()));
    if (rate.reset <= now().getEpochSecond()) {
      rate.remaining = RATE_LIMIT;
      rate.reset = now().plusSeconds(3600).getEpochSecond();
    }
    if (rate.remaining <= 0) {
      return error(403, rateHeaders(rate), "API rate limit exceeded for user ID " + account.account.id()
          + ". If you reach out to GitHub Support for help, please include the request ID ABCD:1234:5678.");
    }
    rate.remaining--;
    Reply reply = routeAuthenticated(method, p, rawQuery, query, account, body);
    Map<String, String> withRate = new LinkedHashMap<>(rateHeaders(rate));
    withRate.putAll(reply.headers());
    return new Reply(reply.status(), withRate, reply.body());
  }

  private Reply routeAuthenticated(String method, String[] p, String rawQuery, Map<String, List<String>> query,
      Account account, byte[] body) {
    if (p.length == 1 && p[0].equals("user") && method.equals("GET")) {
      return ok(200, user(account.account));
    }
    if (p.length == 2 && p[0].equals("user") && p[1].equals("emails") && method.equals("GET")) {
      ArrayNode emails = JSON.createArrayNode();
      for (Email email : account.emails) {
        emails.addObject().put("email", email.email()).put("primary", email.primary())
            .put("verified", email.verified()).put("visibility", email.visibility());
      }
      return ok(200, emails);
    }
    if (p.length == 2 && p[0].equals("user") && p[1].equals("repos") && method.equals("GET")) {
      return listRepositories(account, rawQuery, query);
    }
    if (p.length >= 4 && p[0].equals("repos") && p[3].equals("git")) {
      Repo repo = repos.get((p[1] + "/" + p[2]).toLowerCase(Locale.ROOT));
      if (repo == null || !repo.members.contains(account.account.id())) {
        return error(404, Map.of(), "Not Found");
      }
      String kind = p.length > 4 ? p[4] : "";
      String rest = p.length > 5 ? String.join("/", List.of(p).subList(5, p.length)) : null;
      switch (method + " " + kind) {
        case "GET ref", "GET refs" -> {
          return rest == null ? error(404, Map.of(), "Not Found") : getRef(repo, rest);
        }
        case "PATCH refs" -> {
          return rest == null ? error(404, Map.of(), "Not Found") : updateRef(repo, rest, body);
        }
        case "GET trees" -> {
          return rest == null ? error(404, Map.of(), "Not Found") : getTree(repo, rest, query.containsKey("recursive"));
        }
        case "POST trees" -> {
          return rest != null ? error(404, Map.of(), "Not Found") : createTree(repo, body);
        }
        case "POST blobs" -> {
          return rest != null ? error(404, Map.of(), "Not Found") : createBlob(repo, body);
        }
        case "POST commits" -> {
          return rest != null ? error(404, Map.of(), "Not Found") : createCommit(repo, account, body);
        }
        default -> {
          return error(404, Map.of(), "Not Found");
        }
      }
    }
    return error(404, Map.of(), "Not Found");
  }

  // ------------------------------------------------------------------------------------------------ endpoints

  private Reply revokeGrant(String pathClientId, Map<String, List<String>> headers, byte[] body) {
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(first(headers, "authorization"))) {
      return error(401, Map.of(), "Bad credentials");
    }
    if (!pathClientId.equals(clientId)) {
      return error(404, Map.of(), "Not Found");
    }
    JsonNode json = readJson(body);
    String token = json == null ? null : text(json, "access_token");
    Long user = token == null ? null : tokenOwner(token);
    if (user == null) {
      return error(404, Map.of(), "Not Found");
    }
    tokens.values().removeIf(user::equals); // the grant: every token of this user for the app
    revoked.add(token);
    return new Reply(204, Map.of(), null);
  }

  private Reply listRepositories(Account account, String rawQuery, Map<String, List<String>> query) {
    if (query.containsKey("type") && (query.containsKey("visibility") || query.containsKey("affiliation"))) {
      return validationError("If you specify visibility or affiliation, you cannot specify type.");
    }
    int perPage = clamp(number(query, "per_page", 30), 1, 100);
    int page = Math.max(1, number(query, "page", 1));
    List<Repo> visible = repos.values().stream()
        .filter(r -> r.members.contains(account.account.id()))
        .toList();
    int pages = Math.max(1, (visible.size() + perPage - 1) / perPage);
    ArrayNode items = JSON.createArrayNode();
    for (Repo repo : visible.subList(Math.min(visible.size(), (page - 1) * perPage),
        Math.min(visible.size(), page * perPage))) {
      items.add(repository(repo));
    }
    List<String> links = new ArrayList<>();
    if (page < pages) {
      links.add("<" + pageUrl(rawQuery, page + 1) + ">; rel=\"next\"");
      links.add("<" + pageUrl(rawQuery, pages) + ">; rel=\"last\"");
    }
    if (page > 1) {
      links.add("<" + pageUrl(rawQuery, page - 1) + ">; rel=\"prev\"");
      links.add("<" + pageUrl(rawQuery, 1) + ">; rel=\"first\"");
    }
    Reply reply = ok(200, items);
    if (!links.isEmpty()) {
      Map<String, String> headers = new LinkedHashMap<>(reply.headers());
      headers.put("Link", String.join(", ", links));
      return new Reply(200, headers, reply.body());
    }
    return reply;
  }

  private String pageUrl(String rawQuery, int page) {
    List<String> params = new ArrayList<>();
    if (rawQuery != null) {
      for (String param : rawQuery.split("&")) {
        if (!param.isEmpty() && !param.startsWith("page=")) {
          params.add(param);
        }
      }
    }
    params.add("page=" + page);
    return (linkBase != null ? linkBase : baseUrl) + "/user/repos?" + String.join("&", params);
  }

  private Reply getRef(Repo repo, String ref) {
    if (repo.branches.isEmpty()) {
      return error(409, Map.of(), "Git Repository is empty.");
    }
    String branch = ref.startsWith("heads/") ? ref.substring("heads/".length()) : null;
    String sha = branch == null ? null : repo.branches.get(branch);
    if (sha == null) {
      return error(404, Map.of(), "Not Found");
    }
    return ok(200, ref(repo, branch, sha));
  }

  private Reply updateRef(Repo repo, String ref, byte[] body) {
    JsonNode json = readJson(body);
    String sha = json == null ? null : text(json, "sha");
    boolean force = json != null && json.path("force").asBoolean(false);
    String branch = ref.startsWith("heads/") ? ref.substring("heads/".length()) : null;
    if (sha == null || git.commit(sha) == null || !has(repo, sha)) {
      return validationError("Object does not exist");
    }
    String current = branch == null ? null : repo.branches.get(branch);
    if (current == null) {
      return validationError("Reference does not exist");
    }
    if (!force && !git.isAncestor(current, sha)) {
      return validationError("Update is not a fast forward");
    }
    repo.branches.put(branch, sha);
    return ok(200, ref(repo, branch, sha));
  }

  private Reply getTree(Repo repo, String sha, boolean recursive) {
    GitObjectStore.Commit commit = git.commit(sha);
    String tree = commit != null ? commit.tree() : sha;
    if (!git.hasTree(tree) || !has(repo, tree)) {
      return error(404, Map.of(), "Not Found");
    }
    ObjectNode json = JSON.createObjectNode().put("sha", tree).put("url", repoUrl(repo) + "/git/trees/" + tree);
    ArrayNode entries = json.putArray("tree");
    for (GitObjectStore.ListedEntry entry : git.list(tree, recursive)) {
      ObjectNode node = entries.addObject().put("path", entry.path()).put("mode", entry.mode())
          .put("type", entry.type()).put("sha", entry.sha());
      if (entry.size() != null) {
        node.put("size", entry.size());
      }
      node.put("url", repoUrl(repo) + "/git/" + entry.type() + "s/" + entry.sha());
    }
    json.put("truncated", false);
    return ok(200, json);
  }

  /** Records a commit and everything it reaches as objects of the repository. */
  private void own(Repo repo, String commit) {
    GitObjectStore.Commit c = git.commit(commit);
    repo.objects.add(commit);
    ownTree(repo, c.tree());
  }

  /** Records a tree and everything in it as objects of the repository. */
  private void ownTree(Repo repo, String tree) {
    repo.objects.add(tree);
    for (GitObjectStore.ListedEntry entry : git.list(tree, true)) {
      repo.objects.add(entry.sha());
    }
  }

  /** @return whether the repository has the object (git objects are shared in the store, not across repositories) */
  private boolean has(Repo repo, String sha) {
    return sha.equals(GitObjectStore.EMPTY_TREE) || repo.objects.contains(sha);
  }

  private Reply createBlob(Repo repo, byte[] body) {
    JsonNode json = readJson(body);
    String content = json == null ? null : text(json, "content");
    if (content == null) {
      return validationError("Invalid request.\n\n\"content\" wasn't supplied.");
    }
    String encoding = json.hasNonNull("encoding") ? json.get("encoding").asText() : "utf-8";
    byte[] bytes;
    if (encoding.equalsIgnoreCase("base64")) {
      try {
        bytes = Base64.getMimeDecoder().decode(content);
      } catch (IllegalArgumentException e) {
        return validationError("Invalid request.\n\ncontent is not valid Base64.");
      }
    } else if (encoding.equalsIgnoreCase("utf-8") || encoding.equalsIgnoreCase("utf8")) {
      bytes = content.getBytes(StandardCharsets.UTF_8);
    } else {
      return validationError("Invalid request.\n\nencoding must be utf-8 or base64.");
    }
    String sha = git.putBlob(bytes);
    repo.objects.add(sha);
    ObjectNode out = JSON.createObjectNode().put("url", repoUrl(repo) + "/git/blobs/" + sha).put("sha", sha);
    return created(out, repoUrl(repo) + "/git/blobs/" + sha);
  }

  private Reply createTree(Repo repo, byte[] body) {
    JsonNode json = readJson(body);
    if (json == null || !json.path("tree").isArray()) {
      return validationError("Invalid request.\n\n\"tree\" wasn't supplied.");
    }
    SortedMap<String, GitObjectStore.FileEntry> files = new TreeMap<>();
    if (json.hasNonNull("base_tree")) {
      String base = json.get("base_tree").asText();
      if (!git.hasTree(base) || !has(repo, base)) {
        return validationError("base_tree is not a valid tree oid");
      }
      files.putAll(git.flatten(base));
    }
    for (JsonNode entry : json.get("tree")) {
      String path = text(entry, "path");
      String mode = text(entry, "mode");
      String type = text(entry, "type");
      boolean hasContent = entry.has("content");
      boolean hasSha = entry.has("sha");
      if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")
          || List.of(path.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
        return validationError("tree.path contains a malformed path component");
      }
      if (!"blob".equals(type) || !Set.of("100644", "100755", "120000").contains(mode)) {
        return validationError("Fake GitHub supports blob entries (modes 100644, 100755, 120000) only");
      }
      if (hasContent && hasSha) {
        return validationError("Must supply either tree.sha or tree.content, not both");
      }
      if (hasContent) {
        String blob = git.putBlob(entry.get("content").asText().getBytes(StandardCharsets.UTF_8));
        files.put(path, new GitObjectStore.FileEntry(mode, blob));
      } else if (hasSha && entry.get("sha").isNull()) {
        if (files.remove(path) == null) {
          return validationError("tree.path '" + path + "' does not exist and cannot be deleted");
        }
      } else if (hasSha) {
        String blob = entry.get("sha").asText();
        if (!git.hasBlob(blob) || !has(repo, blob)) {
          return validationError("tree.sha " + blob + " is not a valid blob");
        }
        files.put(path, new GitObjectStore.FileEntry(mode, blob));
      } else {
        return validationError("Must supply either tree.sha or tree.content");
      }
    }
    String tree;
    try {
      tree = git.putTree(files);
    } catch (IllegalArgumentException e) {
      return validationError("tree contains a file and a directory at the same path");
    }
    ownTree(repo, tree);
    Reply listing = getTree(repo, tree, false);
    return created(readJson(listing.body().getBytes(StandardCharsets.UTF_8)), repoUrl(repo) + "/git/trees/" + tree);
  }

  private Reply createCommit(Repo repo, Account account, byte[] body) {
    JsonNode json = readJson(body);
    String message = json == null ? null : text(json, "message");
    String tree = json == null ? null : text(json, "tree");
    if (message == null || tree == null) {
      return validationError("Invalid request.\n\n\"message\" and \"tree\" are required.");
    }
    if (!git.hasTree(tree) || !has(repo, tree)) {
      return validationError("Tree SHA does not exist");
    }
    List<String> parents = new ArrayList<>();
    for (JsonNode parent : json.path("parents")) {
      String sha = parent.asText();
      if (git.commit(sha) == null || !has(repo, sha)) {
        return validationError("Parent SHA does not exist or is not a commit object");
      }
      parents.add(sha);
    }
    GitObjectStore.Person author = json.has("author") ? person(json.get("author"), account.account)
        : person(account.account);
    GitObjectStore.Person committer = json.has("committer") ? person(json.get("committer"), account.account)
        : author;
    GitObjectStore.Commit commit = new GitObjectStore.Commit(tree, parents, author, committer, message);
    String sha = git.putCommit(commit);
    repo.objects.add(sha);
    return created(commit(repo, sha, commit), repoUrl(repo) + "/git/commits/" + sha);
  }

  // ------------------------------------------------------------------------------------------------ JSON

  private ObjectNode user(GitHubAccount account) {
    ObjectNode user = (ObjectNode) rewrite(example("private-user-response-with-public-and-private-profile-"
        + "information"), Map.of("octocat", account.login()));
    user.put("login", account.login());
    user.put("id", account.id());
    user.put("node_id", nodeId("U_", account.id()));
    user.put("avatar_url", account.avatarUrl() != null ? account.avatarUrl()
        : "https://avatars.githubusercontent.com/u/" + account.id() + "?v=4");
    user.put("url", baseUrl + "/users/" + account.login());
    user.put("name", account.login());
    if (account.email() == null) {
      user.putNull("email");
    } else {
      user.put("email", account.email());
    }
    user.put("user_view_type", "private");
    return user;
  }

  private ObjectNode repository(Repo repo) {
    ObjectNode node = (ObjectNode) rewrite(example("repository-items-default-response").get(0),
        Map.of("octocat/Hello-World", repo.owner + "/" + repo.name, "Hello-World", repo.name,
            "octocat", repo.owner));
    // the example carries fields that the repository schema (additionalProperties: false) does not list
    node.remove(List.of("network_count", "subscribers_count", "template_repository"));
    node.put("id", repo.id);
    node.put("node_id", nodeId("R_", repo.id));
    node.put("name", repo.name);
    node.put("full_name", repo.owner + "/" + repo.name);
    node.put("private", repo.isPrivate);
    node.put("visibility", repo.isPrivate ? "private" : "public");
    node.put("default_branch", repo.defaultBranch);
    node.put("archived", repo.archived);
    node.put("url", repoUrl(repo));
    ObjectNode owner = (ObjectNode) node.get("owner");
    owner.put("login", repo.owner);
    owner.put("id", accounts.values().stream().filter(a -> a.account.login().equals(repo.owner))
        .mapToLong(a -> a.account.id()).findFirst().orElse(Math.abs((long) repo.owner.hashCode()) + 1));
    owner.put("url", baseUrl + "/users/" + repo.owner);
    node.putObject("permissions").put("admin", repo.canPush).put("maintain", repo.canPush)
        .put("push", repo.canPush).put("triage", true).put("pull", true);
    return node;
  }

  private ObjectNode ref(Repo repo, String branch, String sha) {
    ObjectNode ref = JSON.createObjectNode()
        .put("ref", "refs/heads/" + branch)
        .put("node_id", nodeId("REF_", (repo.id + "/" + branch).hashCode()))
        .put("url", repoUrl(repo) + "/git/refs/heads/" + branch);
    ref.putObject("object").put("type", "commit").put("sha", sha).put("url", repoUrl(repo) + "/git/commits/" + sha);
    return ref;
  }

  private ObjectNode commit(Repo repo, String sha, GitObjectStore.Commit commit) {
    ObjectNode json = JSON.createObjectNode()
        .put("sha", sha)
        .put("node_id", nodeId("C_", sha.hashCode()))
        .put("url", repoUrl(repo) + "/git/commits/" + sha)
        .put("html_url", "https://github.com/" + repo.owner + "/" + repo.name + "/commit/" + sha);
    person(json.putObject("author"), commit.author());
    person(json.putObject("committer"), commit.committer());
    json.putObject("tree").put("sha", commit.tree()).put("url", repoUrl(repo) + "/git/trees/" + commit.tree());
    json.put("message", commit.message());
    ArrayNode parents = json.putArray("parents");
    for (String parent : commit.parents()) {
      parents.addObject().put("sha", parent).put("url", repoUrl(repo) + "/git/commits/" + parent)
          .put("html_url", "https://github.com/" + repo.owner + "/" + repo.name + "/commit/" + parent);
    }
    json.putObject("verification").put("verified", false).put("reason", "unsigned").putNull("signature")
        .putNull("payload").putNull("verified_at");
    return json;
  }

  private static void person(ObjectNode node, GitObjectStore.Person person) {
    node.put("date", person.date().toString()).put("name", person.name()).put("email", person.email());
  }

  private GitObjectStore.Person person(GitHubAccount account) {
    return new GitObjectStore.Person(account.login(), account.email() != null ? account.email()
        : account.id() + "+" + account.login() + "@users.noreply.github.com", now());
  }

  private GitObjectStore.Person person(JsonNode node, GitHubAccount fallback) {
    GitObjectStore.Person defaults = person(fallback);
    Instant date = node.hasNonNull("date") ? Instant.parse(node.get("date").asText()) : defaults.date();
    return new GitObjectStore.Person(Objects.requireNonNullElse(text(node, "name"), defaults.name()),
        Objects.requireNonNullElse(text(node, "email"), defaults.email()), date);
  }

  private static JsonNode example(String name) {
    return GitHubContract.spec().path("components").path("examples").path(name).path("value").deepCopy();
  }

  /** Replaces substrings in every string of a JSON tree (longest key first). */
  private static JsonNode rewrite(JsonNode node, Map<String, String> replacements) {
    if (node.isTextual()) {
      String text = node.asText();
      List<String> keys = replacements.keySet().stream()
          .sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
      for (String key : keys) {
        text = text.replace(key, "\u0000" + keys.indexOf(key) + "\u0000");
      }
      for (String key : keys) {
        text = text.replace("\u0000" + keys.indexOf(key) + "\u0000", replacements.get(key));
      }
      return TextNode.valueOf(text);
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        field.setValue(rewrite(field.getValue(), replacements));
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, rewrite(array.get(i), replacements));
      }
    }
    return node;
  }

  private String repoUrl(Repo repo) {
    return baseUrl + "/repos/" + repo.owner + "/" + repo.name;
  }

  private static String nodeId(String prefix, long id) {
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(id)
        .getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private Reply ok(int status, JsonNode body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("x-github-api-version-selected", "2022-11-28");
    return new Reply(status, headers, body.toString());
  }

  private Reply created(JsonNode body, String location) {
    Reply reply = ok(201, body);
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.put("Location", location);
    return new Reply(201, headers, reply.body());
  }

  private Reply error(int status, Map<String, String> extraHeaders, String message) {
    ObjectNode body = JSON.createObjectNode().put("message", message).put("documentation_url", DOCS);
    if (status != 422) { // validation-error has no status member (additionalProperties: false)
      body.put("status", Integer.toString(status));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.putAll(extraHeaders);
    return new Reply(status, headers, body.toString());
  }

  private Reply validationError(String message) {
    return error(422, Map.of(), message);
  }

  private Map<String, String> rateHeaders(RateState rate) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-ratelimit-limit", Integer.toString(RATE_LIMIT));
    headers.put("x-ratelimit-remaining", Integer.toString(Math.max(0, rate.remaining)));
    headers.put("x-ratelimit-reset", Long.toString(rate.reset));
    headers.put("x-ratelimit-used", Integer.toString(RATE_LIMIT - Math.max(0, rate.remaining)));
    headers.put("x-ratelimit-resource", "core");
    return headers;
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 401 -> "Bad credentials";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 422 -> "Validation Failed";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private Account accountOf(String token) {
    Account account = accountOfOrNull(token);
    if (account == null) {
      throw new IllegalArgumentException("token not accepted; call acceptToken first");
    }
    return account;
  }

  private Account accountOfOrNull(String token) {
    Long id = tokenOwner(token);
    return id == null ? null : accounts.get(id);
  }

  /** The account id a token belongs to; adopts unknown, never revoked tokens when {@link #adoptUnknownTokensAs}. */
  private Long tokenOwner(String token) {
    Long id = tokens.get(token);
    if (id == null && token != null && adoptUnknownAs != null && !revoked.contains(token)) {
      tokens.put(token, adoptUnknownAs);
      id = adoptUnknownAs;
    }
    return id;
  }

  private String login(String token) {
    synchronized (this) {
      return accountOf(token).account.login();
    }
  }

  private Repo repo(RepoRef ref) {
    Repo repo = repos.get(ref.fullName().toLowerCase(Locale.ROOT));
    if (repo == null) {
      throw new IllegalArgumentException("no repository " + ref.fullName());
    }
    return repo;
  }

  private static String bearer(Map<String, List<String>> headers) {
    String authorization = first(headers, "authorization");
    if (authorization == null) {
      return null;
    }
    for (String scheme : List.of("Bearer ", "bearer ", "token ")) {
      if (authorization.startsWith(scheme)) {
        return authorization.substring(scheme.length()).trim();
      }
    }
    return null;
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String param : rawQuery.split("&")) {
      if (param.isEmpty()) {
        continue;
      }
      int eq = param.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? param : param.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static int number(Map<String, List<String>> query, String name, int fallback) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(values.get(0));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }

  private static JsonNode readJson(byte[] body) {
    try {
      return body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
  }

  @Override
  public synchronized String toString() {
    return "FakeGitHub[" + baseUrl + ", " + repos.keySet().stream().collect(Collectors.joining(", ")) + "]";
  }
}
