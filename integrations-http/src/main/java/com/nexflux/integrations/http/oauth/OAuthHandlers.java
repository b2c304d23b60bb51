package com.nexflux.integrations.http.oauth;

import com.nexflux.integrations.http.internal.BearerAuthentication;
import com.nexflux.integrations.http.internal.CookieSecurity;
import com.nexflux.integrations.http.internal.JsonResponses;
import com.nexflux.integrations.http.internal.RequestScope;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.oauth.FlowPurpose;
import com.nexflux.integrations.core.oauth.OAuthFlows;
import io.javalin.http.Context;
import jakarta.servlet.http.Cookie;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/auth/{slug}/connect} and {@code GET /api/v1/auth/{slug}/callback} of one OAuth provider.
 *
 * <p>The callback is a plain browser navigation from GitHub and carries no bearer token, so the flow is bound to the
 * browser by a cookie set at {@code connect} (HttpOnly, SameSite=Lax, Path=/; {@code __Host-} name and Secure when
 * {@link CookieSecurity} says the browser talks HTTPS). The callback hands the cookie, state, code and error to
 * {@link OAuthFlows#complete} and redirects exactly where it says; nothing in the request chooses the target.
 */
public final class OAuthHandlers {
  /** {@code Referrer-Policy} of both routes: the callback URL carries the code and state. */
  public static final String REFERRER_POLICY = "no-referrer";

  private static final Pattern COOKIE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9._~-]{1,1024}");

  private final Provider provider;
  private final String displayName;
  private final OAuthFlows flows;
  private final BearerAuthentication auth;
  private final JsonResponses json;
  private final CookieSecurity cookies;

  /** @param flows the OAuth flows, or {@code null} when OAuth is not configured on this server */
  public OAuthHandlers(Provider provider, String displayName, OAuthFlows flows, BearerAuthentication auth,
      JsonResponses json, CookieSecurity cookies) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.displayName = Objects.requireNonNull(displayName, "displayName");
    this.flows = flows;
    this.auth = Objects.requireNonNull(auth, "auth");
    this.json = Objects.requireNonNull(json, "json");
    this.cookies = Objects.requireNonNull(cookies, "cookies");
  }

  /** Before-handler of both routes: never cached, never leaked through {@code Referer}. */
  public static void headers(Context ctx) {
    RequestScope.noStore(ctx);
    ctx.header("Referrer-Policy", REFERRER_POLICY);
  }

  /**
   * Starts a LINK flow for the bearer token's user, or a SIGN_IN flow with {@code intent=sign_in}. Without a bearer
   * token and without that intent the answer is 401, never a silent sign-in; an {@code Authorization} header that is
   * not a valid bearer token is 401 either way. {@code return_to} (a relative path) and {@code scope} (scopes a link
   * flow adds, space-separated) go to the core, which checks them. Sets the flow cookie and answers 302 to the
   * provider, or 200 {@code {"authorization_url": …}} when the client accepts {@code application/json}.
   */
  public void connect(Context ctx) {
    headers(ctx);
    Optional<UserId> user = auth.optionalUser(ctx);
    FlowPurpose purpose = intent(ctx);
    if (purpose == FlowPurpose.LINK && user.isEmpty()) {
      ctx.header("WWW-Authenticate", BearerAuthentication.CHALLENGE_MISSING);
      throw new UnauthorizedException("connecting needs a bearer token; to sign in, pass intent=sign_in");
    }
    OAuthFlows flows = flows();
    boolean secure = cookies.secure(ctx);
    String scope = optionalSingle(ctx, "scope");
    List<String> addScopes = scope == null ? List.of()
        : Arrays.stream(scope.strip().split(" +")).filter(v -> !v.isEmpty()).toList();
    OAuthFlows.StartOptions options = new OAuthFlows.StartOptions(purpose, optionalSingle(ctx, "return_to"),
        addScopes);
    OAuthFlows.StartedFlow flow = Objects.requireNonNull(
        flows.start(provider, user, options, secure, RequestScope.context(ctx)), "the started flow");
    URI url = Objects.requireNonNull(flow.authorizationUrl(), "the authorization URL");
    ctx.res().addHeader("Set-Cookie", setCookie(flow.cookieName(), flow.cookieValue(), flow.cookieMaxAge(),
        flow.secureCookie()));
    if (acceptsJson(ctx.header("Accept"))) {
      json.ok(ctx, new OAuthResponses.Authorization(url.toASCIIString()));
    } else {
      ctx.status(302).header("Location", url.toASCIIString());
    }
  }

  /**
   * Completes the flow: the cookie ({@code __Host-} name first; the plain name only on a request that is not
   * secure), {@code state}, {@code code}, {@code error} and the RFC 9207 {@code iss} go to {@link OAuthFlows#complete};
   * the cookie is cleared;
   * the answer is a 302 to the URI it returned. Any other query parameter ({@code redirect_uri}, {@code return_to}…)
   * is ignored.
   */
  public void callback(Context ctx) {
    headers(ctx);
    OAuthFlows flows = flows();
    boolean secure = cookies.secure(ctx);
    String cookie = flowCookie(ctx, secure);
    // cleared before completing: the flow is single use whatever the outcome, errors included
    ctx.res().addHeader("Set-Cookie", clearCookie(OAuthFlows.cookieName(provider, true), true));
    ctx.res().addHeader("Set-Cookie", clearCookie(OAuthFlows.cookieName(provider, false), secure));
    OAuthFlows.Callback callback = new OAuthFlows.Callback(single(ctx, "state"), single(ctx, "code"),
        error(ctx), single(ctx, "iss"));
    URI target = Objects.requireNonNull(flows.complete(provider, callback, cookie, RequestScope.context(ctx)),
        "the callback's redirect");
    ctx.status(302).header("Location", target.toASCIIString());
  }

  /** {@code intent}: absent or {@code link} is a link flow, {@code sign_in} a sign-in; anything else is a 400. */
  private static FlowPurpose intent(Context ctx) {
    String intent = optionalSingle(ctx, "intent");
    if (intent == null || intent.equals("link")) {
      return FlowPurpose.LINK;
    }
    if (intent.equals("sign_in")) {
      return FlowPurpose.SIGN_IN;
    }
    throw ValidationException.of("intent", "must be sign_in or link");
  }

  /** A query parameter sent at most once (empty counts as absent); twice is a 400 naming it. */
  private static String optionalSingle(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.size() > 1) {
      throw ValidationException.of(name, "must be sent at most once");
    }
    return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  private OAuthFlows flows() {
    if (flows == null) {
      throw new NotConfiguredException(displayName + " sign-in and connect are not configured on this server");
    }
    return flows;
  }

  /** The {@code __Host-} cookie when present, else (only when the request is not secure) the plain one. */
  private String flowCookie(Context ctx, boolean secure) {
    String hostCookie = cookie(ctx, OAuthFlows.cookieName(provider, true));
    if (hostCookie != null || secure) {
      return hostCookie;
    }
    return cookie(ctx, OAuthFlows.cookieName(provider, false));
  }

  /** @return the cookie's value, or {@code null} when absent or sent more than once with different values */
  private static String cookie(Context ctx, String name) {
    Cookie[] all = ctx.req().getCookies();
    if (all == null) {
      return null;
    }
    String found = null;
    for (Cookie c : all) {
      if (name.equals(c.getName())) {
        if (found != null && !found.equals(c.getValue())) {
          return null;
        }
        found = c.getValue();
      }
    }
    return found == null || found.isEmpty() ? null : found;
  }

  /** A query parameter sent exactly once and not empty, else {@code null}. */
  private static String single(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.size() != 1 || values.get(0).isEmpty()) {
      return null;
    }
    return values.get(0);
  }

  /** The provider's {@code error}: any non-empty value counts, the first one wins. */
  private static String error(Context ctx) {
    return ctx.queryParams("error").stream().filter(v -> !v.isEmpty()).findFirst().orElse(null);
  }

  static String setCookie(String name, String value, Duration maxAge, boolean secure) {
    if (name == null || !COOKIE_NAME.matcher(name).matches() || value == null
        || !COOKIE_VALUE.matcher(value).matches()) {
      throw new IllegalStateException("the flow cookie's name or value is not a safe cookie token");
    }
    if (name.startsWith("__Host-") && !secure) {
      throw new IllegalStateException("a __Host- cookie must be Secure");
    }
    long seconds = maxAge == null ? 0 : Math.max(0, maxAge.getSeconds());
    return name + "=" + value + "; Max-Age=" + seconds + "; Path=/" + (secure ? "; Secure" : "")
        + "; HttpOnly; SameSite=Lax";
  }

  static String clearCookie(String name, boolean secure) {
    return name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/" + (secure ? "; Secure" : "")
        + "; HttpOnly; SameSite=Lax";
  }

  /** @return whether {@code Accept} lists {@code application/json} (with a non-zero {@code q}) */
  static boolean acceptsJson(String accept) {
    if (accept == null) {
      return false;
    }
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(JsonResponses.JSON)) {
        continue;
      }
      boolean refused = false;
      for (int i = 1; i < parts.length; i++) {
        String param = parts[i].strip().toLowerCase(Locale.ROOT);
        if (param.startsWith("q=")) {
          try {
            refused = Double.parseDouble(param.substring(2).strip()) <= 0;
          } catch (NumberFormatException e) {
            refused = true;
          }
        }
      }
      if (!refused) {
        return true;
      }
    }
    return false;
  }
}
