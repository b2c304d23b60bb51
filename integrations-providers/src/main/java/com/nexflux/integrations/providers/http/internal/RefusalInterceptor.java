package com.nexflux.integrations.providers.http.internal;

import com.nexflux.integrations.providers.http.OutboundRefusedException;
import com.nexflux.integrations.providers.http.Redactor;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost interceptor of a guarded client: a {@link RefusedHostException} from anywhere below (the
 * {@link HostPolicy} as {@link okhttp3.Dns}, the redirect and guard interceptors) leaves the call as an
 * {@link OutboundRefusedException}, so callers get our exception and no OkHttp type. Other failures pass unchanged.
 * The refusal is logged once, with the request's URL redacted.
 *
 * <p>Unchecked exceptions leave {@link okhttp3.Call#execute()} as they are; guarded clients are for synchronous
 * calls (OkHttp's {@code enqueue} would report them as a cancelled call).
 */
public final class RefusalInterceptor implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger("com.nexflux.integrations.providers.http");

  private final Redactor redactor;

  public RefusalInterceptor(Redactor redactor) {
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    try {
      return chain.proceed(request);
    } catch (IOException e) {
      RefusedHostException refused = find(e);
      if (refused == null) {
        throw e;
      }
      LOG.info("Refused outbound {} {}: {}", request.method(), redactor.url(request.url()), refused.getMessage());
      throw refused.toPublic();
    }
  }

  private static RefusedHostException find(Throwable e) {
    for (int depth = 0; e != null && depth < 8; depth++, e = e.getCause()) {
      if (e instanceof RefusedHostException r) {
        return r;
      }
      for (Throwable suppressed : e.getSuppressed()) {
        if (suppressed instanceof RefusedHostException r) {
          return r;
        }
      }
    }
    return null;
  }
}
