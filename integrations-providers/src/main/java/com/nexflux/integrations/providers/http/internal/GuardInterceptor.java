package com.nexflux.integrations.providers.http.internal;

import com.nexflux.integrations.providers.http.RateLimitKey;
import com.nexflux.integrations.providers.http.RateLimiter;
import com.nexflux.integrations.providers.http.Redactor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The innermost application interceptor of a guarded client, run for the first request and again for every
 * redirect hop: checks the host ({@link HostPolicy#checkUrl}: IP literals never reach the {@link okhttp3.Dns}),
 * takes a permit from the request's {@link RateLimitKey} bucket when the client is rate limited, and makes sure the
 * call goes on with the policy as its DNS and no proxy, even if an interceptor of the base client changed them
 * (a proxy would resolve the host itself, out of the guard's sight).
 */
public final class GuardInterceptor implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger("com.nexflux.integrations.providers.http");

  private final HostPolicy policy;
  private final RateLimiter limiter;
  private final Redactor redactor;

  /** @param limiter the client's limiter, or {@code null} when it has none */
  public GuardInterceptor(HostPolicy policy, RateLimiter limiter, Redactor redactor) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.limiter = limiter;
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    policy.checkUrl(request.url());
    if (limiter != null) {
      RateLimitKey key = request.tag(RateLimitKey.class);
      if (key == null) {
        throw new IllegalStateException("this client is rate limited: tag every request with a RateLimitKey");
      }
      try {
        Duration waited = limiter.acquire(key);
        if (!waited.isZero()) {
          LOG.debug("Waited {} ms for the rate limit of {} before {} {}", waited.toMillis(), key.value(),
              request.method(), redactor.url(request.url()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the outbound rate limit");
      }
    }
    Chain guarded = chain;
    if (chain.getDns() != policy) {
      guarded = guarded.withDns(policy);
    }
    if (!Proxy.NO_PROXY.equals(chain.getProxy())) {
      guarded = guarded.withProxy(Proxy.NO_PROXY);
    }
    return guarded.proceed(request);
  }
}
