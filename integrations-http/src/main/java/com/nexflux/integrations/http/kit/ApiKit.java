package com.nexflux.integrations.http.kit;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.http.internal.BearerAuthentication;
import com.nexflux.integrations.http.internal.CookieSecurity;
import com.nexflux.integrations.http.internal.JsonResponses;
import com.nexflux.integrations.http.internal.RequestBodies;
import com.nexflux.integrations.http.internal.RequestScope;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;

/**
 * The small shared kit route modules are written with: the caller, the request's audit context, bodies and the
 * envelope. One per {@link com.nexflux.integrations.http.IntegrationsApi}; thread-safe.
 */
public final class ApiKit {
  /** The user routes' root. */
  public static final String USER_ROOT = "/api/v1/users/me";
  /** The integrations' root; a provider's routes live under {@code INTEGRATIONS + "/" + slug}. */
  public static final String INTEGRATIONS = USER_ROOT + "/integrations";
  /** The OAuth and sign-in routes' root. */
  public static final String AUTH = "/api/v1/auth";

  private final BearerAuthentication auth;
  private final RequestBodies bodies;
  private final JsonResponses json;
  private final CookieSecurity cookies;
  private final String internalApiToken;

  /** Built by {@link com.nexflux.integrations.http.IntegrationsApi}; not for other callers. */
  public ApiKit(BearerAuthentication auth, RequestBodies bodies, JsonResponses json, CookieSecurity cookies,
      String internalApiToken) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.json = Objects.requireNonNull(json, "json");
    this.cookies = Objects.requireNonNull(cookies, "cookies");
    this.internalApiToken = internalApiToken;
  }

  /** @return the authenticated caller of a {@code /api/v1/users/me/...} route */
  public UserId user(Context ctx) {
    return auth.user(ctx);
  }

  /** @return the caller when the request carries a valid bearer token, empty without one (an invalid one is 401) */
  public Optional<UserId> optionalUser(Context ctx) {
    return auth.optionalUser(ctx);
  }

  /** @return the request id, address and user agent for audit rows */
  public RequestContext request(Context ctx) {
    return RequestScope.context(ctx);
  }

  /** Answers 200 with {@code {"success":true,"data":data}}. */
  public void ok(Context ctx, Object data) {
    json.ok(ctx, data);
  }

  /** Answers {@code status} with {@code {"success":true,"data":data}}. */
  public void success(Context ctx, int status, Object data) {
    json.success(ctx, status, data);
  }

  /** @return the request body readers (64 KiB limit, strict JSON) */
  public RequestBodies bodies() {
    return bodies;
  }

  /** @return the envelope writer */
  public JsonResponses json() {
    return json;
  }

  /** @return the authentication of the bearer token */
  public BearerAuthentication authentication() {
    return auth;
  }

  /** @return whether cookies set now must be {@code Secure} */
  public CookieSecurity cookies() {
    return cookies;
  }

  /** @return the service token of {@code /internal/v1/...} routes, or {@code null} when they are disabled */
  public String internalApiToken() {
    return internalApiToken;
  }
}
