package com.nexflux.integrations.providers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.providers.testing.MockOAuthServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ScribeOAuthClient} against a real OAuth 2.0 server in process (NAV's mock-oauth2-server on 127.0.0.1):
 * authorization URL, a full authorization code exchange with PKCE, the refresh grant.
 */
class ScribeOAuthClientMockServerTest {
  private static final URI CALLBACK = URI.create("http://127.0.0.1:8005/api/v1/oauth/github/callback?x=1");
  private static final List<String> SCOPES = List.of("openid", "profile", "user:email");

  private final MutableClock clock = new MutableClock();
  private final ScribeOAuthClient client = new ScribeOAuthClient(new OkHttpClient(), clock);
  private MockOAuthServer server;
  private OAuthProviderConfig config;

  @BeforeEach
  void start() {
    server = MockOAuthServer.start();
    config = server.config(Provider.GITHUB, CALLBACK);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theAuthorizationUrlCarriesEveryParameter() {
    URI url = client.authorizationUrl(config, "state-123", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", SCOPES);

    HttpUrl parsed = HttpUrl.get(url.toString());
    assertThat(parsed.newBuilder().query(null).build().toString())
        .isEqualTo(server.authorizationEndpoint().toString());
    assertThat(parsed.queryParameterNames()).containsExactlyInAnyOrder("response_type", "client_id",
        "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method");
    assertThat(parsed.queryParameter("response_type")).isEqualTo("code");
    assertThat(parsed.queryParameter("client_id")).isEqualTo(MockOAuthServer.CLIENT_ID);
    assertThat(parsed.queryParameter("redirect_uri")).isEqualTo(CALLBACK.toString());
    assertThat(parsed.queryParameter("scope")).isEqualTo("openid profile user:email");
    assertThat(url.getRawQuery()).contains("scope=openid%20profile%20user%3Aemail");
    assertThat(parsed.queryParameter("state")).isEqualTo("state-123");
    assertThat(parsed.queryParameter("code_challenge")).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    assertThat(parsed.queryParameter("code_challenge_method")).isEqualTo("S256");
  }

  @Test
  void anAuthorizationEndpointWithAQueryOfItsOwnKeepsIt() {
    OAuthProviderConfig withQuery = new OAuthProviderConfig(Provider.GITHUB, "id", Secret.of("s"),
        URI.create("https://github.example.com/login/oauth/authorize?allow_signup=false"),
        URI.create("https://github.example.com/login/oauth/access_token"), CALLBACK, List.of(), List.of(),
        URI.create("https://github.example.com/api/v3"));
    HttpUrl parsed = HttpUrl.get(client.authorizationUrl(withQuery, "s", "c", List.of()).toString());
    assertThat(parsed.queryParameter("allow_signup")).isEqualTo("false");
    assertThat(parsed.queryParameter("client_id")).isEqualTo("id");
    assertThat(parsed.queryParameterNames()).doesNotContain("scope");
  }

  @Test
  void aFullCodeExchangeWithPkce() throws Exception {
    String verifier = verifier();
    String challenge = s256(verifier);
    Instant sentAt = clock.instant();

    MockOAuthServer.Authorization authorization = server.authorize(
        client.authorizationUrl(config, "state-xyz", challenge, SCOPES));
    assertThat(authorization.state()).isEqualTo("state-xyz");
    assertThat(authorization.location().toString()).startsWith(CALLBACK.toString());
    TokenSet tokens = client.exchangeCode(config, authorization.code(), Secret.of(verifier), SCOPES);

    // the server checked the verifier against the challenge itself (see aWrongVerifierIsRefusedByTheServer)
    MockOAuthServer.Received authorize = server.takeRequest();
    assertThat(HttpUrl.get("http://x" + authorize.path()).queryParameter("code_challenge")).isEqualTo(challenge);
    MockOAuthServer.Received token = server.takeRequest();
    assertThat(token.method()).isEqualTo("POST");
    assertThat(token.path()).isEqualTo("/" + MockOAuthServer.ISSUER + "/token");
    assertThat(token.headers().get("Accept")).isEqualTo("application/json");
    assertThat(token.headers().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(token.headers().get("Authorization")).isNull(); // client authentication in the body
    assertThat(token.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "grant_type", "authorization_code",
        "code", authorization.code(),
        "redirect_uri", CALLBACK.toString(),
        "code_verifier", verifier,
        "client_id", MockOAuthServer.CLIENT_ID,
        "client_secret", MockOAuthServer.CLIENT_SECRET));
    assertThat(s256(token.form().get("code_verifier"))).isEqualTo(challenge);

    assertThat(tokens.accessToken().reveal()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+"); // a signed JWT
    assertThat(tokens.refreshToken()).isNotNull();
    assertThat(tokens.expiresAt()).isBetween(sentAt.plus(Duration.ofMinutes(50)), sentAt.plus(Duration.ofHours(1)));
    assertThat(tokens.refreshTokenExpiresAt()).isNull();
    assertThat(tokens.scopes()).isEqualTo(SCOPES); // the server named none: the requested ones
  }

  @Test
  void aWrongVerifierIsRefusedByTheServer() {
    String challenge = s256(verifier());
    MockOAuthServer.Authorization authorization = server.authorize(
        client.authorizationUrl(config, "s", challenge, SCOPES));
    String wrong = verifier();

    assertThatThrownBy(() -> client.exchangeCode(config, authorization.code(), Secret.of(wrong), SCOPES))
        .isInstanceOfSatisfying(OAuthGrantException.class,
            e -> assertThat(e.providerError()).isEqualTo("invalid_grant"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(authorization.code()));
  }

  @Test
  void theRefreshGrant() {
    String verifier = verifier();
    MockOAuthServer.Authorization authorization = server.authorize(
        client.authorizationUrl(config, "s", s256(verifier), SCOPES));
    TokenSet first = client.exchangeCode(config, authorization.code(), Secret.of(verifier), SCOPES);
    server.takeRequest();
    server.takeRequest();
    clock.advance(Duration.ofMinutes(30));
    Instant sentAt = clock.instant();

    TokenSet refreshed = client.refresh(config, first.refreshToken());

    MockOAuthServer.Received request = server.takeRequest();
    assertThat(request.headers().get("Accept")).isEqualTo("application/json");
    assertThat(request.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "grant_type", "refresh_token",
        "refresh_token", first.refreshToken().reveal(),
        "client_id", MockOAuthServer.CLIENT_ID,
        "client_secret", MockOAuthServer.CLIENT_SECRET));
    assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(refreshed.expiresAt()).isAfter(sentAt.plus(Duration.ofMinutes(50)));
    assertThat(refreshed.scopes()).isEmpty(); // none named, none assumed on refresh
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private static String verifier() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
