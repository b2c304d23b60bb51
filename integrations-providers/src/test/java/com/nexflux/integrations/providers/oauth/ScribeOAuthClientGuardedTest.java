package com.nexflux.integrations.providers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.testing.FixedResolver;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.OutboundRefusedException;
import com.nexflux.integrations.providers.http.Timeouts;
import com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory;
import com.nexflux.integrations.providers.testing.MockOAuthServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ScribeOAuthClient} on a guarded client for the provider's fixed hosts: a real code exchange with the token
 * endpoint reached by name, a token endpoint off the list refused before anything is sent, and a redirecting token
 * endpoint not followed (the code and the client secret go to one place only).
 */
class ScribeOAuthClientGuardedTest {
  private static final URI CALLBACK = URI.create("http://127.0.0.1:8005/api/v1/oauth/github/callback");
  private static final List<String> SCOPES = List.of("openid", "profile");

  private final MutableClock clock = new MutableClock();
  private final FixedResolver resolver = new FixedResolver().map("login.provider.test", "127.0.0.1");
  private final OkHttpClient base = new OkHttpClient.Builder().socketFactory(new LoopbackOnlySocketFactory()).build();
  private final OutboundHttpClients clients =
      new OutboundHttpClients(base, new OutboundGuard(resolver, List.of()), resolver);
  private MockOAuthServer server;
  private OAuthProviderConfig config;

  @BeforeEach
  void start() {
    server = MockOAuthServer.start();
    OAuthProviderConfig c = server.config(Provider.GITHUB, CALLBACK);
    config = withTokenEndpoint(c, URI.create(c.tokenEndpoint().toString().replace("127.0.0.1", "login.provider.test")));
  }

  @AfterEach
  void stop() {
    server.close();
    base.connectionPool().evictAll();
  }

  private static OAuthProviderConfig withTokenEndpoint(OAuthProviderConfig c, URI token) {
    return new OAuthProviderConfig(c.provider(), c.clientId(), c.clientSecret(), c.authorizationEndpoint(), token,
        c.callbackUrl(), c.connectScopes(), c.signInScopes(), c.apiBaseUrl());
  }

  @Test
  void aCodeExchangeWorksThroughAFixedHostClient() {
    OkHttpClient http = clients.forFixedHosts(OutboundHttpClients.hostsOf(config.tokenEndpoint()), Timeouts.DEFAULT);
    ScribeOAuthClient client = new ScribeOAuthClient(http, clock);
    String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    MockOAuthServer.Authorization authorization = server.authorize(
        client.authorizationUrl(config, "state-1", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", SCOPES));
    TokenSet tokens = client.exchangeCode(config, authorization.code(), Secret.of(verifier), SCOPES);

    assertThat(tokens.accessToken().reveal()).isNotBlank();
    assertThat(resolver.lookupCount("login.provider.test")).isEqualTo(1);
  }

  @Test
  void aTokenEndpointOffTheListIsRefusedBeforeAnythingIsSent() {
    OkHttpClient http = clients.forFixedHosts(Set.of("github.com"), Timeouts.DEFAULT);
    ScribeOAuthClient client = new ScribeOAuthClient(http, clock);

    assertThatThrownBy(() -> client.refresh(config, Secret.of("CANARY-refresh-token")))
        .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
          assertThat(e.host()).isEqualTo("login.provider.test");
          assertThat(e.getMessage()).doesNotContain("CANARY").doesNotContain(MockOAuthServer.CLIENT_SECRET);
        });
    assertThat(resolver.lookupCount("login.provider.test")).isZero();
  }

  @Test
  void aRedirectingTokenEndpointIsNotFollowed() throws IOException {
    try (MockWebServer token = new MockWebServer(); MockWebServer elsewhere = new MockWebServer()) {
      token.start(InetAddress.getByName("127.0.0.1"), 0);
      elsewhere.start(InetAddress.getByName("127.0.0.1"), 0);
      token.enqueue(new MockResponse.Builder().code(307)
          .addHeader("Location", "http://login.provider.test:" + elsewhere.getPort() + "/token").build());
      OAuthProviderConfig redirecting =
          withTokenEndpoint(config, URI.create("http://login.provider.test:" + token.getPort() + "/token"));
      ScribeOAuthClient client = new ScribeOAuthClient(
          clients.forFixedHosts(Set.of("login.provider.test"), Timeouts.DEFAULT), clock);

      assertThatThrownBy(() -> client.refresh(redirecting, Secret.of("CANARY-refresh-token")))
          .isInstanceOf(OAuthProtocolException.class);
      assertThat(token.getRequestCount()).isEqualTo(1);
      assertThat(elsewhere.getRequestCount()).isZero();
    }
  }
}
