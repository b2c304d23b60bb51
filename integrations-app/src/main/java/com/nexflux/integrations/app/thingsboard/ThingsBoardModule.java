package com.nexflux.integrations.app.thingsboard;

import com.nexflux.integrations.app.provider.Environment;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.app.provider.TokenRegistration;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.oauth.OAuthStatusSource;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.core.thingsboard.ThingsBoardIntegrationService;
import com.nexflux.integrations.core.thingsboard.ThingsBoardIntegrations;
import com.nexflux.integrations.http.thingsboard.ThingsBoardRoutes;
import com.nexflux.integrations.providers.http.Timeouts;
import com.nexflux.integrations.providers.thingsboard.OkHttpThingsBoardApi;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ThingsBoard: the user's own server (cloud or self-hosted), connected with a username and password (a password
 * login whose tokens the shared token lifecycle renews) or a 4.x API key; devices, latest telemetry and RPC. The
 * server is what the user typed, so every call goes through the guarded user-host client. On unless
 * {@code THINGSBOARD_ENABLED=false}; off, its routes answer 503 {@code PROVIDER_NOT_CONFIGURED} and the overview
 * says {@code not_available}.
 */
public final class ThingsBoardModule implements ProviderModule {
  /** ThingsBoard's descriptor. */
  public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(Provider.THINGSBOARD, "ThingsBoard",
      List.of(ConnectionMethod.PASSWORD_LOGIN, ConnectionMethod.API_KEY), Set.of(Capability.DEVICES));
  /** Connect and read timeouts of calls to ThingsBoard; an RPC's read waits for its own timeout on top. */
  static final Timeouts TIMEOUTS = Timeouts.DEFAULT.withRead(Duration.ofSeconds(75)).withCall(Duration.ofSeconds(90));

  private final boolean enabled;
  private OkHttpThingsBoardApi api;

  /** @param enabled whether users may connect ThingsBoard on this server */
  public ThingsBoardModule(boolean enabled) {
    this.enabled = enabled;
  }

  /** ThingsBoard's variable: {@code THINGSBOARD_ENABLED} ({@code true} or {@code false}, default {@code true}). */
  public static ThingsBoardModule fromEnvironment(Environment env) {
    return new ThingsBoardModule(env.bool("THINGSBOARD_ENABLED", true));
  }

  /** @return whether users may connect ThingsBoard here */
  public boolean enabled() {
    return enabled;
  }

  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  private synchronized OkHttpThingsBoardApi api(SharedParts shared) {
    if (api == null) {
      api = new OkHttpThingsBoardApi(shared.outbound().forUserHosts(TIMEOUTS), shared.clock());
    }
    return api;
  }

  @Override
  public Optional<TokenRegistration> tokens(SharedParts shared) {
    if (!enabled) {
      return Optional.empty();
    }
    // no default server: each connection names its own in config.base_url
    return Optional.of(new TokenRegistration(new GrantStrategy.PasswordLogin(null), api(shared)));
  }

  @Override
  public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
    if (!enabled || oauth.isEmpty()) {
      return ProviderSlice.builder().routes(new ThingsBoardRoutes(null)).build();
    }
    OAuthEngine engine = oauth.get();
    var connections = shared.persistence().oauthConnections();
    OkHttpThingsBoardApi rest = api(shared);
    ThingsBoardIntegrationService service = new ThingsBoardIntegrationService(connections, engine.tokens(), rest,
        rest, engine.disconnects(), shared.cipher(), shared.guard(), shared.clock());
    return ProviderSlice.builder()
        .status(new OAuthStatusSource(connections, Provider.THINGSBOARD))
        .routes(new ThingsBoardRoutes(service))
        .useCase(ThingsBoardIntegrations.class, service)
        .devices(service)
        .build();
  }
}
