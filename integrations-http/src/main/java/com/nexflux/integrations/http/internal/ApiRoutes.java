package com.nexflux.integrations.http.internal;

import static com.nexflux.integrations.http.internal.ApiPaths.AUDIT;
import static com.nexflux.integrations.http.internal.ApiPaths.AUTH_ROOT;
import static com.nexflux.integrations.http.internal.ApiPaths.HEALTH_LIVE;
import static com.nexflux.integrations.http.internal.ApiPaths.HEALTH_READY;
import static com.nexflux.integrations.http.internal.ApiPaths.INTEGRATIONS;
import static com.nexflux.integrations.http.internal.ApiPaths.INTERNAL_ROOT;
import static com.nexflux.integrations.http.internal.ApiPaths.OPENAPI;
import static com.nexflux.integrations.http.internal.ApiPaths.USER_ROOT;

import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Declares our routes, before-handlers and exception mapping on a Javalin 7 configuration ({@code config.routes}):
 * the shared routes (overview, audit, health, OpenAPI, sign-in providers, identities) and every route module's
 * routes. Handlers are instance methods closing over the use cases; every one is wrapped by {@link #guard} so an
 * unexpected exception reaches our mapper as {@link InternalFailure}, never a host's mapper.
 */
public final class ApiRoutes {
  /** A declared route. */
  private record Route(HandlerType method, String path, Handler handler) {}

  private final AccountHandlers accounts;
  private final SystemHandlers system;
  private final BearerAuthentication auth;
  private final ErrorResponses errors;
  private final List<Route> routes = new ArrayList<>();
  /** The upload routes' own body limits (method POST), by path pattern. */
  private final List<BodyLimit> bodyLimits = new ArrayList<>();

  private record BodyLimit(java.util.regex.Pattern path, long maxBytes) {}

  public ApiRoutes(AccountHandlers accounts, SystemHandlers system, List<SharedRoute> shared,
      List<RouteModule> modules, ApiKit kit, BearerAuthentication auth, ErrorResponses errors) {
    this.accounts = Objects.requireNonNull(accounts);
    this.system = Objects.requireNonNull(system);
    this.auth = Objects.requireNonNull(auth);
    this.errors = Objects.requireNonNull(errors);
    Registry registry = new Registry();
    registry.add(HandlerType.GET, INTEGRATIONS, accounts::overview);
    registry.add(HandlerType.GET, AUDIT, accounts::audit);
    for (SharedRoute r : shared) {
      registry.add(r.method(), r.path(), r.handler());
    }
    for (RouteModule m : modules) {
      m.register(registry, kit);
    }
    registry.add(HandlerType.GET, HEALTH_LIVE, system::live);
    registry.add(HandlerType.GET, HEALTH_READY, system::ready);
    registry.add(HandlerType.GET, OPENAPI, system::openApi);
  }

  /** A shared route that is not a provider's (declared by {@link com.nexflux.integrations.http.IntegrationsApi}). */
  public record SharedRoute(HandlerType method, String path, Handler handler) {}

  /** Collects routes, checking their paths. */
  private final class Registry implements RouteRegistry {
    @Override
    public void get(String path, Handler handler) {
      module(HandlerType.GET, path, handler);
    }

    @Override
    public void put(String path, Handler handler) {
      module(HandlerType.PUT, path, handler);
    }

    @Override
    public void post(String path, Handler handler) {
      module(HandlerType.POST, path, handler);
    }

    @Override
    public void delete(String path, Handler handler) {
      module(HandlerType.DELETE, path, handler);
    }

    @Override
    public void upload(String path, long maxBodyBytes, Handler handler) {
      if (maxBodyBytes <= RequestScope.MAX_BODY_BYTES) {
        throw new IllegalArgumentException("an upload route's limit is above the shared one: " + maxBodyBytes);
      }
      module(HandlerType.POST, path, handler);
      bodyLimits.add(new BodyLimit(pattern(path), maxBodyBytes));
    }

    private void module(HandlerType method, String path, Handler handler) {
      Objects.requireNonNull(path, "path");
      if (!(path.startsWith(USER_ROOT + "/") || path.startsWith(AUTH_ROOT + "/")
          || path.startsWith(INTERNAL_ROOT + "/"))) {
        throw new IllegalArgumentException("a module route lives under " + USER_ROOT + "/, " + AUTH_ROOT + "/ or "
            + INTERNAL_ROOT + "/: " + path);
      }
      add(method, path, handler);
    }

    void add(HandlerType method, String path, Handler handler) {
      Objects.requireNonNull(handler, "handler");
      for (Route r : routes) {
        if (r.method().equals(method) && r.path().equals(path)) {
          throw new IllegalArgumentException("route declared twice: " + method + " " + path);
        }
      }
      routes.add(new Route(method, path, guard(handler)));
    }
  }

  /** @return a regular expression matching {@code path}, each {@code {param}} one segment */
  private static java.util.regex.Pattern pattern(String path) {
    StringBuilder out = new StringBuilder();
    for (String part : path.split("(?=\\{)|(?<=\\})")) {
      out.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : java.util.regex.Pattern.quote(part));
    }
    return java.util.regex.Pattern.compile(out.toString());
  }

  /** @return the body limit of this request's route: an upload route's own, else the shared 64 KiB */
  long bodyLimit(io.javalin.http.Context ctx) {
    if (!bodyLimits.isEmpty() && ctx.method() == HandlerType.POST) {
      for (BodyLimit limit : bodyLimits) {
        if (limit.path().matcher(ctx.path()).matches()) {
          return limit.maxBytes();
        }
      }
    }
    return RequestScope.MAX_BODY_BYTES;
  }

  private void begin(io.javalin.http.Context ctx) {
    RequestScope.begin(ctx, bodyLimit(ctx));
  }

  /** @return {@code METHOD path} of every route, in declaration order */
  public List<String> describe() {
    return routes.stream().map(r -> r.method().name() + " " + r.path()).toList();
  }

  /**
   * Registers everything that belongs to us, scoped to our own paths so a host's other routes are untouched: the
   * user routes ({@code /api/v1/users/me/integrations[/*]} and any other declared user path) are authenticated by a
   * before-handler; the browser routes under {@code /api/v1/auth/} (which authenticate themselves or not at all) and
   * the {@code /internal/v1/} ones (a service token) are not. Exact paths, never {@code /api/v1/auth/*}, so a host's
   * own auth routes get none of our handlers.
   *
   * @throws IllegalArgumentException (from Javalin) when the host already has one of our routes
   */
  public void mount(JavalinConfig config) {
    Handler begin = guard(this::begin);
    Handler noStore = guard(RequestScope::noStore);
    Handler authenticate = guard(auth::authenticate);
    Set<String> userPaths = new LinkedHashSet<>(List.of(INTEGRATIONS, INTEGRATIONS + "/*"));
    Set<String> otherPaths = new LinkedHashSet<>();
    for (Route r : routes) {
      if (r.path().startsWith(USER_ROOT + "/")) {
        if (!r.path().startsWith(INTEGRATIONS + "/") && !r.path().equals(INTEGRATIONS)) {
          userPaths.add(r.path());
        }
      } else {
        otherPaths.add(r.path());
      }
    }
    for (String path : userPaths) {
      config.routes.before(path, begin);
    }
    for (String path : otherPaths) {
      config.routes.before(path, begin);
    }
    for (String path : userPaths) {
      config.routes.before(path, noStore);
      config.routes.before(path, authenticate);
    }
    browserAndInternalHeaders(config, noStore);
    register(config);
    errors.registerScoped(config);
  }

  private void browserAndInternalHeaders(JavalinConfig config, Handler noStore) {
    Handler browserHeaders = guard(ApiRoutes::browserHeaders);
    Set<String> done = new LinkedHashSet<>();
    for (Route r : routes) {
      if (!done.add(r.path())) {
        continue;
      }
      if (r.path().startsWith(AUTH_ROOT + "/")) {
        config.routes.before(r.path(), browserHeaders);
      } else if (r.path().startsWith(INTERNAL_ROOT + "/")) {
        config.routes.before(r.path(), noStore);
      }
    }
  }

  /** Before-handler of the browser routes: never cached, never leaked through {@code Referer}. */
  public static void browserHeaders(io.javalin.http.Context ctx) {
    RequestScope.noStore(ctx);
    ctx.header("Referrer-Policy", "no-referrer");
  }

  private void register(JavalinConfig config) {
    for (Route r : routes) {
      config.routes.addHttpHandler(r.method(), r.path(), r.handler());
    }
  }

  /**
   * The extras of a server we own: request id and size check on every path (404s included), {@code no-store} on
   * all of {@code /api/*}, authentication on all of {@code /api/v1/users/me/*}, and mapping of every failure.
   */
  public void standalone(JavalinConfig config) {
    Handler noStore = guard(RequestScope::noStore);
    config.routes.before(guard(this::begin));
    config.routes.before("/api/*", noStore);
    config.routes.before(USER_ROOT + "/*", guard(auth::authenticate));
    browserAndInternalHeaders(config, noStore);
    register(config);
    errors.registerScoped(config);
    errors.registerStandalone(config);
  }

  /** Lets our own exceptions and Javalin's control-flow responses through; wraps everything else. */
  public static Handler guard(Handler handler) {
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
