package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.http.support.ApiFixture;
import com.nexflux.integrations.http.support.Tokens;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bearer authentication of {@code /api/v1/users/me/**} through real HTTP with real nimbus tokens (HS256). */
class AuthenticationTest {
  private static final String MQTT = "/api/v1/users/me/integrations/mqtt";
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> withAuthorization(String value) {
    return api.send(api.request(MQTT).header("Authorization", value).GET());
  }

  private HttpResponse<String> withToken(String token) {
    return withAuthorization("Bearer " + token);
  }

  private void assertRejected(HttpResponse<String> r) {
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void validToken_reachesTheHandlerAsThatUser() {
    HttpResponse<String> r = withToken(api.token);
    data(r, 200);
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(api.mqtt.lastUser).isEqualTo(api.user);
    assertThat(api.accounts.admitted).containsExactly(api.user);
  }

  @Test
  void schemeIsCaseInsensitive() {
    data(withAuthorization("bearer " + api.token), 200);
  }

  @Test
  void missingHeader_is401WithPlainBearerChallenge() {
    HttpResponse<String> r = api.send(api.request(MQTT).GET());
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void everyUserRoute_needsAToken() {
    for (String path : new String[] {"/api/v1/users/me/integrations", "/api/v1/users/me/integrations/audit", MQTT,
        "/api/v1/users/me/integrations/unknown", "/api/v1/users/me/other"}) {
      error(api.send(api.request(path).GET()), 401, "UNAUTHORIZED");
    }
    assertThat(api.overview.lastUser).isNull();
    assertThat(api.audit.lastLimit).isNull();
  }

  @Test
  void nonBearerScheme_is401() {
    String basic = Base64.getEncoder().encodeToString("user:pass".getBytes());
    HttpResponse<String> r = withAuthorization("Basic " + basic);
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  void tokenInTheQueryString_isIgnored() {
    HttpResponse<String> r = api.send(api.request(MQTT + "?access_token=" + api.token).GET());
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  void garbageToken_is401() {
    assertRejected(withToken("not.a.jwt"));
  }

  @Test
  void algNone_is401() {
    assertRejected(withToken(Tokens.none(Tokens.validClaims(api.userUuid).build())));
  }

  @Test
  void hs256SignedWithAnotherSecret_is401() {
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    assertRejected(withToken(Tokens.hs256(other, Tokens.validClaims(api.userUuid).build())));
  }

  @Test
  void rs256Token_againstTheHs256Authenticator_is401() throws JOSEException {
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
        Tokens.validClaims(api.userUuid).build(), new RSASSASigner(rsa));
    assertRejected(withToken(token));
  }

  @Test
  void hs512WithTheRightSecret_is401BecauseOnlyHs256IsAllowed() {
    byte[] longSecret = new byte[64];
    System.arraycopy(api.secret, 0, longSecret, 0, 32);
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.HS512).build(),
        Tokens.validClaims(api.userUuid).build(), Tokens.macSigner(longSecret));
    assertRejected(withToken(token));
  }

  @Test
  void expiredBeyondTheSkew_is401() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).expirationTime(Tokens.inSeconds(-120)).build();
    assertRejected(withToken(Tokens.hs256(api.secret, claims)));
  }

  @Test
  void expiredWithinTheSkew_isAccepted() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).expirationTime(Tokens.inSeconds(-20)).build();
    data(withToken(Tokens.hs256(api.secret, claims)), 200);
  }

  @Test
  void notBeforeInTheFuture_is401() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).notBeforeTime(Tokens.inSeconds(300)).build();
    assertRejected(withToken(Tokens.hs256(api.secret, claims)));
  }

  @Test
  void notBeforeWithinTheSkew_isAccepted() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).notBeforeTime(Tokens.inSeconds(20)).build();
    data(withToken(Tokens.hs256(api.secret, claims)), 200);
  }

  @Test
  void wrongIssuer_is401() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).issuer("https://evil.example").build();
    assertRejected(withToken(Tokens.hs256(api.secret, claims)));
  }

  @Test
  void missingIssuer_is401() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).issuer(null).build();
    assertRejected(withToken(Tokens.hs256(api.secret, claims)));
  }

  @Test
  void wrongAudience_is401() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).audience("another-service").build();
    assertRejected(withToken(Tokens.hs256(api.secret, claims)));
  }

  @Test
  void missingSubject_is401() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).subject(null).build();
    assertRejected(withToken(Tokens.hs256(api.secret, claims)));
  }

  @Test
  void nonUuidSubject_is401() {
    JWTClaimsSet claims = new JWTClaimsSet.Builder(Tokens.validClaims(api.userUuid).build()).subject("alice").build();
    assertRejected(withToken(Tokens.hs256(api.secret, claims)));
  }

  @Test
  void missingExpiry_is401() {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).expirationTime(null).build();
    assertRejected(withToken(Tokens.hs256(api.secret, claims)));
  }

  @Test
  void userRejectedByAccounts_is401() {
    UserId stranger = new UserId(UUID.randomUUID());
    api.accounts.rejected.add(stranger);
    String token = JwtAuthenticator.issueHs256(api.secret, stranger, Tokens.ISSUER, Tokens.AUDIENCE,
        Duration.ofMinutes(1));
    assertRejected(withToken(token));
  }

  @Test
  void rejection_doesNotEchoTheToken() {
    String forged = Tokens.hs256(new byte[32], Tokens.validClaims(api.userUuid).build());
    HttpResponse<String> r = withToken(forged);
    assertRejected(r);
    assertThat(r.body()).doesNotContain(forged.substring(0, 20)).doesNotContain(api.userUuid.toString());
  }

  @Test
  void publicRoutes_needNoToken() {
    data(api.send(api.request("/health/live").GET()), 200);
    data(api.send(api.request("/health/ready").GET()), 200);
    assertThat(api.send(api.request("/openapi.json").GET()).statusCode()).isEqualTo(200);
  }
}
