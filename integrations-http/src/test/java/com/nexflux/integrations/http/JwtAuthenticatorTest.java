package com.nexflux.integrations.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.http.support.Tokens;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

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
}
