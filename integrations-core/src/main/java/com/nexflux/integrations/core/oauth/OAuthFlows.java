package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
  default StartedFlow start(Provider provider, Optional<UserId> linkingUser, boolean secureCookie,
      RequestContext context) {
    return start(provider, linkingUser, linkingUser.isPresent() ? StartOptions.LINK : StartOptions.SIGN_IN,
        secureCookie, context);
  }

  /**
   * Starts a flow with explicit options: {@link FlowPurpose#SIGN_IN} starts a sign-in (any linking user is not
   * used), {@link FlowPurpose#LINK} a link flow for {@code linkingUser}, which is then required.
   *
   * @throws com.nexflux.integrations.core.error.UnauthorizedException for a link flow without a user
   * @throws com.nexflux.integrations.core.error.NotConfiguredException when the provider has no credentials here,
   *     or sign-in with it is not offered
   * @throws com.nexflux.integrations.core.error.ValidationException for a bad {@code return_to} or added scope
   * @throws com.nexflux.integrations.core.error.RateLimitedException when too many sign-ins started from the
   *     caller's address
   */
  StartedFlow start(Provider provider, Optional<UserId> linkingUser, StartOptions options, boolean secureCookie,
      RequestContext context);

  /** @return whether {@code provider} has OAuth credentials on this server */
  default boolean isConfigured(Provider provider) {
    return true;
  }

  /** @return whether a login page may offer "sign in with {@code provider}" here */
  default boolean offersSignIn(Provider provider) {
    return false;
  }

  /**
   * How a flow is started.
   *
   * @param purpose link or sign-in
   * @param returnTo a relative path ({@code /settings/integrations?tab=x}) that the callback appends to the origin of
   *     {@code FRONTEND_URL}, or {@code null} for {@code FRONTEND_URL} itself
   * @param addScopes scopes a link flow adds to the user's existing connection (a scope upgrade); empty otherwise
   */
  record StartOptions(FlowPurpose purpose, String returnTo, List<String> addScopes) {
    public static final StartOptions LINK = new StartOptions(FlowPurpose.LINK, null, List.of());
    public static final StartOptions SIGN_IN = new StartOptions(FlowPurpose.SIGN_IN, null, List.of());

    public StartOptions {
      Objects.requireNonNull(purpose, "purpose");
      addScopes = addScopes == null ? List.of() : List.copyOf(addScopes);
    }
  }

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
   * @param issuer the RFC 9207 {@code iss} parameter, or null when the provider sent none
   */
  record Callback(String state, String code, String error, String issuer) {
    /** A callback without {@code iss}. */
    public Callback(String state, String code, String error) {
      this(state, code, error, null);
    }
  }

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
