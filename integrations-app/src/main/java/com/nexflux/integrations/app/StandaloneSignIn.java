package com.nexflux.integrations.app;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.SignInCompletion;
import com.nexflux.integrations.http.JwtAuthenticator;
import java.net.URI;
import java.time.Duration;

/**
 * The standalone server's "sign in with a provider": a session JWT signed with {@code AUTH_JWT_SECRET} (so the
 * API's own authentication accepts it), handed to the frontend in the URL fragment ({@code #token=...}), which
 * browsers do not send to servers or put in {@code Referer}.
 */
final class StandaloneSignIn implements SignInCompletion {
  static final Duration SESSION = Duration.ofHours(12);
  private final byte[] secret;
  private final String issuer;
  private final String audience;
  private final URI frontendUrl;

  StandaloneSignIn(byte[] secret, String issuer, String audience, URI frontendUrl) {
    this.secret = secret.clone();
    this.issuer = issuer;
    this.audience = audience;
    this.frontendUrl = frontendUrl;
  }

  @Override
  public URI complete(UserId userId, Provider provider, String login, boolean newUser) {
    return complete(userId, provider, login, newUser, frontendUrl);
  }

  /** The session token goes in the fragment of the flow's target ({@code FRONTEND_URL} or its return path). */
  @Override
  public URI complete(UserId userId, Provider provider, String login, boolean newUser, URI target) {
    String token = JwtAuthenticator.issueHs256(secret, userId, issuer, audience, SESSION);
    String base = target.toString();
    int hash = base.indexOf('#');
    if (hash >= 0) {
      base = base.substring(0, hash);
    }
    return URI.create(base + "#token=" + token);
  }
}
