package com.nexflux.integrations.core.oauth;

import java.net.URI;
import java.util.Objects;

/** How a provider's tokens are revoked upstream when the user disconnects ({@link ConnectionDisconnect}). */
public sealed interface Revocation {
  /** The provider offers no revocation (Microsoft, client credentials, API keys): a disconnect only deletes. */
  Revocation NONE = new NotSupported();

  /** @return the name written to the audit row, e.g. {@code rfc7009} */
  String key();

  /**
   * OAuth 2.0 token revocation (RFC 7009): {@code POST endpoint} with {@code token} and {@code token_type_hint}, the
   * client authenticated like at the token endpoint. The refresh token is revoked when there is one (which ends the
   * whole grant), else the access token.
   *
   * @param endpoint e.g. {@code https://oauth2.googleapis.com/revoke}
   */
  record Rfc7009(URI endpoint) implements Revocation {
    public Rfc7009 {
      Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public String key() {
      return "rfc7009";
    }
  }

  /**
   * GitHub's grant API: {@code DELETE {apiBaseUrl}/applications/{client_id}/grant} with {@code {"access_token"}}
   * and HTTP Basic with the app's client id and secret; it revokes the grant and every token of that user for the
   * app. A 404 or 422 (already gone) counts as revoked.
   *
   * @param apiBaseUrl e.g. {@code https://api.github.com}
   */
  record GitHubGrant(URI apiBaseUrl) implements Revocation {
    public GitHubGrant {
      Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    }

    @Override
    public String key() {
      return "github_grant";
    }
  }

  /** No revocation upstream. */
  record NotSupported() implements Revocation {
    @Override
    public String key() {
      return "none";
    }
  }

  /** Which token a revocation names ({@code token_type_hint}). */
  enum TokenKind {
    ACCESS_TOKEN("access_token"),
    REFRESH_TOKEN("refresh_token");

    private final String hint;

    TokenKind(String hint) {
      this.hint = hint;
    }

    /** @return the RFC 7009 {@code token_type_hint} */
    public String hint() {
      return hint;
    }
  }
}
