package com.nexflux.integrations.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.http.support.Tokens;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URL;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JwtAuthenticator} without HTTP: construction rules, the dev-token helper, optional iss/aud. */
class JwtAuthenticatorTest {
  private final byte[] secret = random(32);
  private final UserId user = new UserId(UUID.randomUUID());

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  @Test
  void hs256_rejectsSecretsShorterThan32Bytes() {
    assertThatThrownBy(() -> JwtAuthenticator.hs256(random(31), null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> JwtAuthenticator.hs256(null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issuedToken_roundTrips() throws Exception {
    String token = JwtAuthenticator.issueHs256(secret, user, "iss-a", "aud-a", Duration.ofMinutes(5));
    assertThat(JwtAuthenticator.hs256(secret, "iss-a", "aud-a").authenticate(token)).isEqualTo(user);
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(user.value().toString());
    assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isNotNull();
  }

  @Test
  void withoutIssuerOrAudience_anyIsAccepted_butSignatureAndExpiryStillCount() {
    JwtAuthenticator lenient = JwtAuthenticator.hs256(secret, null, null);
    assertThat(lenient.authenticate(JwtAuthenticator.issueHs256(secret, user, "whoever", "whatever",
        Duration.ofMinutes(1)))).isEqualTo(user);
    assertThat(lenient.authenticate(JwtAuthenticator.issueHs256(secret, user, null, null,
        Duration.ofMinutes(1)))).isEqualTo(user);
    String expired = Tokens.hs256(secret, Tokens.validClaims(user.value()).expirationTime(Tokens.inSeconds(-61 - 60))
        .build());
    assertThatThrownBy(() -> lenient.authenticate(expired)).isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void configuredIssuer_rejectsTokensWithoutOne() {
    String token = JwtAuthenticator.issueHs256(secret, user, null, "aud-a", Duration.ofMinutes(1));
    assertThatThrownBy(() -> JwtAuthenticator.hs256(secret, "iss-a", "aud-a").authenticate(token))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void rejections_carryAGenericMessageOnly() {
    String token = JwtAuthenticator.issueHs256(random(32), user, "iss", "aud", Duration.ofMinutes(1));
    assertThatThrownBy(() -> JwtAuthenticator.hs256(secret, "iss", "aud").authenticate(token))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage("invalid bearer token")
        .hasNoCause();
  }

  @Test
  void blankToken_isRejected() {
    assertThatThrownBy(() -> JwtAuthenticator.hs256(secret, null, null).authenticate(" "))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void issueHs256_rejectsANonPositiveTtl() {
    assertThatThrownBy(() -> JwtAuthenticator.issueHs256(secret, user, null, null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRememberedTokenIsStillCheckedPerAuthenticator_andRejectionsAreNeverRemembered() {
    JwtAuthenticator auth = JwtAuthenticator.hs256(secret, null, null);
    String token = JwtAuthenticator.issueHs256(secret, user, null, null, java.time.Duration.ofMinutes(5));
    for (int i = 0; i < 100; i++) {
      org.assertj.core.api.Assertions.assertThat(auth.authenticate(token)).isEqualTo(user);
    }
    JwtAuthenticator other = JwtAuthenticator.hs256(random(32), null, null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.authenticate(token))
        .isInstanceOf(com.nexflux.integrations.core.error.UnauthorizedException.class);
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
    for (int i = 0; i < 3; i++) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> auth.authenticate(forged))
          .isInstanceOf(com.nexflux.integrations.core.error.UnauthorizedException.class);
    }
  }

  private String withHeader(JWSHeader.Builder header) {
    return Tokens.sign(header.build(), Tokens.validClaims(user.value()).build(), Tokens.macSigner(secret));
  }

  private JwtAuthenticator strict() {
    return JwtAuthenticator.hs256(secret, Tokens.ISSUER, Tokens.AUDIENCE);
  }

  @Test
  void typ_absentJwtAndAtPlusJwt_areAccepted() {
    assertThat(strict().authenticate(withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)))).isEqualTo(user);
    assertThat(strict().authenticate(withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .type(JOSEObjectType.JWT)))).isEqualTo(user);
    assertThat(strict().authenticate(withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .type(new JOSEObjectType("at+jwt"))))).isEqualTo(user);
    assertThat(strict().authenticate(withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .type(new JOSEObjectType("AT+JWT"))))).as("typ is case-insensitive (RFC 7515 4.1.9)").isEqualTo(user);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JOSE", "JOSE+JSON", "id_token+jwt", "logout+jwt", "secevent+jwt", "application/jwt",
      "application/at+jwt", "at+jwt ", "dpop+jwt", ""})
  void typ_otherValues_areRejected(String typ) {
    String token = withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(typ)));
    assertThatThrownBy(() -> strict().authenticate(token))
        .isInstanceOf(UnauthorizedException.class).hasMessage("invalid bearer token").hasNoCause();
  }

  @Test
  void headerNamingAKeyUrl_isRejectedEvenThoughTheSignatureVerifies() {
    String token = withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .jwkURL(URI.create("https://127.0.0.1:9/keys.json")));
    assertThatThrownBy(() -> strict().authenticate(token))
        .isInstanceOf(UnauthorizedException.class).hasMessage("invalid bearer token").hasNoCause();
  }

  @Test
  void headerCarryingAKey_isRejectedEvenThoughTheSignatureVerifies() throws Exception {
    // the signature verifies with the configured secret; only the header's key makes the token unacceptable
    String token = withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .jwk(new ECKeyGenerator(Curve.P_256).generate().toPublicJWK()));
    assertThatThrownBy(() -> strict().authenticate(token)).isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void headerNamingACertificateUrl_isRejectedEvenThoughTheSignatureVerifies() {
    String token = withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .x509CertURL(URI.create("https://127.0.0.1:9/cert.pem")));
    assertThatThrownBy(() -> strict().authenticate(token)).isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void aRejectedHeaderIsNotRemembered_andDoesNotPoisonTheSameClaimsWithoutIt() {
    JwtAuthenticator auth = strict();
    String bad = withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .jwkURL(URI.create("https://127.0.0.1:9/keys.json")));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> auth.authenticate(bad)).isInstanceOf(UnauthorizedException.class);
    }
    assertThat(auth.authenticate(withHeader(new JWSHeader.Builder(JWSAlgorithm.HS256)))).isEqualTo(user);
  }

  @Test
  void jwks_requiresAnIssuerAndAnAudience() throws Exception {
    URL url = URI.create("https://127.0.0.1:9/.well-known/jwks.json").toURL();
    assertThatThrownBy(() -> JwtAuthenticator.jwks(url, null, "aud"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
    assertThatThrownBy(() -> JwtAuthenticator.jwks(url, " ", "aud"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
    assertThatThrownBy(() -> JwtAuthenticator.jwks(url, "iss", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
    assertThat(JwtAuthenticator.jwks(url, "iss", "aud")).as("nothing is fetched at construction").isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://idp.example/jwks.json", "https://10.0.0.1/jwks", "HTTPS://idp.example/k",
      "http://127.0.0.1:8080/jwks", "http://127.10.20.30/jwks", "http://localhost:9/jwks", "http://LOCALHOST/jwks",
      "http://[::1]:9/jwks", "http://[0:0:0:0:0:0:0:1]/jwks"})
  void jwksUrl_httpsOrLoopbackHttp_isAccepted(String url) throws Exception {
    JwtAuthenticator.checkJwksUrl(URI.create(url).toURL());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://idp.example/jwks.json", "http://10.0.0.1/jwks", "http://0.0.0.0/jwks",
      "http://128.0.0.1/jwks", "http://127.0.0.1.evil.example/jwks", "http://localhost.evil.example/jwks",
      "http://127.0.0.300/jwks", "http://[::2]/jwks", "http://[::ffff:10.0.0.1]/jwks", "ftp://127.0.0.1/jwks",
      "file:///etc/jwks.json", "http://user:hunter2@idp.example/jwks"})
  void jwksUrl_otherwise_isRefused_withoutEchoingIt(String url) throws Exception {
    assertThatThrownBy(() -> JwtAuthenticator.checkJwksUrl(URI.create(url).toURL()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("evil");
    assertThatThrownBy(() -> JwtAuthenticator.jwks(URI.create(url).toURL(), "iss", "aud"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
