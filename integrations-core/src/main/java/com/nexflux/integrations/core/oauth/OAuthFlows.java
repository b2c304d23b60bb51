package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Starts and completes OAuth authorization flows (API). */
public interface OAuthFlows {
  /**
   * Starts a flow: a link flow for {@code linkingUser}, or a sign-in flow when empty.
   *
   * @param secureCookie whether the server is reached over HTTPS (the cookie then gets {@code __Host-} and
   *     {@code Secure})
   * @throws com.nexflux.integrations.core.error.NotConfiguredException when the provider has no credentials here
   */
  StartedFlow start(Provider provider, Optional<UserId> linkingUser, boolean secureCookie, RequestContext context);

  /**
   * Completes a flow at the callback. Never throws for a bad or refused flow: it records the failure in the audit
   * log and answers the redirect to the frontend with {@code status=error&code=...}.
   *
   * @param cookieValue the flow cookie the browser sent, or {@code null}
   * @return where to send the browser: {@code FRONTEND_URL?integration=<provider>&status=connected} (link), the
   *     sign-in completion's URI (sign-in), or {@code FRONTEND_URL?integration=<provider>&status=error&code=...}
   * @throws com.nexflux.integrations.core.error.NotConfiguredException when the provider has no credentials here
   */
  URI complete(Provider provider, Callback callback, String cookieValue, RequestContext context);

  /**
   * What the provider sent to the callback.
   *
   * @param state the state parameter, or null
   * @param code the authorization code, or null
   * @param error the provider's error (e.g. {@code access_denied}), or null
   */
  record Callback(String state, String code, String error) {}

  /**
   * A started flow.
   *
   * @param authorizationUrl where to send the browser
   * @param cookieName the flow cookie's name
   * @param cookieValue the flow cookie's value (random; only its hash is stored)
   * @param cookieMaxAge the cookie's lifetime (the flow's)
   * @param secureCookie whether to set it {@code Secure}
   */
  record StartedFlow(URI authorizationUrl, String cookieName, String cookieValue, Duration cookieMaxAge,
      boolean secureCookie) {}

  /** @return the flow cookie's name for a provider */
  static String cookieName(Provider provider, boolean secure) {
    return (secure ? "__Host-" : "") + "nexflux_oauth_" + provider.key();
  }
}
