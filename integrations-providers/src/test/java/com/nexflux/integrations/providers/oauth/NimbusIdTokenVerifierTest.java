package com.nexflux.integrations.providers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.IdTokenClaims;
import com.nexflux.integrations.core.oauth.IdTokenRejectedException;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import com.nexflux.integrations.providers.testing.MockOAuthServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NimbusIdTokenVerifier} against a real OpenID provider in process (mock-oauth2-server on 127.0.0.1, its JWKS
 * served over HTTP): a real id_token from an authorization code flow passes; forged ones are refused for each check.
 */
class NimbusIdTokenVerifierTest {
  private static final URI CALLBACK = URI.create("http://127.0.0.1:8005/api/v1/auth/acme-id/callback");
  private static final String NONCE = "n-0S6_WzA2Mj-the-nonce-of-this-flow";

  private final NimbusIdTokenVerifier verifier = new NimbusIdTokenVerifier(new okhttp3.OkHttpClient(), Clock.systemUTC());
  private MockOAuthServer server;
  private OAuthProviderConfig config;

  @BeforeEach
  void start() {
    server = MockOAuthServer.start();
    config = server.config(Provider.of("acme_id"), CALLBACK).withOidc(server.oidc());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private SignedJWT issue(String audience, Map<String, Object> claims, long expirySeconds) {
    return issue(MockOAuthServer.CLIENT_ID, List.of(audience), claims, expirySeconds);
  }

  /** @param client the requesting client: the server writes it as {@code azp} */
  private SignedJWT issue(String client, List<String> audience, Map<String, Object> claims, long expirySeconds) {
    return server.server().issueToken(MockOAuthServer.ISSUER, client, new DefaultOAuth2TokenCallback(
        MockOAuthServer.ISSUER, "subject-1", "JWT", audience, claims, expirySeconds));
  }

  private IdTokenClaims verify(SignedJWT jwt) {
    return verifier.verify(config, Secret.of(jwt.serialize()), sha256Hex(NONCE));
  }

  private void assertRefused(SignedJWT jwt, String check) {
    assertRefused(jwt.serialize(), check);
  }

  private void assertRefused(String token, String check) {
    assertThatThrownBy(() -> verifier.verify(config, Secret.of(token), sha256Hex(NONCE)))
        .isInstanceOfSatisfying(IdTokenRejectedException.class, e -> {
          assertThat(e.check()).isEqualTo(check);
          assertThat(e.getMessage()).doesNotContain(token);
        });
  }

  @Test
  void aRealIdTokenFromTheCodeFlowPasses_withTheNonceOfItsAuthorizationRequest() {
    ScribeOAuthClient client = new ScribeOAuthClient(new OkHttpClient(), Clock.systemUTC());
    String verifierText = "verifier-0123456789-0123456789-0123456789-abc";
    String challenge;
    try {
      challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifierText.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    config = config.withAuthorizationParameters(Map.of("access_type", "offline", "include_granted_scopes", "true"));
    URI url = client.authorizationUrl(config, "state-1", challenge, List.of("openid", "email"), NONCE);
    okhttp3.HttpUrl parsed = okhttp3.HttpUrl.get(url.toString());
    assertThat(parsed.queryParameter("nonce")).isEqualTo(NONCE);
    assertThat(parsed.queryParameter("access_type")).isEqualTo("offline");
    assertThat(parsed.queryParameter("include_granted_scopes")).isEqualTo("true");
    assertThat(parsed.queryParameter("state")).isEqualTo("state-1");
    MockOAuthServer.Authorization auth = server.authorize(url);
    TokenSet tokens = client.exchangeCode(config, auth.code(), Secret.of(verifierText), List.of("openid"));

    assertThat(tokens.idToken()).isNotNull();
    IdTokenClaims claims = verifier.verify(config, tokens.idToken(), sha256Hex(NONCE));
    assertThat(claims.issuer()).isEqualTo(server.issuer());
    assertThat(claims.subject()).isNotBlank();

    // the same token with another flow's nonce is refused
    assertThatThrownBy(() -> verifier.verify(config, tokens.idToken(), sha256Hex("another-nonce")))
        .isInstanceOfSatisfying(IdTokenRejectedException.class, e -> assertThat(e.check()).isEqualTo("nonce"));
  }

  @Test
  void aSignedTokenWithEveryClaimRightPasses_andReturnsAVerifiedEmail() {
    IdTokenClaims claims = verify(issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE, "email", "ada@example.com",
        "email_verified", true, "name", "Ada", "picture", "https://pics.example/ada"), 300));
    assertThat(claims).isEqualTo(new IdTokenClaims(server.directIssuer(), "subject-1", "ada@example.com", "Ada",
        "https://pics.example/ada"));
  }

  @Test
  void anUnverifiedOrUnconfirmedEmailIsNotReturned() {
    assertThat(verify(issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE, "email", "ada@example.com",
        "email_verified", false), 300)).verifiedEmail()).isNull();
    assertThat(verify(issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE, "email", "ada@example.com"), 300))
        .verifiedEmail()).isNull();
  }

  @Test
  void anotherAudienceIsRefused() {
    assertRefused(issue("another-client", Map.of("nonce", NONCE), 300), "aud");
  }

  @Test
  void anotherIssuerIsRefused() {
    config = config.withOidc(new OAuthProviderConfig.Oidc(List.of("https://issuer.example"),
        server.oidc().jwksUri()));
    assertRefused(issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE), 300), "iss");
  }

  @Test
  void aWrongOrMissingNonceIsRefused() {
    assertRefused(issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", "an-attackers-nonce"), 300), "nonce");
    assertRefused(issue(MockOAuthServer.CLIENT_ID, Map.of(), 300), "nonce");
  }

  @Test
  void anExpiredTokenIsRefused_beyondTheClockSkew() {
    assertRefused(issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE), -120), "exp");
  }

  @Test
  void aMismatchedAuthorizedPartyIsRefused_andSeveralAudiencesNeedOne() {
    assertThat(verify(issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE), 300)).subject())
        .isEqualTo("subject-1");
    assertRefused(issue("another-client", List.of(MockOAuthServer.CLIENT_ID), Map.of("nonce", NONCE), 300), "azp");
    SignedJWT multiWithAzp = issue(MockOAuthServer.CLIENT_ID, List.of(MockOAuthServer.CLIENT_ID, "another-client"),
        Map.of("nonce", NONCE), 300);
    assertThat(verify(multiWithAzp).subject()).isEqualTo("subject-1");
  }

  @Test
  void aTokenSignedWithAnotherKeyUnderTheProvidersKeyIdIsRefused() throws Exception {
    SignedJWT genuine = issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE), 300);
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(genuine.getHeader().getKeyID()).generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(genuine.getHeader().getKeyID()).build(), genuine.getJWTClaimsSet());
    forged.sign(new RSASSASigner(attacker));
    assertRefused(forged, "signature");

    // and one under a key id the provider does not publish
    SignedJWT unknownKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").build(),
        genuine.getJWTClaimsSet());
    unknownKid.sign(new RSASSASigner(attacker));
    assertRefused(unknownKid, "signature");
  }

  @Test
  void unsignedHmacAndMalformedTokensAreRefused() throws Exception {
    SignedJWT genuine = issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE), 300);
    String[] parts = genuine.serialize().split("\\.");
    String noneHeader = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    assertRefused(noneHeader + "." + parts[1] + ".", "malformed");
    SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), genuine.getJWTClaimsSet());
    hmac.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));
    assertRefused(hmac, "alg");
    assertRefused("not-a-jwt", "malformed");
  }

  @Test
  void anUnreachableJwksIsUnavailable_notARejection() {
    int port = LoopbackPorts.closedPort();
    config = config.withOidc(new OAuthProviderConfig.Oidc(server.oidc().issuers(),
        URI.create("http://127.0.0.1:" + port + "/jwks")));
    SignedJWT token = issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE), 300);
    assertThatThrownBy(() -> verify(token)).isInstanceOf(UnavailableException.class)
        .hasMessageNotContaining(token.serialize());
  }

  @Test
  void theKeysAreCached_soATokenVerifiesWhileTheProviderIsDown() {
    SignedJWT first = issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE), 300);
    SignedJWT second = issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE, "name", "second"), 300);
    verify(first);
    server.close();

    assertThat(verify(second).name()).isEqualTo("second");
  }

  @Test
  void onTheGuardedClient_theJwksIsFetchedFromItsAllowListedHost_andAnyOtherHostIsRefusedAsUnavailable() {
    com.nexflux.integrations.core.testing.FixedResolver resolver = new com.nexflux.integrations.core.testing.FixedResolver()
        .map("keys.provider.test", "127.0.0.1").map("elsewhere.provider.test", "127.0.0.1");
    OkHttpClient base = new OkHttpClient.Builder()
        .socketFactory(new com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory()).build();
    com.nexflux.integrations.providers.http.OutboundHttpClients clients =
        new com.nexflux.integrations.providers.http.OutboundHttpClients(base,
            new com.nexflux.integrations.core.net.OutboundGuard(resolver, List.of()), resolver);
    OkHttpClient guarded = clients.forFixedHosts(java.util.Set.of("keys.provider.test"),
        com.nexflux.integrations.providers.http.Timeouts.DEFAULT);
    String jwks = server.oidc().jwksUri().toString();
    config = config.withOidc(new OAuthProviderConfig.Oidc(server.oidc().issuers(),
        URI.create(jwks.replace("127.0.0.1", "keys.provider.test"))));
    SignedJWT token = issue(MockOAuthServer.CLIENT_ID, Map.of("nonce", NONCE, "name", "via the guard"), 300);
    NimbusIdTokenVerifier viaGuard = new NimbusIdTokenVerifier(guarded, Clock.systemUTC());
    assertThat(viaGuard.verify(config, Secret.of(token.serialize()), sha256Hex(NONCE)).name())
        .isEqualTo("via the guard");

    OAuthProviderConfig elsewhere = config.withOidc(new OAuthProviderConfig.Oidc(server.oidc().issuers(),
        URI.create(jwks.replace("127.0.0.1", "elsewhere.provider.test"))));
    NimbusIdTokenVerifier fresh = new NimbusIdTokenVerifier(guarded, Clock.systemUTC());
    assertThatThrownBy(() -> fresh.verify(elsewhere, Secret.of(token.serialize()), sha256Hex(NONCE)))
        .isInstanceOf(UnavailableException.class)
        .hasMessageNotContaining(token.serialize());
    base.connectionPool().evictAll();
  }
}
