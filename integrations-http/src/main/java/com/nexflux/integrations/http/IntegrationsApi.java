package com.nexflux.integrations.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.nexflux.integrations.core.account.Accounts;
import com.nexflux.integrations.core.audit.AuditTrail;
import com.nexflux.integrations.core.provider.IntegrationsOverview;
import com.nexflux.integrations.http.internal.AccountHandlers;
import com.nexflux.integrations.core.oauth.SignInIdentities;
import com.nexflux.integrations.http.internal.ApiPaths;
import com.nexflux.integrations.http.internal.ApiRoutes;
import com.nexflux.integrations.http.internal.SignInHandlers;
import com.nexflux.integrations.http.oauth.OAuthRoutes;
import io.javalin.http.HandlerType;
import com.nexflux.integrations.http.internal.BearerAuthentication;
import com.nexflux.integrations.http.internal.CookieSecurity;
import com.nexflux.integrations.http.internal.ErrorResponses;
import com.nexflux.integrations.http.internal.JsonResponses;
import com.nexflux.integrations.http.internal.RequestBodies;
import com.nexflux.integrations.http.internal.RequestScope;
import com.nexflux.integrations.http.internal.SystemHandlers;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.OpenApiFragments;
import com.nexflux.integrations.http.kit.RouteModule;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The REST API of NexFlux Integrations on Javalin 7.
 *
 * <p>Routes (all JSON answers are in the envelope {@code {"success":true,"data":…}} or
 * {@code {"success":false,"error":{"code","message","details"}}}, and every answer carries {@code X-Request-Id}):
 * the shared ones,
 * <ul>
 *   <li>{@code GET /api/v1/users/me/integrations} — every provider with the caller's status, its slug, how it
 *       connects and what it can do;</li>
 *   <li>{@code GET /api/v1/users/me/integrations/audit?limit=&cursor=} — the caller's audit trail;</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready}, {@code GET /openapi.json} — no authentication;</li>
 * </ul>
 * and those of every {@link RouteModule} given to {@link Builder#routes} (one per provider: MQTT's settings and
 * test, GitHub's connection and sync, the OAuth {@code connect}/{@code callback} pair of each OAuth provider, ...).
 * {@code /api/v1/users/me/...} requests need {@code Authorization: Bearer <token>}; bodies are limited to
 * {@value #MAX_REQUEST_BYTES} bytes. The document served at {@code /openapi.json} ({@link #openApiDocument()}) is
 * the shared part at {@link #OPENAPI_RESOURCE} merged with every module's fragment.
 *
 * <p>Instances are immutable and thread-safe; one instance may be mounted on several Javalin configurations.
 *
 * @since 0.1
 */
public final class IntegrationsApi {

  /** Class-path location of the OpenAPI 3.0 document served at {@code GET /openapi.json}. */
  public static final String OPENAPI_RESOURCE = "/com/nexflux/integrations/http/openapi.json";

  /** The largest request body accepted, in bytes (64 KiB); larger ones get 413 {@code PAYLOAD_TOO_LARGE}. */
  public static final long MAX_REQUEST_BYTES = RequestScope.MAX_BODY_BYTES;

  /** How long {@code Javalin.stop()} of a {@link #createServer()} server waits for requests in flight. */
  public static final Duration SHUTDOWN_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper MAPPER = objectMapper();

  private final ApiRoutes routes;
  private final byte[] openApi;
  private final List<String> corsOrigins;

  private IntegrationsApi(Builder b) {
    JsonResponses json = new JsonResponses(MAPPER);
    RequestBodies bodies = new RequestBodies(MAPPER);
    BearerAuthentication auth = new BearerAuthentication(b.authenticator, b.accounts);
    ApiKit kit = new ApiKit(auth, bodies, json, new CookieSecurity(b.publicBaseUrlIsHttps, b.trustForwardedProto),
        b.internalApiToken);
    List<RouteModule> modules = List.copyOf(b.modules);
    this.openApi = OpenApiFragments.merge(OpenApiFragments.resource(IntegrationsApi.class, "openapi.json"),
        modules.stream().map(RouteModule::openApi).toList());
    SignInHandlers signIn = new SignInHandlers(modules.stream().filter(OAuthRoutes.class::isInstance)
        .map(OAuthRoutes.class::cast).toList(), b.identities, auth, json);
    this.corsOrigins = List.copyOf(b.corsOrigins);
    this.routes = new ApiRoutes(
        new AccountHandlers(b.overview, b.auditTrail, auth, json),
        new SystemHandlers(b.readiness, openApi, json),
        List.of(new ApiRoutes.SharedRoute(HandlerType.GET, ApiPaths.AUTH_PROVIDERS, signIn::providers),
            new ApiRoutes.SharedRoute(HandlerType.GET, ApiPaths.IDENTITIES, signIn::list),
            new ApiRoutes.SharedRoute(HandlerType.DELETE, ApiPaths.IDENTITY, signIn::delete)),
        modules,
        kit,
        auth,
        new ErrorResponses(json));
  }

  /** @return the OpenAPI document served at {@code GET /openapi.json}: the shared part and every module's fragment */
  public byte[] openApiDocument() {
    return openApi.clone();
  }

  /** @return {@code METHOD path} of every route this API declares */
  public List<String> routes() {
    return routes.describe();
  }

  /**
   * @return a builder; the overview and audit use cases, the accounts port and the authenticator are required, the
   *     route modules and the internal token are optional
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers our routes on a host's Javalin configuration, inside its {@code Javalin.create(config -> …)}.
   *
   * <p>What is registered, all scoped to our paths ({@code /api/v1/users/me/integrations[/*]}, the two exact
   * {@code /api/v1/auth/{slug}/…} paths, the modules' {@code /internal/v1/…} paths, {@code /health/live},
   * {@code /health/ready}, {@code /openapi.json}): the routes; before-handlers that assign the request id, mark
   * our {@code /api} and {@code /internal} answers {@code no-store}, reject declared bodies over 64 KiB and
   * authenticate the caller of {@code /api/v1/users/me/integrations[/*]} (not of the OAuth routes, which a browser
   * reaches by navigation, nor of the internal one, which checks its own service token); and an
   * exception handler for {@link com.nexflux.integrations.core.error.IntegrationsException} and its subclasses.
   * Unexpected exceptions inside our handlers are wrapped so that they reach that handler too.
   *
   * <p>What is left to the host, because a mount must not take over the host's app: its JSON mapper (we serialise
   * with our own), its {@code maxRequestSize}, its 404/405 answers (including unknown paths under our prefix), its
   * handling of {@link Error}s and of its own exception types, and its server lifecycle. Because Javalin keys
   * exception handlers by class, an {@code IntegrationsException} thrown by the host's own routes is also answered in
   * our envelope, and a host handler for {@code IntegrationsException} registered after this call replaces ours.
   *
   * @param config the host's configuration, inside its {@code Javalin.create(config -> …)}
   * @throws IllegalArgumentException (from Javalin) when the host already declares one of our routes
   */
  public void mount(JavalinConfig config) {
    routes.mount(Objects.requireNonNull(config, "config"));
  }

  /**
   * Builds a standalone, unstarted server: everything {@link #mount} registers, plus our JSON mapper, a 64 KiB
   * request limit, the request id and body-size check on every path, 404/405/500 (and Javalin's other error
   * responses) in our envelope, and graceful shutdown: {@code stop()} stops accepting connections and waits up to
   * {@link #SHUTDOWN_DRAIN_TIMEOUT} for requests in flight, asynchronous ones included (Jetty
   * {@code GracefulHandler} plus {@code Server.setStopTimeout}).
   *
   * @return a new, unstarted server; the caller starts and stops it
   */
  public Javalin createServer() {
    return Javalin.create(config -> {
      config.jsonMapper(new JavalinJackson(objectMapper(), false));
      config.http.maxRequestSize = MAX_REQUEST_BYTES;
      config.http.prefer405over404 = true;
      config.http.defaultContentType = JsonResponses.JSON;
      // answers are small JSON documents; compressing them costs more CPU than it saves (a proxy may still do it)
      config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
      config.startup.showJavalinBanner = false;
      if (!corsOrigins.isEmpty()) {
        // Javalin's CORS plugin: exact origins, credentials allowed; preflights are answered with the requested
        // headers (Authorization, Content-Type); other origins get no CORS headers at all
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
          rule.allowHost(corsOrigins.get(0), corsOrigins.subList(1, corsOrigins.size()).toArray(String[]::new));
          rule.allowCredentials = true;
          rule.exposeHeader("X-Request-Id");
          rule.exposeHeader("Retry-After");
        }));
        // the plugin answers any preflight with Allow-Headers/-Methods; another origin gets no CORS header at all
        config.routes.after(ctx -> {
          String origin = ctx.header("Origin");
          if (origin == null || !corsOrigins.contains(origin)) {
            for (String h : List.of("Access-Control-Allow-Headers", "Access-Control-Allow-Methods",
                "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers",
                "Access-Control-Max-Age")) {
              ctx.res().setHeader(h, null);
            }
          }
        });
      }
      config.jetty.modifyServer(server -> {
        server.insertHandler(new GracefulHandler());
        server.setStopTimeout(SHUTDOWN_DRAIN_TIMEOUT.toMillis());
      });
      routes.standalone(config);
    });
  }

  /**
   * A new {@link ObjectMapper} configured as the API's wire format: snake_case names, ISO-8601 instants
   * ({@code 2026-01-15T10:30:00Z}), strict reading (unknown properties, duplicate keys, trailing tokens and scalar
   * coercions such as {@code "yes"} or {@code 1} for a boolean are errors). Nulls are written, not skipped.
   *
   * @return a new mapper on each call; callers may reconfigure their copy
   */
  public static ObjectMapper objectMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    for (LogicalType type : new LogicalType[] {LogicalType.Boolean, LogicalType.Textual, LogicalType.Integer,
        LogicalType.Float}) {
      for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.String,
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean,
          CoercionInputShape.EmptyString}) {
        mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
      }
    }
    return mapper;
  }

  /** Collects the ports the API calls. Not thread-safe; {@link #build()} validates. */
  public static final class Builder {
    /** The shortest {@link #internalApiToken} accepted. */
    public static final int MIN_INTERNAL_TOKEN_CHARS = 32;

    private final List<RouteModule> modules = new ArrayList<>();
    private IntegrationsOverview overview;
    private AuditTrail auditTrail;
    private Accounts accounts;
    private Authenticator authenticator;
    private ReadinessCheck readiness;
    private String internalApiToken;
    private boolean publicBaseUrlIsHttps;
    private boolean trustForwardedProto;
    private SignInIdentities identities;
    private final List<String> corsOrigins = new ArrayList<>();

    private Builder() {}

    /** The users' sign-in identities behind {@code /api/v1/users/me/identities} (optional; without it none). */
    public Builder signInIdentities(SignInIdentities identities) {
      this.identities = Objects.requireNonNull(identities, "identities");
      return this;
    }

    /**
     * Origins of a frontend on another origin that may call this API from a browser ({@code CORS_ALLOWED_ORIGINS}):
     * exact {@code scheme://host[:port]} values, no wildcard, no path. Applies to {@link #createServer()} (a host
     * that mounts the routes configures CORS itself). Default none: no CORS headers.
     *
     * @throws IllegalArgumentException for a value that is not an exact http(s) origin
     */
    public Builder corsAllowedOrigins(List<String> origins) {
      this.corsOrigins.clear();
      for (String o : origins) {
        this.corsOrigins.add(checkOrigin(o));
      }
      return this;
    }

    private static String checkOrigin(String origin) {
      Objects.requireNonNull(origin, "origin");
      java.net.URI uri;
      try {
        uri = new java.net.URI(origin);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("not an origin: " + origin);
      }
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
          || uri.getRawUserInfo() != null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("a CORS origin is scheme://host[:port] without path: " + origin);
      }
      return origin;
    }

    /**
     * Adds a provider's routes (and its OpenAPI fragment); modules are registered in the order given. A route or
     * an OpenAPI path that two modules declare is an error at {@link #build()}.
     */
    public Builder routes(RouteModule... modules) {
      for (RouteModule m : modules) {
        this.modules.add(Objects.requireNonNull(m, "module"));
      }
      return this;
    }

    /** The integration overview (required). */
    public Builder overview(IntegrationsOverview overview) {
      this.overview = Objects.requireNonNull(overview, "overview");
      return this;
    }

    /** The caller's audit trail (required). */
    public Builder auditTrail(AuditTrail auditTrail) {
      this.auditTrail = Objects.requireNonNull(auditTrail, "auditTrail");
      return this;
    }

    /** Admits authenticated users (required). */
    public Builder accounts(Accounts accounts) {
      this.accounts = Objects.requireNonNull(accounts, "accounts");
      return this;
    }

    /** Verifies bearer tokens (required). */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /** Backs {@code GET /health/ready} (optional; without one the service always reports ready). */
    public Builder readiness(ReadinessCheck readiness) {
      this.readiness = Objects.requireNonNull(readiness, "readiness");
      return this;
    }

    /**
     * The shared service token of {@code POST /internal/v1/projects/changed}, the endpoint for NexFlux services that
     * do not embed this library: they send {@code Authorization: Bearer <token>}, compared in constant time. With
     * {@code null} (the default) the endpoint is disabled and answers 404.
     *
     * @param token {@code null}, or at least {@value #MIN_INTERNAL_TOKEN_CHARS} printable ASCII characters
     *     without spaces (e.g. 32 random bytes, base64url)
     * @throws IllegalArgumentException for a shorter token or one with other characters
     */
    public Builder internalApiToken(String token) {
      if (token != null && (token.length() < MIN_INTERNAL_TOKEN_CHARS || !token.chars().allMatch(
          c -> c > 0x20 && c < 0x7f))) {
        throw new IllegalArgumentException("internalApiToken must be at least " + MIN_INTERNAL_TOKEN_CHARS
            + " printable ASCII characters without spaces");
      }
      this.internalApiToken = token;
      return this;
    }

    /**
     * Declares that browsers reach this service over HTTPS (its public base URL is {@code https://}), even when
     * TLS ends at a proxy in front of it: the OAuth flow cookie is then always {@code Secure} and named
     * {@code __Host-nexflux_oauth_<provider>}. Default {@code false}: decided per request (see
     * {@link #trustForwardedProto}). Set it in every HTTPS deployment.
     */
    public Builder publicBaseUrlIsHttps(boolean https) {
      this.publicBaseUrlIsHttps = https;
      return this;
    }

    /**
     * Believe {@code X-Forwarded-Proto} (its first value) when deciding whether the OAuth flow cookie is
     * {@code Secure}. Only for servers reachable solely through a proxy that sets the header; ignored when
     * {@link #publicBaseUrlIsHttps} is set. Default {@code false}: only TLS seen by Jetty itself counts.
     */
    public Builder trustForwardedProto(boolean trust) {
      this.trustForwardedProto = trust;
      return this;
    }

    /**
     * @throws IllegalStateException naming the first missing port
     */
    public IntegrationsApi build() {
      require(overview, "overview");
      require(auditTrail, "auditTrail");
      require(accounts, "accounts");
      require(authenticator, "authenticator");
      if (readiness == null) {
        readiness = () -> { };
      }
      return new IntegrationsApi(this);
    }

    private static void require(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException(name + " must be set");
      }
    }
  }
}
