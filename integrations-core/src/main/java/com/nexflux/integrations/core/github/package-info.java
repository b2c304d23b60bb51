/**
 * The GitHub integration: its domain (accounts, repositories, Git Data API values), its use cases
 * ({@link com.nexflux.integrations.core.github.GitHubIntegrations}, implemented by
 * {@link com.nexflux.integrations.core.github.GitHubIntegrationService}), the one-commit sync runner and the out-port
 * only it needs ({@link com.nexflux.integrations.core.github.GitHubApi}).
 */
package com.nexflux.integrations.core.github;
