package com.nexflux.integrations.providers.thingsboard.internal;

import com.nexflux.integrations.core.oauth.OAuthProtocolException;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;

/**
 * Reads the {@code exp} of a ThingsBoard JWT (the expiry is configured per installation, so it is never assumed).
 * The signature is not checked: the token is ThingsBoard's to verify; we only need to know when to renew it.
 */
public final class JwtExpiry {
  private JwtExpiry() {}

  /**
   * @return the token's {@code exp}
   * @throws OAuthProtocolException when the token is not a JWT or has no {@code exp}
   */
  public static Instant of(String token, String what) {
    try {
      Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
      if (exp == null) {
        throw new OAuthProtocolException("ThingsBoard's " + what + " has no exp claim");
      }
      return exp.toInstant();
    } catch (ParseException e) {
      throw new OAuthProtocolException("ThingsBoard's " + what + " is not a JWT");
    }
  }
}
