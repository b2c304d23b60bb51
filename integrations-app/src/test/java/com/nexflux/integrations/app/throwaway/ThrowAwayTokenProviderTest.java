package com.nexflux.integrations.app.throwaway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.app.provider.TokenRegistration;
import com.nexflux.integrations.core.device.DeviceSource;
import com.nexflux.integrations.core.device.DeviceSummary;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The seam for a provider that connects without the browser flow: a throw-away API-key provider registers its grant
 * strategy ({@link TokenRegistration}) and a device source, and the facade builds the token lifecycle for it
 * without any OAuth app, {@code FRONTEND_URL} or browser flow; no shared file knows it.
 */
class ThrowAwayTokenProviderTest {
  static final Provider KEYED = Provider.of("throw_away_keyed");

  static final class KeyedModule implements ProviderModule {
    final AtomicReference<Optional<OAuthEngine>> engine = new AtomicReference<>();

    @Override
    public ProviderDescriptor descriptor() {
      return new ProviderDescriptor(KEYED, "Throw-away keyed", List.of(ConnectionMethod.API_KEY),
          Set.of(Capability.DEVICES));
    }

    @Override
    public Optional<TokenRegistration> tokens(SharedParts shared) {
      return Optional.of(TokenRegistration.of(new GrantStrategy.StaticApiKey()));
    }

    @Override
    public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
      engine.set(oauth);
      DeviceSource devices = new DeviceSource() {
        @Override
        public Provider provider() {
          return KEYED;
        }

        @Override
        public List<DeviceSummary> devices(UserId user, boolean refresh) {
          return List.of(new DeviceSummary(KEYED, "dev-1", "Bench lamp", "esp32", DeviceSummary.ONLINE, null));
        }
      };
      return ProviderSlice.builder().devices(devices).build();
    }
  }

  @Test
  void aTokenRegistrationAloneBuildsTheTokenLifecycle_withoutBrowserFlowsOrAFrontendUrl() {
    KeyedModule module = new KeyedModule();
    try (NexfluxIntegrations integrations = NexfluxIntegrations.builder()
        .dataSource(TestDatabase.createEmpty().dataSource())
        .keyset(TinkSecretCipher.generateKeysetJson())
        .startBackgroundJobs(false)
        .provider(module)
        .build()) {
      OAuthEngine engine = module.engine.get().orElseThrow();
      assertThat(engine.flows()).isNull();
      assertThat(integrations.oauthFlows()).isEmpty();
      assertThat(engine.tokens().strategy(KEYED)).containsInstanceOf(GrantStrategy.StaticApiKey.class);
      assertThat(engine.tokens().refreshedAhead()).doesNotContain(KEYED);
      UserId nobody = new UserId(UUID.randomUUID());
      assertThatThrownBy(() -> integrations.accessTokens().orElseThrow().accessToken(nobody, KEYED))
          .isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void aRegistrationIsChecked() {
    assertThatThrownBy(() -> new TokenRegistration(new GrantStrategy.PasswordLogin(null), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenRegistration(new GrantStrategy.StaticApiKey(),
        new com.nexflux.integrations.core.oauth.PasswordLoginClient() {
          @Override
          public com.nexflux.integrations.core.oauth.TokenSet login(java.net.URI server, String username,
              com.nexflux.integrations.core.domain.Secret password) {
            throw new UnsupportedOperationException();
          }

          @Override
          public com.nexflux.integrations.core.oauth.TokenSet refresh(java.net.URI server,
              com.nexflux.integrations.core.domain.Secret refreshToken) {
            throw new UnsupportedOperationException();
          }
        }))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
