package com.nexflux.integrations.http.internal;

import com.nexflux.integrations.core.domain.RequestContext;
import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Per-request bookkeeping shared by every route: the request id ({@code X-Request-Id}), the {@code Cache-Control}
 * header of {@code /api} answers, the early {@code Content-Length} check, and the {@link RequestContext} handed to
 * the core.
 */
public final class RequestScope {
  /** Request and response header carrying the request id. */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";
  /** The largest request body we accept, in bytes (64 KiB). */
  public static final long MAX_BODY_BYTES = 64 * 1024;
  /** User agents are cut to this many characters before they reach the audit log. */
  public static final int MAX_USER_AGENT_CHARS = 512;

  private static final String ATTRIBUTE = "nexflux.integrations.requestId";
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private RequestScope() {}

  /**
   * Before-handler: fixes the request id (a well-formed incoming one, one already set on the response by a host's
   * own middleware, or a fresh UUID), echoes it, and rejects a declared body over {@link #MAX_BODY_BYTES}.
   * Idempotent, so it may be registered on overlapping paths.
   */
  public static void begin(Context ctx) {
    begin(ctx, MAX_BODY_BYTES);
  }

  /** As {@link #begin(Context)}, with the route's own body limit (an upload route's is larger). */
  public static void begin(Context ctx, long maxBodyBytes) {
    requestId(ctx);
    rejectDeclaredOversizeBody(ctx, maxBodyBytes);
  }

  /** Before-handler for {@code /api} paths: answers, errors included, must not be cached. */
  public static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
  }

  /** @return this request's id, assigning (and echoing) it on first use */
  public static String requestId(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    if (id != null) {
      return id;
    }
    String already = ctx.res().getHeader(REQUEST_ID_HEADER);
    String incoming = ctx.header(REQUEST_ID_HEADER);
    if (already != null && WELL_FORMED.matcher(already).matches()) {
      id = already;
    } else if (incoming != null && WELL_FORMED.matcher(incoming).matches()) {
      id = incoming;
    } else {
      id = UUID.randomUUID().toString();
    }
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(REQUEST_ID_HEADER, id);
    return id;
  }

  /** Rejects a request whose {@code Content-Length} exceeds the limit, before anything reads the body. */
  public static void rejectDeclaredOversizeBody(Context ctx) {
    rejectDeclaredOversizeBody(ctx, MAX_BODY_BYTES);
  }

  /** Rejects a request whose {@code Content-Length} exceeds {@code maxBodyBytes}, before anything reads it. */
  public static void rejectDeclaredOversizeBody(Context ctx, long maxBodyBytes) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw new PayloadTooLargeException(maxBodyBytes);
    }
  }

  /** @return who asked and from where, for the audit log */
  public static RequestContext context(Context ctx) {
    String agent = ctx.userAgent();
    if (agent != null && agent.length() > MAX_USER_AGENT_CHARS) {
      agent = agent.substring(0, MAX_USER_AGENT_CHARS);
    }
    return new RequestContext(requestId(ctx), ctx.ip(), agent);
  }
}
