package com.nexflux.integrations.app.blynk;

import com.nexflux.integrations.app.provider.Environment;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.app.provider.TokenRegistration;
import com.nexflux.integrations.core.blynk.BlynkPlatformApi;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.providers.blynk.OkHttpBlynkPlatformApi;
import com.nexflux.integrations.core.blynk.BlynkDeviceApi;
import com.nexflux.integrations.core.blynk.BlynkDeviceSource;
import com.nexflux.integrations.core.blynk.BlynkIntegrationService;
import com.nexflux.integrations.core.blynk.BlynkIntegrations;
import com.nexflux.integrations.core.blynk.BlynkServers;
import com.nexflux.integrations.core.blynk.BlynkStatusSource;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.http.blynk.BlynkRoutes;
import com.nexflux.integrations.providers.blynk.OkHttpBlynkApi;
import com.nexflux.integrations.providers.http.Timeouts;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Blynk: the user's devices by their device auth tokens, on {@code blynk.cloud} or a regional server (a 308 to the
 * right region followed and remembered), and optionally an organization's platform client (client credentials with
 * HTTP Basic, registered with the shared token lifecycle, which renews its 300 s tokens). Always available: it
 * needs no deployment credentials.
 */
public final class BlynkModule implements ProviderModule {
  /** Blynk's descriptor. */
  public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(Provider.BLYNK, "Blynk",
      List.of(ConnectionMethod.API_KEY), Set.of(Capability.DEVICES));

  private final BlynkServers servers;
  private final BlynkDeviceApi apiOverride;

  /**
   * @param servers the Blynk servers ({@link BlynkServers#standard()} unless a private server or a test's fake)
   * @param api a replacement for the OkHttp device API client, or {@code null}
   */
  public BlynkModule(BlynkServers servers, BlynkDeviceApi api) {
    this.servers = Objects.requireNonNull(servers, "servers");
    this.apiOverride = api;
  }

  /**
   * Blynk's variables: {@code BLYNK_API_BASE_URL} (optional, default {@code https://blynk.cloud}): the default
   * server for a private Blynk server or a test's fake; its host is allowed beside the standard servers.
   */
  public static BlynkModule fromEnvironment(Environment env) {
    String base = env.url("BLYNK_API_BASE_URL", null);
    return new BlynkModule(base == null ? BlynkServers.standard() : BlynkServers.at(URI.create(base)), null);
  }

  /** @return the Blynk servers of this deployment */
  public BlynkServers servers() {
    return servers;
  }

  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /**
   * The platform client's grant: Blynk's documented token request ({@code POST /oauth2/token} with
   * {@code grant_type=client_credentials} in the query string, the client as HTTP Basic) on the default server, or
   * on the server a connection stored as its own ({@code config.token_endpoint}: one of this deployment's servers).
   */
  @Override
  public Optional<TokenRegistration> tokens(SharedParts shared) {
    return Optional.of(TokenRegistration.of(grant(servers)));
  }

  /** @return the client credentials grant of Blynk's platform API on these servers */
  public static GrantStrategy.ClientCredentials grant(BlynkServers servers) {
    return new GrantStrategy.ClientCredentials(servers.tokenEndpointOf(servers.defaultHost()), List.of(),
        java.util.Map.of(), java.util.Map.of(), GrantStrategy.ClientAuthentication.HTTP_BASIC,
        GrantStrategy.ParameterPlacement.QUERY_STRING, servers.tokenEndpoints());
  }

  @Override
  public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
    var http = shared.outbound().fixedHosts(servers.hosts()).timeouts(Timeouts.DEFAULT)
        .maxRedirects(0).redacting("token").build();
    BlynkDeviceApi api = apiOverride != null ? apiOverride : new OkHttpBlynkApi(http, servers, shared.clock());
    var persistence = shared.persistence();
    BlynkPlatformApi platform = oauth.isEmpty() ? null : new OkHttpBlynkPlatformApi(http, servers, shared.clock());
    BlynkIntegrationService service = new BlynkIntegrationService(persistence.oauthConnections(),
        persistence.auditLog(), shared.cipher(), api, servers, shared.clock(), platform,
        oauth.map(OAuthEngine::tokens).orElse(null));
    return ProviderSlice.builder()
        .status(new BlynkStatusSource(persistence.oauthConnections()))
        .routes(new BlynkRoutes(service))
        .useCase(BlynkIntegrations.class, service)
        .devices(new BlynkDeviceSource(service))
        .build();
  }
}
