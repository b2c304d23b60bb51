package com.nexflux.integrations.providers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.Revocation;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.providers.github.OkHttpGitHubApi;
import com.nexflux.integrations.providers.testing.FakeGitHub;
import com.nexflux.integrations.providers.testing.MockOAuthServer;
import com.nexflux.integrations.core.testing.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link ScribeOAuthClient#revoke}: RFC 7009 against mock-oauth2-server, GitHub's grant API against the fake. */
class ScribeOAuthClientRevocationTest {
  private static final URI CALLBACK = URI.create("http://127.0.0.1:8005/api/v1/auth/google/callback");
  private final MutableClock clock = new MutableClock();
  private final OkHttpClient http = new OkHttpClient();
  private final ScribeOAuthClient client = new ScribeOAuthClient(http, clock);

  @Nested
  class Rfc7009 {
    @Test
    void revokesTheRefreshTokenWithItsHintAndTheClient() {
      try (MockOAuthServer server = MockOAuthServer.start()) {
        OAuthProviderConfig config = server.config(Provider.GOOGLE, CALLBACK);
        TokenSet tokens = exchange(server, config);
        assertThat(tokens.refreshToken()).isNotNull();
        Revocation.Rfc7009 revocation = new Revocation.Rfc7009(server.revocationEndpoint());

        client.revoke(config, revocation, tokens.refreshToken(), Revocation.TokenKind.REFRESH_TOKEN);

        MockOAuthServer.Received request = server.takeRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/" + MockOAuthServer.ISSUER + "/revoke");
        assertThat(request.form()).containsEntry("token", tokens.refreshToken().reveal())
            .containsEntry("token_type_hint", "refresh_token")
            .containsEntry("client_id", MockOAuthServer.CLIENT_ID)
            .containsEntry("client_secret", MockOAuthServer.CLIENT_SECRET);
        // revoke returned normally: the server's revocation handler answered 200 (its refresh grant does not
        // consult the revoked list, so a later refresh cannot show the effect here)
      }
    }

    @Test
    void anUnreachableEndpointIsUnavailable() {
      OAuthProviderConfig config = new OAuthProviderConfig(Provider.GOOGLE, "id", Secret.of("secret-CANARY"),
          URI.create("http://127.0.0.1:1/authorize"), URI.create("http://127.0.0.1:1/token"), CALLBACK, List.of(),
          List.of(), URI.create("http://127.0.0.1:1/"));
      assertThatThrownBy(() -> client.revoke(config, new Revocation.Rfc7009(URI.create("http://127.0.0.1:1/revoke")),
          Secret.of("rt-CANARY"), Revocation.TokenKind.REFRESH_TOKEN))
          .isInstanceOf(UnavailableException.class)
          .satisfies(e -> assertThat(e.toString()).doesNotContain("CANARY"));
    }

    @Test
    void notSupportedIsNotACall() {
      try (MockOAuthServer server = MockOAuthServer.start()) {
        assertThatThrownBy(() -> client.revoke(server.config(Provider.ONEDRIVE, CALLBACK), Revocation.NONE,
            Secret.of("t"), Revocation.TokenKind.ACCESS_TOKEN)).isInstanceOf(IllegalArgumentException.class);
      }
    }

    private TokenSet exchange(MockOAuthServer server, OAuthProviderConfig config) {
      String verifier = "v".repeat(43);
      String challenge = com.nexflux.integrations.core.testing.ScriptedOAuthClient.s256(verifier);
      URI url = client.authorizationUrl(config, "state-1", challenge, List.of("openid", "offline_access"));
      MockOAuthServer.Authorization authorization = server.authorize(url);
      TokenSet tokens = client.exchangeCode(config, authorization.code(), Secret.of(verifier), List.of("openid"));
      server.takeRequest(); // the authorization request
      server.takeRequest(); // the token request
      return tokens;
    }
  }

  @Nested
  class GitHubGrant {
    private static final String TOKEN = "gho_CANARYrevoke0123456789abcdefghij";
    private static final GitHubAccount OCTO = new GitHubAccount(583231, "octo", null, "octo@example.com");

    private OAuthProviderConfig config(FakeGitHub github, String secret) {
      return new OAuthProviderConfig(Provider.GITHUB, github.clientId(), Secret.of(secret),
          URI.create(github.baseUrl() + "/login/oauth/authorize"), URI.create(github.baseUrl() + "/login/oauth/token"),
          CALLBACK, List.of("repo"), List.of(), github.baseUrl());
    }

    @Test
    void revokesTheGrantWithBasicAuthAndEveryTokenOfTheUserStopsWorking() {
      try (FakeGitHub github = FakeGitHub.start(clock).acceptToken(TOKEN, OCTO).acceptToken("gho_second", OCTO)) {
        client.revoke(config(github, github.clientSecret()), new Revocation.GitHubGrant(github.baseUrl()),
            Secret.of(TOKEN), Revocation.TokenKind.ACCESS_TOKEN);

        FakeGitHub.Recorded call = github.requests().get(0);
        assertThat(call.method()).isEqualTo("DELETE");
        assertThat(call.path()).isEqualTo("/applications/" + github.clientId() + "/grant");
        assertThat(call.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
            (github.clientId() + ":" + github.clientSecret()).getBytes(StandardCharsets.UTF_8)));
        assertThat(call.body()).isEqualTo("{\"access_token\":\"" + TOKEN + "\"}");
        assertThat(github.revokedTokens()).containsExactly(TOKEN);
        OkHttpGitHubApi api = new OkHttpGitHubApi(http, github.baseUrl(), github.clientId(),
            Secret.of(github.clientSecret()), clock);
        assertThatThrownBy(() -> api.currentUser(Secret.of("gho_second"))).isInstanceOf(OAuthGrantException.class);
      }
    }

    @Test
    void aGoneGrantCountsAsRevoked() {
      try (FakeGitHub github = FakeGitHub.start(clock).acceptToken(TOKEN, OCTO)) {
        OAuthProviderConfig config = config(github, github.clientSecret());
        Revocation.GitHubGrant grant = new Revocation.GitHubGrant(github.baseUrl());
        client.revoke(config, grant, Secret.of(TOKEN), Revocation.TokenKind.ACCESS_TOKEN);
        client.revoke(config, grant, Secret.of(TOKEN), Revocation.TokenKind.ACCESS_TOKEN); // 404: already gone
        github.failNext("/applications/" + github.clientId() + "/grant", 422, Map.of());
        client.revoke(config, grant, Secret.of(TOKEN), Revocation.TokenKind.ACCESS_TOKEN);
        assertThat(github.revokedTokens()).containsExactly(TOKEN);
      }
    }

    @Test
    void aWrongClientSecretIsAConfigurationProblem() {
      try (FakeGitHub github = FakeGitHub.start(clock).acceptToken(TOKEN, OCTO)) {
        assertThatThrownBy(() -> client.revoke(config(github, "wrong-secret-CANARY"),
            new Revocation.GitHubGrant(github.baseUrl()), Secret.of(TOKEN), Revocation.TokenKind.ACCESS_TOKEN))
            .isInstanceOf(OAuthProtocolException.class)
            .satisfies(e -> assertThat(e.toString()).doesNotContain("CANARY"));
        assertThat(github.revokedTokens()).isEmpty();
      }
    }

    @Test
    void aServerErrorIsUnavailable() {
      try (FakeGitHub github = FakeGitHub.start(clock).acceptToken(TOKEN, OCTO)) {
        github.failNext("/applications/" + github.clientId() + "/grant", 502, Map.of());
        assertThatThrownBy(() -> client.revoke(config(github, github.clientSecret()),
            new Revocation.GitHubGrant(github.baseUrl()), Secret.of(TOKEN), Revocation.TokenKind.ACCESS_TOKEN))
            .isInstanceOf(UnavailableException.class);
      }
    }
  }
}
