package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Finds out which provider account a freshly issued access token belongs to. The composition root implements it
 * per provider (GitHub: {@code GET /user}). Failures are {@link com.nexflux.integrations.core.error.IntegrationsException}s
 * ({@link com.nexflux.integrations.core.error.UnavailableException} or
 * {@link com.nexflux.integrations.core.error.RateLimitedException} for transient ones); messages carry no token.
 */
@FunctionalInterface
public interface ConnectedAccounts {
  /**
   * @param provider the provider that issued the token
   * @param accessToken the access token just obtained
   * @return the account behind the token
   */
  Account resolve(Provider provider, Secret accessToken);

  /**
   * A provider account.
   *
   * @param accountId the provider's stable account id (GitHub's numeric user id, as text)
   * @param login the account's login or display name
   * @param profile non-secret profile facts stored into {@code OAuthConnection.config} (e.g. {@code username},
   *     {@code avatar_url}, {@code email}); JSON-compatible values, {@code null} values are not stored
   */
  record Account(String accountId, String login, Map<String, Object> profile) {
    public Account {
      Objects.requireNonNull(accountId, "accountId");
      if (accountId.isBlank()) {
        throw new IllegalArgumentException("accountId must not be blank");
      }
      Objects.requireNonNull(login, "login");
      profile = profile == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(profile));
    }
  }
}
