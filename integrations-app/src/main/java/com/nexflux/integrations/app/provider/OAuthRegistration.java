package com.nexflux.integrations.app.provider;

import com.nexflux.integrations.core.oauth.ConnectedAccounts;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.Revocation;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider gives the OAuth engine: its OAuth client configuration, how to find the account behind a freshly
 * issued token, the non-secret settings a new connection starts with, and how its grant is revoked on disconnect.
 *
 * @param config the OAuth client configuration (endpoints, client id and secret, scopes)
 * @param accounts resolves the provider account of an access token this provider issued; {@code null} for an OpenID
 *     Connect provider (the verified {@code id_token}'s {@code sub} is the account)
 * @param initialConfig the {@code config} a new connection starts with (JSON-compatible values)
 * @param revocation how a disconnect revokes the grant upstream (RFC 7009, GitHub's grant API, or none)
 */
public record OAuthRegistration(OAuthProviderConfig config, ConnectedAccounts accounts,
    Map<String, Object> initialConfig, Revocation revocation) {
  public OAuthRegistration {
    Objects.requireNonNull(config, "config");
    if (accounts == null && !config.isOidc()) {
      throw new NullPointerException("accounts (only an OIDC provider, whose id_token names the account, may omit it)");
    }
    initialConfig = Map.copyOf(initialConfig);
    Objects.requireNonNull(revocation, "revocation");
  }

  /** A registration without upstream revocation ({@link Revocation#NONE}: a disconnect only deletes). */
  public OAuthRegistration(OAuthProviderConfig config, ConnectedAccounts accounts,
      Map<String, Object> initialConfig) {
    this(config, accounts, initialConfig, Revocation.NONE);
  }
}
