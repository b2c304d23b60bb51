package com.nexflux.integrations.providers.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.github.GitHubRepository;
import com.nexflux.integrations.core.github.GitTree;
import com.nexflux.integrations.core.github.NewTreeEntry;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nexflux.integrations.core.github.GitHubApi;
import com.nexflux.integrations.providers.github.internal.GitHubNames;
import com.nexflux.integrations.providers.github.internal.LinkHeader;
import com.nexflux.integrations.providers.github.internal.RateLimitGate;
import com.nexflux.integrations.providers.internal.BoundedBodies;
import com.nexflux.integrations.providers.internal.SafeText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@link GitHubApi} on OkHttp: GitHub's REST API, version {@value #API_VERSION}, at a configurable base
 * ({@code https://api.github.com}, or {@code https://HOST/api/v3} for GitHub Enterprise Server).
 *
 * <p>Every call sends {@code Accept: application/vnd.github+json}, {@code X-GitHub-Api-Version: 2022-11-28} and
 * {@code Authorization: Bearer <token>} (grant revocation: HTTP Basic with the OAuth app's client id and secret).
 *
 * <ul>
 *   <li>{@link #currentUser}: {@code GET /user}; when the profile has no public email, {@code GET /user/emails}
 *       for the primary verified one (a 403/404 there, i.e. no {@code user:email} scope, leaves it {@code null}).</li>
 *   <li>{@link #repositories}: {@code GET /user/repos?per_page=100&affiliation=owner,collaborator,
 *       organization_member}, following {@code Link: rel="next"} only to the same scheme, host and port as the
 *       API base (a next link elsewhere ends the listing), at most {@value #MAX_PAGES} pages. Archived
 *       repositories and those whose {@code permissions.push} is false are left out (the port lists repositories
 *       the user can push to).</li>
 *   <li>The Git Data calls: {@code GET git/ref/heads/{branch}}, {@code GET git/trees/{sha}?recursive=1},
 *       {@code POST git/blobs} (base64), {@code POST git/trees} (mode {@code 100644} blobs on a base tree),
 *       {@code POST git/commits} (one parent), {@code PATCH git/refs/heads/{branch}} with {@code force: false}
 *       (a 422 answer, GitHub's "Update is not a fast forward", returns {@code false}).</li>
 * </ul>
 *
 * <p>Failures: 401 → {@link OAuthGrantException} {@code bad_credentials} (for the revocation, which authenticates
 * the app, an {@link OAuthProtocolException}); 403/429 that are rate limits → {@link RateLimitedException} (see
 * {@link RateLimitGate}; later calls with the same token fail fast until the wait is over, and so do calls after a
 * success that reported {@code x-ratelimit-remaining: 0}); 404 → {@link NotFoundException}; other 4xx →
 * {@link UnavailableException} naming the status and GitHub's {@code message}; 5xx, network errors and timeouts →
 * {@link UnavailableException}. No message contains a token or the client secret; GitHub's answers are otherwise
 * not quoted. Owner, repository, branch and SHA arguments are checked ({@link IllegalArgumentException}) so none
 * can change a URL's path.
 *
 * <p>Timeouts, redirects, proxies and connection pooling are the given {@link OkHttpClient}'s. In production that is
 * a guarded client for GitHub's fixed hosts
 * ({@link com.nexflux.integrations.providers.http.OutboundHttpClients#fixedHosts} with the API base's host): a
 * redirect (GitHub answers 301 for a renamed repository) is then followed on that host only, and a call that would
 * leave it fails with {@link com.nexflux.integrations.providers.http.OutboundRefusedException}
 * ({@code HOST_NOT_ALLOWED}), which this class lets through as it is. Thread-safe; share
 * one instance.
 */
public final class OkHttpGitHubApi implements GitHubApi {
  /** The REST API version asked for. */
  public static final String API_VERSION = "2022-11-28";
  /** The most pages of repositories read (100 each). */
  public static final int MAX_PAGES = 100;
  /** The largest answer read: 32 MiB (a recursive tree can reach 7 MB). */
  public static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(OkHttpGitHubApi.class);
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER_AGENT = "NexFlux-Integrations";

  private final OkHttpClient http;
  private final HttpUrl base;
  private final String clientId;
  private final Secret clientSecret;
  private final RateLimitGate limits;

  /**
   * @param http the OkHttp client to send with
   * @param apiBaseUrl the API's base URL, e.g. {@code https://api.github.com}
   * @param clientId the OAuth app's client id (its rate-limit bucket for app-authenticated calls)
   * @param clientSecret the OAuth app's client secret
   * @param clock compared with GitHub's {@code x-ratelimit-reset}
   * @throws IllegalArgumentException when {@code apiBaseUrl} is not an http(s) URL
   */
  public OkHttpGitHubApi(OkHttpClient http, URI apiBaseUrl, String clientId, Secret clientSecret, Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    HttpUrl parsed = HttpUrl.parse(apiBaseUrl.toString());
    if (parsed == null || parsed.query() != null) {
      throw new IllegalArgumentException("apiBaseUrl must be an http(s) URL without a query: " + apiBaseUrl);
    }
    this.base = parsed;
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    this.limits = new RateLimitGate(Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public GitHubAccount currentUser(Secret token) {
    JsonNode user = expect(send(get(url("user"), token), token, "GET /user"), "GET /user", 200).json();
    long id = requiredLong(user, "id", "GET /user");
    String login = requiredText(user, "login", "GET /user");
    String email = text(user, "email");
    if (email == null || email.isBlank()) {
      email = primaryVerifiedEmail(token);
    }
    return new GitHubAccount(id, login, text(user, "avatar_url"), email);
  }

  private String primaryVerifiedEmail(Secret token) {
    String what = "GET /user/emails";
    Reply reply = send(get(url("user", "emails").newBuilder().addQueryParameter("per_page", "100").build(), token),
        token, what);
    if (reply.status() == 403 || reply.status() == 404) {
      RuntimeException failure = failure(reply, what);
      if (failure instanceof RateLimitedException) {
        throw failure;
      }
      return null; // the token lacks the user:email scope
    }
    for (JsonNode email : array(expect(reply, what, 200).json(), what)) {
      if (email.path("primary").asBoolean(false) && email.path("verified").asBoolean(false)) {
        String address = text(email, "email");
        if (address != null && !address.isBlank()) {
          return address;
        }
      }
    }
    return null;
  }

  @Override
  public List<GitHubRepository> repositories(Secret token) {
    String what = "GET /user/repos";
    HttpUrl url = url("user", "repos").newBuilder()
        .addQueryParameter("per_page", "100")
        .addEncodedQueryParameter("affiliation", "owner,collaborator,organization_member")
        .build();
    List<GitHubRepository> repositories = new ArrayList<>();
    Set<HttpUrl> seen = new HashSet<>();
    for (int page = 1; url != null; page++) {
      if (!seen.add(url)) {
        break; // a Link loop
      }
      if (page > MAX_PAGES) {
        LOG.warn("Listing GitHub repositories stopped after {} pages", MAX_PAGES);
        break;
      }
      Reply reply = expect(send(get(url, token), token, what), what, 200);
      for (JsonNode repo : array(reply.json(), what)) {
        if (repo.path("archived").asBoolean(false) || !repo.path("permissions").path("push").asBoolean(true)) {
          continue;
        }
        repositories.add(new GitHubRepository(
            requiredLong(repo, "id", what),
            requiredText(repo, "name", what),
            requiredText(repo, "full_name", what),
            requiredText(repo.path("owner"), "login", what),
            repo.path("private").asBoolean(false),
            Optional.ofNullable(text(repo, "default_branch")).orElse("main")));
      }
      url = next(url, reply.headers().get("Link"));
    }
    return List.copyOf(repositories);
  }

  private HttpUrl next(HttpUrl current, String link) {
    Optional<String> next = LinkHeader.next(link);
    if (next.isEmpty()) {
      return null;
    }
    HttpUrl target = current.resolve(next.get());
    if (target == null || !target.scheme().equals(base.scheme()) || !target.host().equalsIgnoreCase(base.host())
        || target.port() != base.port()) {
      LOG.warn("Ignoring a GitHub Link rel=\"next\" that leaves the API's host {}", base.host());
      return null;
    }
    return target;
  }

  @Override
  public String headCommit(Secret token, String owner, String repo, String branch) {
    List<String> segments = new ArrayList<>(List.of("repos", GitHubNames.name(owner, "owner"),
        GitHubNames.name(repo, "repository"), "git", "ref", "heads"));
    segments.addAll(GitHubNames.branch(branch));
    String what = "GET /repos/" + owner + "/" + repo + "/git/ref/heads/" + branch;
    JsonNode ref = expect(send(get(url(segments.toArray(String[]::new)), token), token, what), what, 200).json();
    return GitHubNames.sha(requiredText(ref.path("object"), "sha", what), "the branch head");
  }

  @Override
  public GitTree tree(Secret token, String owner, String repo, String commitOrTreeSha) {
    HttpUrl url = repoUrl(owner, repo, "git", "trees", GitHubNames.sha(commitOrTreeSha, "the tree")).newBuilder()
        .addQueryParameter("recursive", "1")
        .build();
    String what = "GET /repos/" + owner + "/" + repo + "/git/trees/" + commitOrTreeSha;
    JsonNode tree = expect(send(get(url, token), token, what), what, 200).json();
    List<GitTree.Entry> entries = new ArrayList<>();
    for (JsonNode entry : array(tree.path("tree"), what)) {
      entries.add(new GitTree.Entry(requiredText(entry, "path", what), requiredText(entry, "mode", what),
          requiredText(entry, "type", what), requiredText(entry, "sha", what)));
    }
    return new GitTree(requiredText(tree, "sha", what), tree.path("truncated").asBoolean(false), entries);
  }

  @Override
  public String createBlob(Secret token, String owner, String repo, byte[] content) {
    Objects.requireNonNull(content, "content");
    ObjectNode body = JSON.createObjectNode()
        .put("content", Base64.getEncoder().encodeToString(content))
        .put("encoding", "base64");
    String what = "POST /repos/" + owner + "/" + repo + "/git/blobs";
    return created(post(repoUrl(owner, repo, "git", "blobs"), token, body), token, what);
  }

  @Override
  public String createTree(Secret token, String owner, String repo, String baseTree, List<NewTreeEntry> entries) {
    Objects.requireNonNull(entries, "entries");
    ObjectNode body = JSON.createObjectNode();
    if (baseTree != null) {
      body.put("base_tree", GitHubNames.sha(baseTree, "the base tree"));
    }
    ArrayNode tree = body.putArray("tree");
    for (NewTreeEntry entry : entries) {
      ObjectNode node = tree.addObject().put("path", entry.path()).put("mode", "100644").put("type", "blob");
      if (entry.content() != null) {
        node.put("content", entry.content());
      } else {
        node.put("sha", GitHubNames.sha(entry.blobSha(), entry.path()));
      }
    }
    String what = "POST /repos/" + owner + "/" + repo + "/git/trees";
    return created(post(repoUrl(owner, repo, "git", "trees"), token, body), token, what);
  }

  @Override
  public String createCommit(Secret token, String owner, String repo, String message, String treeSha,
      String parentSha) {
    Objects.requireNonNull(message, "message");
    ObjectNode body = JSON.createObjectNode()
        .put("message", message)
        .put("tree", GitHubNames.sha(treeSha, "the commit's tree"));
    ArrayNode parents = body.putArray("parents");
    if (parentSha != null) {
      parents.add(GitHubNames.sha(parentSha, "the parent commit"));
    }
    String what = "POST /repos/" + owner + "/" + repo + "/git/commits";
    return created(post(repoUrl(owner, repo, "git", "commits"), token, body), token, what);
  }

  @Override
  public boolean updateRef(Secret token, String owner, String repo, String branch, String commitSha) {
    List<String> segments = new ArrayList<>(List.of("repos", GitHubNames.name(owner, "owner"),
        GitHubNames.name(repo, "repository"), "git", "refs", "heads"));
    segments.addAll(GitHubNames.branch(branch));
    ObjectNode body = JSON.createObjectNode()
        .put("sha", GitHubNames.sha(commitSha, "the new head"))
        .put("force", false);
    String what = "PATCH /repos/" + owner + "/" + repo + "/git/refs/heads/" + branch;
    Request request = request(url(segments.toArray(String[]::new)))
        .header("Authorization", "Bearer " + token.reveal())
        .patch(json(body))
        .build();
    Reply reply = send(request, token, what);
    if (reply.status() == 422) {
      LOG.debug("GitHub refused {} as not a fast forward: {}", what, reply.message());
      return false;
    }
    expect(reply, what, 200);
    return true;
  }

  // ------------------------------------------------------------------------------------------------ plumbing

  /**
   * An answer, read completely.
   *
   * @param bucket the rate-limit bucket it was sent under
   * @param json the body as JSON, or {@code null} when it is not JSON
   */
  private record Reply(String bucket, int status, Headers headers, JsonNode json) {
    static Reply of(String bucket, int status, Headers headers, byte[] body) {
      JsonNode json;
      try {
        json = body.length == 0 ? null : JSON.readTree(body);
      } catch (IOException e) {
        json = null;
      }
      return new Reply(bucket, status, headers, json);
    }

    /** @return GitHub's {@code message}, made safe for an exception message, or {@code ""} */
    String message() {
      JsonNode message = json == null ? null : json.get("message");
      return message != null && message.isTextual() ? SafeText.line(message.asText(), 200) : "";
    }
  }

  private HttpUrl url(String... segments) {
    HttpUrl.Builder url = base.newBuilder();
    for (String segment : segments) {
      url.addPathSegment(segment);
    }
    return url.build();
  }

  private HttpUrl repoUrl(String owner, String repo, String... rest) {
    List<String> segments = new ArrayList<>(List.of("repos", GitHubNames.name(owner, "owner"),
        GitHubNames.name(repo, "repository")));
    segments.addAll(List.of(rest));
    return url(segments.toArray(String[]::new));
  }

  private static Request.Builder request(HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", API_VERSION)
        .header("User-Agent", USER_AGENT);
  }

  private static Request get(HttpUrl url, Secret token) {
    return request(url).header("Authorization", "Bearer " + token.reveal()).get().build();
  }

  private static Request post(HttpUrl url, Secret token, ObjectNode body) {
    return request(url).header("Authorization", "Bearer " + token.reveal()).post(json(body)).build();
  }

  private static RequestBody json(ObjectNode body) {
    try {
      return RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private Reply send(Request request, Secret token, String what) {
    Objects.requireNonNull(token, "token");
    return send(request, RateLimitGate.bucketOf(token.reveal()), what);
  }

  private Reply send(Request request, String bucket, String what) {
    limits.check(bucket);
    try (Response response = http.newCall(request).execute()) {
      limits.observe(bucket, response.headers());
      return Reply.of(bucket, response.code(), response.headers(),
          BoundedBodies.bytes(response.body(), MAX_BODY_BYTES));
    } catch (BoundedBodies.TooLargeException e) {
      throw new UnavailableException("GitHub's answer to " + what + " is larger than " + MAX_BODY_BYTES
          + " bytes", null);
    } catch (InterruptedIOException e) {
      throw new UnavailableException("GitHub did not answer " + what + " in time", e);
    } catch (IOException e) {
      throw new UnavailableException("GitHub could not be reached for " + what + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  private String created(Request request, Secret token, String what) {
    Reply reply = expect(send(request, token, what), what, 201);
    return GitHubNames.sha(requiredText(reply.json(), "sha", what), "the created object");
  }

  /** @return the reply when its status is {@code expected} (and its body JSON), else throws the mapped failure */
  private Reply expect(Reply reply, String what, int expected) {
    if (reply.status() != expected) {
      throw failure(reply, what);
    }
    if (reply.json() == null) {
      throw new UnavailableException("GitHub's answer to " + what + " is not JSON", null);
    }
    return reply;
  }

  private RuntimeException failure(Reply reply, String what) {
    int status = reply.status();
    String message = reply.message();
    if (status == 403 || status == 429) {
      Optional<Duration> wait = limits.refused(reply.bucket(), status, reply.headers(), message);
      if (wait.isPresent()) {
        return new RateLimitedException("GitHub's rate limit was reached on " + what, wait.get());
      }
    }
    if (status == 401) {
      return new OAuthGrantException("bad_credentials");
    }
    if (status == 404) {
      return new NotFoundException("GitHub has no " + what.substring(what.indexOf(' ') + 1)
          + " for this account");
    }
    if (status >= 500) {
      return new UnavailableException("GitHub failed on " + what + " (HTTP " + status + ")", null);
    }
    return new UnavailableException("GitHub refused " + what + " (HTTP " + status
        + (message.isEmpty() ? "" : ": " + message) + ")", null);
  }

  private static Iterable<JsonNode> array(JsonNode node, String what) {
    if (node == null || !node.isArray()) {
      throw new UnavailableException("GitHub's answer to " + what + " is not the expected list", null);
    }
    return node;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
  }

  private static String requiredText(JsonNode node, String field, String what) {
    String value = text(node, field);
    if (value == null || value.isEmpty()) {
      throw new UnavailableException("GitHub's answer to " + what + " has no " + field, null);
    }
    return value;
  }

  private static long requiredLong(JsonNode node, String field, String what) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new UnavailableException("GitHub's answer to " + what + " has no numeric " + field, null);
    }
    return value.asLong();
  }
}
