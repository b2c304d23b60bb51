package com.nexflux.integrations.core.github;

import com.nexflux.integrations.core.domain.Secret;
import java.util.List;

/**
 * GitHub's REST API (SPI), with the user's access token. Implementations send {@code Accept:
 * application/vnd.github+json} and {@code X-GitHub-Api-Version: 2022-11-28}, and respect GitHub's limits.
 *
 * <p>Failures: {@link com.nexflux.integrations.core.error.RateLimitedException} (403/429 with
 * {@code x-ratelimit-remaining: 0} or {@code Retry-After}: its {@code retryAfter} says when to come back);
 * {@link com.nexflux.integrations.core.oauth.OAuthGrantException} ({@code bad_credentials}) for 401;
 * {@link com.nexflux.integrations.core.error.NotFoundException} for 404;
 * {@link com.nexflux.integrations.core.error.UnavailableException} for 5xx, timeouts, network errors. No token in
 * any message.
 */
public interface GitHubApi {
  /** {@code GET /user} (and {@code GET /user/emails} for the primary verified email when the profile has none). */
  GitHubAccount currentUser(Secret token);

  /** {@code GET /user/repos}, every page (following {@code Link: rel="next"}). */
  List<GitHubRepository> repositories(Secret token);

  /** {@code GET /repos/{owner}/{repo}/git/ref/heads/{branch}}: @return the head commit's SHA */
  String headCommit(Secret token, String owner, String repo, String branch);

  /** {@code GET /repos/{owner}/{repo}/git/trees/{commitOrTreeSha}?recursive=1}. */
  GitTree tree(Secret token, String owner, String repo, String commitOrTreeSha);

  /** {@code POST /repos/{owner}/{repo}/git/blobs} (base64): @return the blob's SHA */
  String createBlob(Secret token, String owner, String repo, byte[] content);

  /** {@code POST /repos/{owner}/{repo}/git/trees} on {@code baseTree}, mode 100644 blobs: @return the tree's SHA */
  String createTree(Secret token, String owner, String repo, String baseTree, List<NewTreeEntry> entries);

  /** {@code POST /repos/{owner}/{repo}/git/commits} with one parent: @return the commit's SHA */
  String createCommit(Secret token, String owner, String repo, String message, String treeSha, String parentSha);

  /**
   * {@code PATCH /repos/{owner}/{repo}/git/refs/heads/{branch}} with {@code force: false}.
   *
   * @return true when updated, false when GitHub refused a non-fast-forward (422)
   */
  boolean updateRef(Secret token, String owner, String repo, String branch, String commitSha);
}
