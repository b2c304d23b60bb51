package com.nexflux.integrations.core.github;

/**
 * A repository the user can push to.
 *
 * @param id GitHub's repository id
 * @param name the name
 * @param fullName {@code owner/name}
 * @param owner the owner's login
 * @param isPrivate whether it is private
 * @param defaultBranch the default branch (sync target)
 */
public record GitHubRepository(long id, String name, String fullName, String owner, boolean isPrivate,
    String defaultBranch) {}
