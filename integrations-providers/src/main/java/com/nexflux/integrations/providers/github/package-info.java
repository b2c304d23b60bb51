/**
 * The GitHub adapter: {@link com.nexflux.integrations.providers.github.OkHttpGitHubApi}, the core's
 * {@link com.nexflux.integrations.core.github.GitHubApi} on OkHttp and Jackson (REST API version 2022-11-28:
 * the user, their repositories, grant revocation and the Git Data API for one-commit syncs).
 */
package com.nexflux.integrations.providers.github;
