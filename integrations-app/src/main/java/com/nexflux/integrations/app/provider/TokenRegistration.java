package com.nexflux.integrations.app.provider;

import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.oauth.PasswordLoginClient;
import java.util.Objects;

/**
 * What a provider that connects without the browser flow gives the token lifecycle: its grant strategy (client
 * credentials with the user's own client, a password login, a static API key) and, for a password login, the client
 * that logs in and renews. The engine ({@link OAuthEngine#tokens()}) then keeps its tokens fresh and disconnects it
 * through the one neutral path. A provider that uses the browser flow registers an {@link OAuthRegistration} instead.
 *
 * @param grant how the provider's tokens are obtained and renewed (not {@link GrantStrategy.AuthorizationCode})
 * @param logins the login client of a {@link GrantStrategy.PasswordLogin}; {@code null} otherwise
 */
public record TokenRegistration(GrantStrategy grant, PasswordLoginClient logins) {
  public TokenRegistration {
    Objects.requireNonNull(grant, "grant");
    if (grant instanceof GrantStrategy.AuthorizationCode) {
      throw new IllegalArgumentException("an authorization code provider registers an OAuthRegistration");
    }
    if ((grant instanceof GrantStrategy.PasswordLogin) != (logins != null)) {
      throw new IllegalArgumentException("a login client goes with a password login strategy, and only with it");
    }
  }

  /** A registration of a strategy that needs no login client. */
  public static TokenRegistration of(GrantStrategy grant) {
    return new TokenRegistration(grant, null);
  }
}
