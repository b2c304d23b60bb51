package com.nexflux.integrations.http.internal;

import static com.nexflux.integrations.http.internal.ApiPaths.AUDIT;
import static com.nexflux.integrations.http.internal.ApiPaths.AUTH_GITHUB_CALLBACK;
import static com.nexflux.integrations.http.internal.ApiPaths.AUTH_GITHUB_CONNECT;
import static com.nexflux.integrations.http.internal.ApiPaths.GITHUB;
import static com.nexflux.integrations.http.internal.ApiPaths.GITHUB_SYNC;
import static com.nexflux.integrations.http.internal.ApiPaths.GITHUB_SYNCS;
import static com.nexflux.integrations.http.internal.ApiPaths.GITHUB_SYNC_JOB;
import static com.nexflux.integrations.http.internal.ApiPaths.HEALTH_LIVE;
import static com.nexflux.integrations.http.internal.ApiPaths.HEALTH_READY;
import static com.nexflux.integrations.http.internal.ApiPaths.INTEGRATIONS;
import static com.nexflux.integrations.http.internal.ApiPaths.INTERNAL_PROJECT_CHANGED;
import static com.nexflux.integrations.http.internal.ApiPaths.MQTT;
import static com.nexflux.integrations.http.internal.ApiPaths.MQTT_TEST;
import static com.nexflux.integrations.http.internal.ApiPaths.OPENAPI;

import com.nexflux.integrations.core.error.IntegrationsException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.util.Objects;

/**
 * Declares our routes, before-handlers and exception mapping on a Javalin 7 configuration ({@code config.routes}).
 * Handlers are instance methods closing over the use cases; every one is wrapped by {@link #guard} so an unexpected
 * exception reaches our mapper as {@link InternalFailure}, never a host's mapper.
 */
public final class ApiRoutes {
  private final MqttHandlers mqtt;
  private final AccountHandlers accounts;
  private final SystemHandlers system;
  private final GitHubHandlers github;
  private final OAuthHandlers oauth;
  private final InternalHandlers internal;
  private final BearerAuthentication auth;
  private final ErrorResponses errors;

  public ApiRoutes(MqttHandlers mqtt, AccountHandlers accounts, SystemHandlers system, GitHubHandlers github,
      OAuthHandlers oauth, InternalHandlers internal, BearerAuthentication auth, ErrorResponses errors) {
    this.mqtt = Objects.requireNonNull(mqtt);
    this.accounts = Objects.requireNonNull(accounts);
    this.system = Objects.requireNonNull(system);
    this.github = Objects.requireNonNull(github);
    this.oauth = Objects.requireNonNull(oauth);
    this.internal = Objects.requireNonNull(internal);
    this.auth = Objects.requireNonNull(auth);
    this.errors = Objects.requireNonNull(errors);
  }

  /**
   * Registers everything that belongs to us, scoped to our own paths so a host's other routes are untouched: the
   * user routes under {@code /api/v1/users/me/integrations} are authenticated by a before-handler; the OAuth routes
   * ({@code /api/v1/auth/github/connect|callback}, browser navigations that authenticate themselves or not at all)
   * and {@code /internal/v1/projects/changed} (a service token) are not. Exact paths, never {@code /api/v1/auth/*},
   * so a host's own auth routes get none of our handlers.
   *
   * @throws IllegalArgumentException (from Javalin) when the host already has one of our routes
   */
  public void mount(JavalinConfig config) {
    Handler begin = guard(RequestScope::begin);
    Handler noStore = guard(RequestScope::noStore);
    Handler authenticate = guard(auth::authenticate);
    for (String path : new String[] {INTEGRATIONS, INTEGRATIONS + "/*", HEALTH_LIVE, HEALTH_READY, OPENAPI,
        AUTH_GITHUB_CONNECT, AUTH_GITHUB_CALLBACK, INTERNAL_PROJECT_CHANGED}) {
      config.routes.before(path, begin);
    }
    for (String path : new String[] {INTEGRATIONS, INTEGRATIONS + "/*"}) {
      config.routes.before(path, noStore);
      config.routes.before(path, authenticate);
    }
    oauthAndInternalHeaders(config, noStore);
    routes(config);
    errors.registerScoped(config);
  }

  private static void oauthAndInternalHeaders(JavalinConfig config, Handler noStore) {
    Handler oauthHeaders = guard(OAuthHandlers::headers);
    for (String path : new String[] {AUTH_GITHUB_CONNECT, AUTH_GITHUB_CALLBACK}) {
      config.routes.before(path, oauthHeaders);
    }
    config.routes.before(INTERNAL_PROJECT_CHANGED, noStore);
  }

  /** The routes themselves, without before-handlers. */
  private void routes(JavalinConfig config) {
    config.routes.get(INTEGRATIONS, guard(accounts::overview));
    config.routes.get(AUDIT, guard(accounts::audit));
    config.routes.get(MQTT, guard(mqtt::get));
    config.routes.put(MQTT, guard(mqtt::put));
    config.routes.delete(MQTT, guard(mqtt::delete));
    config.routes.post(MQTT_TEST, guard(mqtt::test));
    config.routes.get(GITHUB, guard(github::get));
    config.routes.put(GITHUB, guard(github::put));
    config.routes.delete(GITHUB, guard(github::delete));
    config.routes.post(GITHUB_SYNC, guard(github::sync));
    config.routes.get(GITHUB_SYNCS, guard(github::jobs));
    config.routes.get(GITHUB_SYNC_JOB, guard(github::job));
    config.routes.get(AUTH_GITHUB_CONNECT, guard(oauth::connect));
    config.routes.get(AUTH_GITHUB_CALLBACK, guard(oauth::callback));
    config.routes.post(INTERNAL_PROJECT_CHANGED, guard(internal::projectChanged));
    config.routes.get(HEALTH_LIVE, guard(system::live));
    config.routes.get(HEALTH_READY, guard(system::ready));
    config.routes.get(OPENAPI, guard(system::openApi));
  }

  /**
   * The extras of a server we own: request id and size check on every path (404s included), {@code no-store} on
   * all of {@code /api/*}, authentication on all of {@code /api/v1/users/me/*}, and mapping of every failure.
   */
  public void standalone(JavalinConfig config) {
    Handler noStore = guard(RequestScope::noStore);
    config.routes.before(guard(RequestScope::begin));
    config.routes.before("/api/*", noStore);
    config.routes.before(ApiPaths.USER_ROOT + "/*", guard(auth::authenticate));
    oauthAndInternalHeaders(config, noStore);
    routes(config);
    errors.registerScoped(config);
    errors.registerStandalone(config);
  }

  /** Lets our own exceptions and Javalin's control-flow responses through; wraps everything else. */
  static Handler guard(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (IntegrationsException | HttpResponseException e) {
        throw e;
      } catch (Exception e) {
        throw InternalFailure.translate(e);
      }
    };
  }
}
