package com.nexflux.integrations.core.blynk;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The Blynk servers a deployment talks to: the global {@code blynk.cloud} (GeoDNS) and the regional hosts
 * ({@code fra1}, {@code lon1}, {@code ny3}, {@code sgp1}, {@code blr1} {@code .blynk.cloud}), all over
 * {@code https}; a deployment may name another base ({@code BLYNK_API_BASE_URL}: a private server, or a test's
 * fake), whose host is then the default server and is allowed beside the standard ones. A server is a host name;
 * its URL is the base's scheme and port with that host.
 *
 * @param base the default server's URL ({@code https://blynk.cloud} unless overridden)
 * @param hosts every server host users may choose and a 308 may lead to (lower case)
 */
public record BlynkServers(URI base, Set<String> hosts) {
  /** The global server. */
  public static final String GLOBAL = "blynk.cloud";
  /** The regional servers Blynk publishes. */
  public static final Set<String> REGIONS = Set.of("fra1.blynk.cloud", "lon1.blynk.cloud", "ny3.blynk.cloud",
      "sgp1.blynk.cloud", "blr1.blynk.cloud");

  public BlynkServers {
    Objects.requireNonNull(base, "base");
    if (base.getHost() == null || !("https".equals(base.getScheme()) || "http".equals(base.getScheme()))) {
      throw new IllegalArgumentException("the Blynk base must be an http(s) URL with a host");
    }
    hosts = Set.copyOf(hosts);
    if (!hosts.contains(base.getHost().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("the base's host must be one of the hosts");
    }
  }

  /** @return the standard servers: {@code https://blynk.cloud} and the regions */
  public static BlynkServers standard() {
    return at(URI.create("https://" + GLOBAL));
  }

  /** @return the standard servers with {@code base} as the default (its host is allowed too) */
  public static BlynkServers at(URI base) {
    Set<String> all = new LinkedHashSet<>();
    all.add(GLOBAL);
    all.addAll(REGIONS);
    all.add(base.getHost().toLowerCase(Locale.ROOT));
    return new BlynkServers(URI.create(base.toString().replaceAll("/+$", "")), all);
  }

  /** @return the default server's host */
  public String defaultHost() {
    return base.getHost().toLowerCase(Locale.ROOT);
  }

  /** @return whether {@code host} is one of this deployment's Blynk servers */
  public boolean isAllowed(String host) {
    return host != null && hosts.contains(host.toLowerCase(Locale.ROOT));
  }

  /**
   * @return the URL of the server {@code host}: the base's scheme, port and path with that host
   * @throws IllegalArgumentException when the host is not allowed
   */
  public URI urlOf(String host) {
    if (!isAllowed(host)) {
      throw new IllegalArgumentException("not a Blynk server of this deployment");
    }
    try {
      return new URI(base.getScheme(), null, host.toLowerCase(Locale.ROOT), base.getPort(), base.getPath(), null,
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a host", e);
    }
  }

  /** @return the platform API's token endpoint on the server {@code host}: {@code {url}/oauth2/token} */
  public URI tokenEndpointOf(String host) {
    return URI.create(urlOf(host).toString().replaceAll("/+$", "") + "/oauth2/token");
  }

  /** @return the token endpoint of every server of this deployment */
  public Set<URI> tokenEndpoints() {
    Set<URI> out = new LinkedHashSet<>();
    hosts.stream().sorted().forEach(h -> out.add(tokenEndpointOf(h)));
    return out;
  }
}
