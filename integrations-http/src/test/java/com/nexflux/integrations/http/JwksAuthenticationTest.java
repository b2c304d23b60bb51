package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.http.support.ApiFixture;
import com.nexflux.integrations.http.support.JwksServer;
import com.nexflux.integrations.http.support.Tokens;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JwtAuthenticator#jwks} against a JWK set served on 127.0.0.1, through real HTTP. */
class JwksAuthenticationTest {
  private static final String MQTT = "/api/v1/users/me/integrations/mqtt";

  private final RSAKey rsa;
  private final ECKey ec;
  private final JwksServer jwks;
  private final ApiFixture api;

  JwksAuthenticationTest() throws JOSEException {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    jwks = new JwksServer(new JWKSet(List.of(rsa, ec)));
    api = new ApiFixture(JwtAuthenticator.jwks(jwks.url(), Tokens.ISSUER, Tokens.AUDIENCE));
  }

  @AfterEach
  void stop() {
    api.close();
    jwks.close();
  }

  private HttpResponse<String> withToken(String token) {
    return api.send(api.request(MQTT).header("Authorization", "Bearer " + token).GET());
  }

  private JWTClaimsSet claims() {
    return Tokens.validClaims(api.userUuid).build();
  }

  @Test
  void rs256TokenFromThePublishedKey_isAccepted() throws JOSEException {
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims(),
        new RSASSASigner(rsa));
    data(withToken(token), 200);
    assertThat(api.mqtt.lastUser).isEqualTo(api.user);
  }

  @Test
  void es256TokenFromThePublishedKey_isAccepted() throws JOSEException {
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims(),
        new ECDSASigner(ec));
    data(withToken(token), 200);
  }

  @Test
  void keysAreCached() throws JOSEException {
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims(),
        new RSASSASigner(rsa));
    data(withToken(token), 200);
    data(withToken(token), 200);
    data(withToken(token), 200);
    assertThat(jwks.fetches.get()).isEqualTo(1);
  }

  @Test
  void hs256TokenSignedWithTheRsaPublicKeyBytes_is401() throws JOSEException {
    byte[] publicKeyBytes = rsa.toRSAPublicKey().getEncoded();
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims(),
        Tokens.macSigner(publicKeyBytes));
    HttpResponse<String> r = withToken(token);
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void tokenSignedByAnUnpublishedKey_is401() throws JOSEException {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims(),
        new RSASSASigner(stranger));
    error(withToken(token), 401, "UNAUTHORIZED");
  }

  @Test
  void algNone_is401() {
    error(withToken(Tokens.none(claims())), 401, "UNAUTHORIZED");
  }

  @Test
  void wrongAudience_is401() throws JOSEException {
    JWTClaimsSet claims = Tokens.validClaims(api.userUuid).audience("someone-else").build();
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims,
        new RSASSASigner(rsa));
    error(withToken(token), 401, "UNAUTHORIZED");
  }

  @Test
  void unreachableKeySet_is503() throws JOSEException {
    jwks.broken = true;
    String token = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims(),
        new RSASSASigner(rsa));
    HttpResponse<String> r = withToken(token);
    error(r, 503, "UNAVAILABLE");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(api.mqtt.lastCall).isNull();
  }

  private String rs256(JWSHeader.Builder header) throws JOSEException {
    return Tokens.sign(header.build(), claims(), new RSASSASigner(rsa));
  }

  private static JWSHeader.Builder rsaHeader() {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1");
  }

  private void assertRejected(HttpResponse<String> r) {
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
    assertThat(api.mqtt.lastCall).isNull();
  }

  @Test
  void typAtPlusJwtAndJwt_areAccepted() throws JOSEException {
    data(withToken(rs256(rsaHeader().type(new JOSEObjectType("at+jwt")))), 200);
    data(withToken(rs256(rsaHeader().type(JOSEObjectType.JWT))), 200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JOSE", "id_token+jwt", "logout+jwt", "application/at+jwt"})
  void otherTyp_is401(String typ) throws JOSEException {
    assertRejected(withToken(rs256(rsaHeader().type(new JOSEObjectType(typ)))));
  }

  @Test
  void jkuPointingAtAnAttackersKeySet_is401_andThatSetIsNeverFetched() throws JOSEException {
    RSAKey attacker = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    try (JwksServer evil = new JwksServer(new JWKSet(attacker))) {
      String token = Tokens.sign(rsaHeader().jwkURL(URI.create(evil.url().toString())).build(), claims(),
          new RSASSASigner(attacker));
      assertRejected(withToken(token));
      assertThat(evil.fetches.get()).isZero();
    }
  }

  @Test
  void jkuOnATokenSignedByThePublishedKey_isStill401() throws JOSEException {
    assertRejected(withToken(rs256(rsaHeader().jwkURL(URI.create(jwks.url().toString())))));
  }

  @Test
  void embeddedJwk_is401_evenWhenItIsThePublishedKey() throws JOSEException {
    assertRejected(withToken(rs256(rsaHeader().jwk(rsa.toPublicJWK()))));
    RSAKey attacker = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    assertRejected(withToken(Tokens.sign(rsaHeader().jwk(attacker.toPublicJWK()).build(), claims(),
        new RSASSASigner(attacker))));
  }

  @Test
  void x5u_is401() throws JOSEException {
    assertRejected(withToken(rs256(rsaHeader().x509CertURL(URI.create("https://127.0.0.1:9/cert.pem")))));
  }
}
