/**
 * Implementation details of {@link com.nexflux.integrations.providers.github.OkHttpGitHubApi}: the rate-limit
 * gate, the {@code Link} header parser and the checks on owner, repository, branch and SHA values.
 *
 * <p><strong>Internal:</strong> the classes here are public only so that the adapter's own packages can use them.
 * They are not an API and may change or disappear at any time without notice.
 */
package com.nexflux.integrations.providers.github.internal;
