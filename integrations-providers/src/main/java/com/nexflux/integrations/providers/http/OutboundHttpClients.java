package com.nexflux.integrations.providers.http;

import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.net.HostResolver;
import com.nexflux.integrations.providers.http.internal.GuardInterceptor;
import com.nexflux.integrations.providers.http.internal.HostAllowList;
import com.nexflux.integrations.providers.http.internal.HostPolicy;
import com.nexflux.integrations.providers.http.internal.RedirectInterceptor;
import com.nexflux.integrations.providers.http.internal.RefusalInterceptor;
import java.net.Proxy;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The factory of every outbound HTTP client of the provider adapters. Built once from a base {@link OkHttpClient}
 * (whose connection pool and dispatcher all clients share), the core's {@link OutboundGuard} and a
 * {@link HostResolver}; it hands out two kinds of clients:
 *
 * <ul>
 *   <li>{@link #fixedHosts}: for a provider's own hosts (api.github.com, blynk.cloud and {@code *.blynk.cloud}…).
 *       Its DNS answers only for the allow-listed names (resolved by the {@link HostResolver}, addresses not
 *       classified, so an operator may point a provider at an internal GitHub Enterprise); every other host, and
 *       every IP literal not on the list, is refused before any lookup.</li>
 *   <li>{@link #userHosts}: for hosts a user typed (ThingsBoard's {@code base_url}). Its DNS runs the
 *       {@link OutboundGuard} on <em>every</em> lookup and hands OkHttp only the checked address, so a name that
 *       resolves, or later rebinds, to loopback, private, link-local (cloud metadata) or other refused addresses is
 *       refused; IP literals, which OkHttp never passes to a DNS, are checked by an interceptor
 *       ({@code OUTBOUND_ALLOWED_NETWORKS} lets chosen networks through, as for MQTT).</li>
 * </ul>
 *
 * <p>Both kinds: OkHttp's redirect following is off; redirects (301, 302, 303, 307, 308) are followed by our
 * interceptor, at most {@link Spec#maxRedirects} times, only to hosts the client may reach (checked before anything
 * is sent there), never from https to http, without {@code Authorization}, {@code Proxy-Authorization} or
 * {@code Cookie} when the origin changes (not at all for a request tagged {@link NoRedirects});
 * {@code response.request().url()} is the URL that answered and
 * {@code response.priorResponse()} the redirect before it. No proxy is used (a proxy would resolve hosts out of the
 * guard's sight), timeouts are bounded ({@link Timeouts#DEFAULT} unless set), and a client may carry a
 * {@link RateLimit} per {@link RateLimitKey} tag. A refused host is an {@link OutboundRefusedException}
 * ({@code HOST_NOT_ALLOWED}), a used-up rate limit a {@link com.nexflux.integrations.core.error.RateLimitedException},
 * too many redirects an {@link com.nexflux.integrations.core.error.UnavailableException}; network failures and
 * timeouts stay {@link java.io.IOException}s for the adapter to translate. Every URL in a log line or message of
 * this package goes through the client's {@link Redactor}.
 *
 * <p>The clients are for synchronous {@link okhttp3.Call#execute()} (our exceptions are unchecked). The base
 * client's interceptors are kept and run for every hop, inside ours; they see URLs unredacted, so the base should
 * have no logging interceptor that prints them. Thread-safe; build clients once and share them.
 */
public final class OutboundHttpClients {
  /** The most redirects followed for one call unless {@link Spec#maxRedirects} says otherwise. */
  public static final int DEFAULT_MAX_REDIRECTS = 5;

  private final OkHttpClient base;
  private final OutboundGuard guard;
  private final HostResolver resolver;

  /**
   * @param base the client whose connection pool, dispatcher, TLS settings and event listener all clients share
   * @param guard the outbound guard for user-given hosts (with {@code OUTBOUND_ALLOWED_NETWORKS})
   * @param resolver resolves the fixed provider hosts ({@link HostResolver#SYSTEM} in production)
   */
  public OutboundHttpClients(OkHttpClient base, OutboundGuard guard, HostResolver resolver) {
    this.base = Objects.requireNonNull(base, "base");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * @param allowedHosts host names, IP literals and {@code *.domain} patterns
   * @return the specification of a client for these fixed provider hosts
   * @throws IllegalArgumentException when the list is empty or an entry is not a host (or a pattern like {@code *.com})
   */
  public Spec fixedHosts(Collection<String> allowedHosts) {
    HostAllowList list = HostAllowList.of(List.copyOf(Objects.requireNonNull(allowedHosts, "allowedHosts")));
    return new Spec(redactor -> HostPolicy.allowList(list, resolver, redactor));
  }

  /** @return the specification of a client for hosts users give, checked by the outbound guard */
  public Spec userHosts() {
    return new Spec(redactor -> HostPolicy.guarded(guard, redactor));
  }

  /** Shorthand for {@code fixedHosts(allowedHosts).timeouts(timeouts).build()}. */
  public OkHttpClient forFixedHosts(Set<String> allowedHosts, Timeouts timeouts) {
    return fixedHosts(allowedHosts).timeouts(timeouts).build();
  }

  /** Shorthand for {@code userHosts().timeouts(timeouts).build()}. */
  public OkHttpClient forUserHosts(Timeouts timeouts) {
    return userHosts().timeouts(timeouts).build();
  }

  /**
   * @param urls a provider's configured endpoints
   * @return their hosts, in {@link HttpUrl#host()} form, for {@link #fixedHosts}
   * @throws IllegalArgumentException when a URL is not an http(s) URL
   */
  public static Set<String> hostsOf(URI... urls) {
    Set<String> hosts = new LinkedHashSet<>();
    for (URI url : urls) {
      HttpUrl parsed = HttpUrl.parse(Objects.requireNonNull(url, "url").toString());
      if (parsed == null) {
        throw new IllegalArgumentException("not an http(s) URL: " + Redactor.DEFAULT.text(url.toString()));
      }
      hosts.add(parsed.host());
    }
    return Set.copyOf(hosts);
  }

  /** What one client looks like; {@link #build} may be called more than once. Not thread-safe. */
  public final class Spec {
    private final java.util.function.Function<Redactor, HostPolicy> policy;
    private Timeouts timeouts = Timeouts.DEFAULT;
    private int maxRedirects = DEFAULT_MAX_REDIRECTS;
    private RateLimiter limiter;
    private Redactor redactor = Redactor.DEFAULT;

    private Spec(java.util.function.Function<Redactor, HostPolicy> policy) {
      this.policy = policy;
    }

    /** @return this, with these timeouts (default {@link Timeouts#DEFAULT}) */
    public Spec timeouts(Timeouts value) {
      this.timeouts = Objects.requireNonNull(value, "timeouts");
      return this;
    }

    /**
     * @param value the most redirects followed for one call, 0 to 20 (0: redirects are returned to the caller)
     * @return this
     */
    public Spec maxRedirects(int value) {
      if (value < 0 || value > 20) {
        throw new IllegalArgumentException("maxRedirects must be between 0 and 20");
      }
      this.maxRedirects = value;
      return this;
    }

    /**
     * Limits every request by the {@link RateLimitKey} tag it must carry (a request without one is an
     * {@link IllegalStateException}); redirect hops count as requests.
     *
     * @return this
     */
    public Spec rateLimit(RateLimit value) {
      return rateLimiter(RateLimiter.create(Objects.requireNonNull(value, "rateLimit")));
    }

    /** Like {@link #rateLimit} with a limiter of one's own (tests give one with a fake clock). @return this */
    public Spec rateLimiter(RateLimiter value) {
      this.limiter = Objects.requireNonNull(value, "rateLimiter");
      return this;
    }

    /**
     * @param names query parameters this provider takes secrets in, redacted besides
     *     {@link Redactor#DEFAULT_PARAMETERS}
     * @return this
     */
    public Spec redacting(String... names) {
      this.redactor = redactor.withParameters(names);
      return this;
    }

    /**
     * @return the client
     * @throws IllegalArgumentException when a rate limit's longest wait is not shorter than the call timeout
     */
    public OkHttpClient build() {
      if (limiter != null && limiter.limit().maxWait().compareTo(timeouts.call()) >= 0) {
        throw new IllegalArgumentException("the rate limit's maxWait must be shorter than the call timeout");
      }
      HostPolicy hosts = policy.apply(redactor);
      OkHttpClient.Builder builder = base.newBuilder();
      List<Interceptor> baseInterceptors = List.copyOf(builder.interceptors());
      builder.interceptors().clear();
      builder.addInterceptor(new RefusalInterceptor(redactor));
      builder.addInterceptor(new RedirectInterceptor(hosts, maxRedirects, redactor));
      baseInterceptors.forEach(builder::addInterceptor);
      builder.addInterceptor(new GuardInterceptor(hosts, limiter, redactor));
      return builder
          .dns(hosts)
          .proxy(Proxy.NO_PROXY)
          .followRedirects(false)
          .followSslRedirects(false)
          .connectTimeout(timeouts.connect())
          .readTimeout(timeouts.read())
          .writeTimeout(timeouts.write())
          .callTimeout(timeouts.call())
          .build();
    }
  }
}
