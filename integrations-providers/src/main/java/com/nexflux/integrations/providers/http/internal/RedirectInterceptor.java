package com.nexflux.integrations.providers.http.internal;

import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.providers.http.NoRedirects;
import com.nexflux.integrations.providers.http.OutboundRefusedException.Reason;
import com.nexflux.integrations.providers.http.Redactor;
import java.io.IOException;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows redirects itself (the client has OkHttp's own following off): at most {@code maxRedirects} hops, only to
 * hosts the {@link HostPolicy} allows (checked before anything is sent there), never from https to http, with the
 * rules of {@link Redirects#follow}; a request tagged {@link NoRedirects}, or any request when {@code maxRedirects} is 0, gets its redirect answer back. The final response's {@code request().url()} is the URL that answered, and
 * {@code priorResponse()} the redirect before it, so a caller can remember where a provider moved it (Blynk's
 * region).
 */
public final class RedirectInterceptor implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger("com.nexflux.integrations.providers.http");

  private final HostPolicy policy;
  private final int maxRedirects;
  private final Redactor redactor;

  public RedirectInterceptor(HostPolicy policy, int maxRedirects, Redactor redactor) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.maxRedirects = maxRedirects;
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Response response = chain.proceed(request);
    if (request.tag(NoRedirects.class) != null || maxRedirects == 0) {
      return response; // the caller reads the redirect itself
    }
    for (int hops = 0; ; hops++) {
      HttpUrl target = Redirects.target(response);
      if (target == null) {
        return response;
      }
      HttpUrl from = response.request().url();
      if (hops >= maxRedirects) {
        response.close();
        throw new UnavailableException(redactor.text("Gave up after " + maxRedirects + " redirects; the last went "
            + "from host '" + from.host() + "' to host '" + target.host() + "'"), null);
      }
      check(response, from, target);
      Request next = Redirects.follow(request, response.code(), target);
      if (next == null) {
        LOG.debug("Not following HTTP {} from {}: the request body cannot be sent twice", response.code(),
            redactor.url(from));
        return response;
      }
      LOG.debug("Following HTTP {} from {} to {}", response.code(), redactor.url(from), redactor.url(target));
      Response prior = response.newBuilder().body(ResponseBody.EMPTY).build();
      response.close();
      response = chain.proceed(next).newBuilder().priorResponse(prior).build();
      request = next;
    }
  }

  private void check(Response response, HttpUrl from, HttpUrl target) throws RefusedHostException {
    Reason reason = null;
    if (Redirects.downgrades(from, target)) {
      reason = Reason.INSECURE_REDIRECT;
    } else {
      try {
        policy.checkUrl(target);
      } catch (RefusedHostException e) {
        reason = e.reason();
      }
    }
    if (reason != null) {
      response.close();
      String message = redactor.text("Refused to follow a redirect (HTTP " + response.code() + ") from host '"
          + from.host() + "' to host '" + target.host() + "': " + HostPolicy.why(reason));
      LOG.warn("{}; redirect from {} to {}", message, redactor.url(from), redactor.url(target));
      throw new RefusedHostException(target.host(), reason, message);
    }
  }
}
