package com.nexflux.integrations.http.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Builds real nimbus tokens for tests. */
public final class Tokens {
  public static final String ISSUER = "https://platform.nexflux.test";
  public static final String AUDIENCE = "nexflux-integrations";

  private Tokens() {}

  /** Claims that the test authenticators accept: sub, iss, aud, iat, exp in 10 min. */
  public static JWTClaimsSet.Builder validClaims(UUID subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .subject(subject.toString())
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
  }

  public static String hs256(byte[] secret, JWTClaimsSet claims) {
    return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), claims, macSigner(secret));
  }

  public static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** An unsecured token: {@code {"alg":"none"}}. */
  public static String none(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  public static MACSigner macSigner(byte[] secret) {
    try {
      return new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Date inSeconds(long seconds) {
    return Date.from(Instant.now().plusSeconds(seconds));
  }
}
