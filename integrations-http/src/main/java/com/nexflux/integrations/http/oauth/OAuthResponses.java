package com.nexflux.integrations.http.oauth;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code data} shapes of the OAuth routes. */
public final class OAuthResponses {
  private OAuthResponses() {}

  /** {@code GET /api/v1/auth/github/connect} with {@code Accept: application/json}. */
  public record Authorization(@JsonProperty("authorization_url") String authorizationUrl) {}
}
