package com.nexflux.integrations.providers.http.internal;

import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.net.HostResolver;
import com.nexflux.integrations.providers.http.OutboundRefusedException.Reason;
import com.nexflux.integrations.providers.http.Redactor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;
import okhttp3.HttpUrl;

/**
 * Which hosts a guarded client may reach. It is the client's {@link Dns}, so it runs on every lookup OkHttp makes
 * for a new connection, and {@link #checkUrl} covers what the {@link Dns} never sees: IP literals (OkHttp connects
 * to those directly) and redirect targets before anything is sent to them.
 */
public abstract sealed class HostPolicy implements Dns permits HostPolicy.AllowList, HostPolicy.Guarded {
  final Redactor redactor;

  HostPolicy(Redactor redactor) {
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  /** @return a policy for fixed provider hosts: only {@code hosts}, resolved by {@code resolver} */
  public static HostPolicy allowList(HostAllowList hosts, HostResolver resolver, Redactor redactor) {
    return new AllowList(hosts, resolver, redactor);
  }

  /** @return a policy for hosts users type: every address must pass {@code guard} */
  public static HostPolicy guarded(OutboundGuard guard, Redactor redactor) {
    return new Guarded(guard, redactor);
  }

  /**
   * Checks a request's or a redirect's target before any connection.
   *
   * @throws RefusedHostException when the host may not be reached
   */
  public abstract void checkUrl(HttpUrl url) throws RefusedHostException;

  /** @return what this policy lets through, for log lines */
  public abstract String describe();

  /** @return the message part that says why {@code reason} refuses a host */
  public static String why(Reason reason) {
    return switch (reason) {
      case NETWORK_NOT_ALLOWED ->
          "it is in a network this server may not connect to (private, loopback or reserved)";
      case NOT_ON_ALLOW_LIST -> "it is not one of the hosts this client may call";
      case NOT_A_CANONICAL_ADDRESS -> "a numeric host must be a dotted-quad IPv4 or an IPv6 address";
      case INSECURE_REDIRECT -> "the redirect leaves https for plain http";
    };
  }

  RefusedHostException refused(String host, Reason reason) {
    return new RefusedHostException(host, reason,
        redactor.text("Refused to connect to host '" + host + "': " + why(reason)));
  }

  /** Fixed provider hosts: an allow-list of names, no check of the addresses they resolve to. */
  static final class AllowList extends HostPolicy {
    private final HostAllowList hosts;
    private final HostResolver resolver;

    AllowList(HostAllowList hosts, HostResolver resolver, Redactor redactor) {
      super(redactor);
      this.hosts = Objects.requireNonNull(hosts, "hosts");
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public void checkUrl(HttpUrl url) throws RefusedHostException {
      if (!hosts.matches(url.host())) {
        throw refused(url.host(), Reason.NOT_ON_ALLOW_LIST);
      }
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      if (!hosts.matches(hostname)) {
        throw refused(hostname, Reason.NOT_ON_ALLOW_LIST);
      }
      InetAddress[] addresses = resolver.resolve(hostname);
      if (addresses == null || addresses.length == 0) {
        throw new UnknownHostException(hostname + ": no addresses");
      }
      return List.of(addresses);
    }

    @Override
    public String describe() {
      return "fixed hosts " + hosts;
    }
  }

  /**
   * Hosts users type: the {@link OutboundGuard} resolves the name and checks every address on each lookup; OkHttp
   * connects to the checked address only.
   */
  static final class Guarded extends HostPolicy {
    private final OutboundGuard guard;

    Guarded(OutboundGuard guard, Redactor redactor) {
      super(redactor);
      this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public void checkUrl(HttpUrl url) throws RefusedHostException {
      String host = url.host();
      if (IpLiterals.isLiteral(host)) {
        checkLiteral(host);
      }
      // a name is checked by lookup(), which OkHttp calls before it opens any connection to it
    }

    private InetAddress checkLiteral(String host) throws RefusedHostException {
      InetAddress address = IpLiterals.parse(host);
      if (address == null) {
        throw refused(host, Reason.NOT_A_CANONICAL_ADDRESS);
      }
      if (!guard.isAllowed(address)) {
        throw refused(host, Reason.NETWORK_NOT_ALLOWED);
      }
      return address;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      if (IpLiterals.isLiteral(hostname)) {
        return List.of(checkLiteral(hostname));
      }
      OutboundGuard.Decision decision = guard.check(hostname, 0);
      if (decision instanceof OutboundGuard.Decision.Allowed allowed) {
        return List.of(allowed.target().address());
      }
      if (decision instanceof OutboundGuard.Decision.Denied) {
        throw refused(hostname, Reason.NETWORK_NOT_ALLOWED);
      }
      throw new UnknownHostException(hostname + ": could not be resolved");
    }

    @Override
    public String describe() {
      return "user hosts (outbound guard, allowed networks " + guard.allowedNetworks() + ")";
    }
  }
}
