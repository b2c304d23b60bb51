package com.nexflux.integrations.core.github;

/**
 * The GitHub account behind a token.
 *
 * @param id GitHub's numeric user id (stable across renames)
 * @param login the login
 * @param avatarUrl the avatar URL, or {@code null}
 * @param email the primary verified email, or {@code null}
 */
public record GitHubAccount(long id, String login, String avatarUrl, String email) {}
