package com.nexflux.integrations.http.internal;

import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.error.ValidationException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers in the error envelope
 * {@code {"success":false,"error":{"code","message","details"}}}.
 *
 * <p>{@link #registerScoped} (used by {@code mount}) maps {@link IntegrationsException} and its subclasses only:
 * our handlers turn everything else they meet into {@link InternalFailure}, so a host's own exceptions keep going to
 * the host's own mappers. {@link #registerStandalone} additionally maps Javalin's {@link HttpResponseException}s
 * (404, 405, 413…), every other {@link Exception} and {@link Error}s, which only a server we own may do.
 *
 * <p>No answer ever carries a stack trace or an exception's own text for a 500; it is logged with the request id
 * instead.
 */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  /** Fixed text for {@code CREDENTIALS_UNREADABLE}. */
  public static final String CREDENTIALS_UNREADABLE_MESSAGE =
      "stored credentials could not be read; save the password again";

  /** Fixed text for {@code INVALID_GRANT}: the provider's own error code is not sent. */
  public static final String GRANT_REFUSED_MESSAGE = "The provider refused the grant; connect the integration again";
  /** Fixed text for {@code OAUTH_PROTOCOL_ERROR}: the provider's own reason is logged, not sent. */
  public static final String PROVIDER_ERROR_MESSAGE = "The provider's answer could not be used; try again later";
  /** Fixed text for {@code UNAUTHORIZED}: why a token was refused is never told. */
  public static final String UNAUTHORIZED_MESSAGE = "A valid bearer token is required";

  static final String VALIDATION_FAILED = "VALIDATION_FAILED";
  static final String UNAUTHORIZED = "UNAUTHORIZED";
  static final String NOT_FOUND = "NOT_FOUND";
  static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
  static final String NEEDS_REAUTH = "NEEDS_REAUTH";
  static final String INVALID_GRANT = "INVALID_GRANT";
  static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
  static final String RATE_LIMITED = "RATE_LIMITED";
  static final String CREDENTIALS_UNREADABLE = "CREDENTIALS_UNREADABLE";
  static final String INTERNAL = "INTERNAL";
  static final String OAUTH_PROTOCOL_ERROR = "OAUTH_PROTOCOL_ERROR";
  static final String UNAVAILABLE = "UNAVAILABLE";
  static final String PROVIDER_NOT_CONFIGURED = "PROVIDER_NOT_CONFIGURED";

  /**
   * The one table from error code to HTTP status; {@code docs/api.md} has the same table and a test keeps the two
   * and every code of the core's exceptions in step. The answer's {@code code} is the exception's own
   * {@code code()}; a code missing here is answered as a 500 {@code INTERNAL} without its message.
   */
  public static final Map<String, Integer> STATUS_BY_CODE = Map.ofEntries(
      Map.entry(VALIDATION_FAILED, 400),
      Map.entry("HOST_NOT_ALLOWED", 400),
      Map.entry(UNAUTHORIZED, 401),
      Map.entry(NOT_FOUND, 404),
      Map.entry(METHOD_NOT_ALLOWED, 405),
      Map.entry(NEEDS_REAUTH, 409),
      Map.entry(INVALID_GRANT, 409),
      Map.entry("CREDENTIALS_REJECTED", 409),
      Map.entry("OTA_IN_PROGRESS", 409),
      Map.entry("DEVICE_OFFLINE", 409),
      Map.entry("OTA_NOT_SUPPORTED", 409),
      Map.entry(PAYLOAD_TOO_LARGE, 413),
      Map.entry(RATE_LIMITED, 429),
      Map.entry(CREDENTIALS_UNREADABLE, 500),
      Map.entry(INTERNAL, 500),
      Map.entry(OAUTH_PROTOCOL_ERROR, 502),
      Map.entry("ID_TOKEN_INVALID", 502),
      Map.entry(UNAVAILABLE, 503),
      Map.entry(PROVIDER_NOT_CONFIGURED, 503),
      Map.entry("DEVICE_TIMEOUT", 504));

  private final JsonResponses json;

  public ErrorResponses(JsonResponses json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  /** Maps {@link IntegrationsException} and subclasses; safe on a host's Javalin. */
  public void registerScoped(JavalinConfig config) {
    config.routes.exception(IntegrationsException.class, this::integrations);
  }

  /** Also maps Javalin's own error responses, any other exception and {@link Error}s; standalone servers only. */
  public void registerStandalone(JavalinConfig config) {
    config.routes.exception(HttpResponseException.class, this::httpResponse);
    config.routes.exception(Exception.class, this::unexpected);
    config.router.javaLangErrorHandler(this::fatal);
  }

  /** Answers for one of our exceptions: the status is {@link #STATUS_BY_CODE} of its {@code code()}. */
  public void integrations(IntegrationsException e, Context ctx) {
    String code = e.code();
    Integer status = code == null ? null : STATUS_BY_CODE.get(code);
    if (status == null || code.equals(INTERNAL)) {
      // a code without an answer of its own (start-up codes such as KEYSET_INVALID, or INTERNAL): a plain 500
      internal(ctx, e instanceof InternalFailure && e.getCause() != null ? e.getCause() : e);
      return;
    }
    String id = RequestScope.requestId(ctx);
    String message = e.getMessage();
    List<FieldError> details = List.of();
    switch (code) {
      case VALIDATION_FAILED -> {
        if (e instanceof ValidationException v) {
          details = v.errors();
        }
      }
      case UNAUTHORIZED -> {
        if (ctx.res().getHeader("WWW-Authenticate") == null) {
          ctx.header("WWW-Authenticate", BearerAuthentication.CHALLENGE_INVALID);
        }
        message = UNAUTHORIZED_MESSAGE;
      }
      case RATE_LIMITED -> ctx.header("Retry-After",
          Long.toString(retryAfterSeconds(e instanceof RateLimitedException r ? r.retryAfter() : null)));
      case UNAVAILABLE -> LOG.warn("Dependency unavailable [request_id={}] {} {}", id, ctx.method(), ctx.path(), e);
      case INVALID_GRANT -> message = GRANT_REFUSED_MESSAGE;
      case OAUTH_PROTOCOL_ERROR -> {
        LOG.warn("Provider answer unusable [request_id={}] {} {}: {}", id, ctx.method(), ctx.path(),
            String.valueOf(e.getMessage()).replaceAll("\\p{Cntrl}", "?"));
        message = PROVIDER_ERROR_MESSAGE;
      }
      case CREDENTIALS_UNREADABLE -> {
        LOG.warn("Stored credentials unreadable [request_id={}] {} {}", id, ctx.method(), ctx.path(), e);
        message = CREDENTIALS_UNREADABLE_MESSAGE;
      }
      default -> {
        // the exception's own message: NOT_FOUND, NEEDS_REAUTH, PAYLOAD_TOO_LARGE, PROVIDER_NOT_CONFIGURED
      }
    }
    send(ctx, status, code, message, details);
  }

  /** Answers for Javalin's own error responses (no route, wrong method, body over Javalin's limit…). */
  public void httpResponse(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    switch (status) {
      case 404 -> send(ctx, 404, "NOT_FOUND", "No such endpoint", List.of());
      case 405 -> {
        String allowed = e.getDetails().getOrDefault("availableMethods", e.getDetails().get("Available methods"));
        if (allowed != null) {
          ctx.header("Allow", allowed);
        }
        send(ctx, 405, METHOD_NOT_ALLOWED, "Method " + ctx.method() + " is not allowed here", List.of());
      }
      case 413 -> send(ctx, 413, "PAYLOAD_TOO_LARGE",
          "The request body is larger than " + RequestScope.MAX_BODY_BYTES + " bytes", List.of());
      case 400 -> send(ctx, 400, "VALIDATION_FAILED", "Bad request", List.of());
      case 401 -> integrations(new UnauthorizedException("unauthorized"), ctx);
      default -> {
        if (status >= 500) {
          internal(ctx, e);
        } else {
          send(ctx, status, "HTTP_" + status, "Request failed with status " + status, List.of());
        }
      }
    }
  }

  /** Answers 500 for anything unexpected. */
  public void unexpected(Exception e, Context ctx) {
    if (e instanceof IntegrationsException ours) {
      integrations(ours, ctx);
    } else {
      internal(ctx, e);
    }
  }

  private void internal(Context ctx, Throwable cause) {
    String id = RequestScope.requestId(ctx);
    LOG.error("Internal error [request_id={}] {} {}", id, ctx.method(), ctx.path(), cause);
    send(ctx, 500, "INTERNAL", internalMessage(id), List.of());
  }

  /** Last resort for {@link Error}s: Javalin hands us only the servlet response. */
  private void fatal(HttpServletResponse res, Error error) {
    String id = res.getHeader(RequestScope.REQUEST_ID_HEADER);
    LOG.error("Fatal error [request_id={}]", id, error);
    res.setStatus(500);
    if (res.isCommitted()) {
      return;
    }
    try {
      res.setContentType(JsonResponses.JSON);
      byte[] body = json.mapper().writeValueAsBytes(new Envelopes.Failure(
          new Envelopes.ErrorBody("INTERNAL", internalMessage(id), List.of())));
      res.getOutputStream().write(body);
    } catch (IOException | RuntimeException e) {
      LOG.debug("Could not write the 500 answer [request_id={}]", id, e);
    }
  }

  private void send(Context ctx, int status, String code, String message, List<FieldError> details) {
    json.write(ctx, status, new Envelopes.Failure(new Envelopes.ErrorBody(code, message, details)));
  }

  static String internalMessage(String requestId) {
    return "Internal error; quote request id " + requestId;
  }

  static long retryAfterSeconds(Duration retryAfter) {
    if (retryAfter == null) {
      return 1;
    }
    long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }
}
