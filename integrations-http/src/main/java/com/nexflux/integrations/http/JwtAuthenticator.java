package com.nexflux.integrations.http;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link Authenticator} for signed JWTs (nimbus-jose-jwt {@code DefaultJWTProcessor}).
 *
 * <p>Rules, whichever factory is used:
 * <ul>
 *   <li>exactly one family of algorithms per instance: {@link #hs256} accepts HS256 only, {@link #jwks} accepts RS256
 *       and ES256 only, so an HS token can never be checked against an RSA public key (and vice versa);</li>
 *   <li>unsigned ({@code alg=none}) and encrypted tokens are rejected;</li>
 *   <li>{@code sub} and {@code exp} are required; {@code sub} must be a UUID (the NexFlux user id);</li>
 *   <li>{@code exp} and {@code nbf} are checked with {@value #MAX_CLOCK_SKEW_SECONDS} s of clock skew;</li>
 *   <li>when an issuer or audience is configured, {@code iss} must equal it and {@code aud} must contain it.</li>
 * </ul>
 * Every rejection is an {@link UnauthorizedException} with the same generic message; nothing of the token is
 * included. Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class JwtAuthenticator implements Authenticator {

  /** Allowed difference between our clock and the issuer's, for {@code exp} and {@code nbf}. */
  public static final int MAX_CLOCK_SKEW_SECONDS = 60;

  /** The smallest HS256 secret accepted: 256 bits, the HMAC-SHA256 output size (RFC 7518 §3.2). */
  public static final int MIN_HS256_SECRET_BYTES = 32;

  private static final String REJECTED = "invalid bearer token";

  private final DefaultJWTProcessor<SecurityContext> processor;
  /**
   * Tokens verified recently (key: SHA-256 of the token), so a client that sends the same token on every request
   * costs one verification a minute instead of one per request. An entry lives until the token's {@code exp} or
   * one minute, the earlier; failures are never remembered.
   */
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  /** How long a verified token is remembered at most. */
  static final long CACHE_TTL_MS = 60_000;
  static final int CACHE_MAX_ENTRIES = 10_000;

  private record Verified(UserId user, long validUntilMs) {}

  private JwtAuthenticator(DefaultJWTProcessor<SecurityContext> processor) {
    this.processor = processor;
  }

  /**
   * Verifies HS256 tokens signed with a shared secret.
   *
   * @param secret the shared secret, at least {@value #MIN_HS256_SECRET_BYTES} bytes (copied)
   * @param issuer the required {@code iss}, or {@code null} to accept any issuer
   * @param audience the required {@code aud}, or {@code null} to accept any audience
   * @throws IllegalArgumentException when the secret is {@code null} or shorter than 32 bytes
   */
  public static JwtAuthenticator hs256(byte[] secret, String issuer, String audience) {
    requireSecret(secret);
    JWSKeySelector<SecurityContext> selector =
        new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, new SecretKeySpec(secret.clone(), "HmacSHA256"));
    return new JwtAuthenticator(processor(selector, issuer, audience));
  }

  /**
   * Verifies RS256 or ES256 tokens against the public keys published at a JWKS URL. Keys are picked by
   * {@code kid} from that set only (keys named in token headers are ignored). The set is cached (5 min, refreshed
   * ahead of expiry) and re-fetched at most once per 30 s, so tokens with unknown {@code kid}s cannot flood the
   * issuer; one retry on network errors; 500 ms connect/read timeout.
   *
   * @param jwksUrl where the issuer publishes its JSON Web Key Set
   * @param issuer the required {@code iss}, or {@code null} to accept any issuer (not recommended with JWKS)
   * @param audience the required {@code aud}, or {@code null} to accept any audience (not recommended with JWKS)
   */
  public static JwtAuthenticator jwks(URL jwksUrl, String issuer, String audience) {
    Objects.requireNonNull(jwksUrl, "jwksUrl");
    JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwksUrl)
        .cache(true)
        .rateLimited(true)
        .retrying(true)
        .build();
    JWSKeySelector<SecurityContext> selector =
        new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys);
    return new JwtAuthenticator(processor(selector, issuer, audience));
  }

  /**
   * Issues an HS256 token that {@link #hs256} with the same secret, issuer and audience accepts. Meant for the
   * standalone server's development token and for tests; production tokens come from the NexFlux platform.
   *
   * @param secret the shared secret, at least {@value #MIN_HS256_SECRET_BYTES} bytes
   * @param user the subject
   * @param issuer the {@code iss} to set, or {@code null} for none
   * @param audience the {@code aud} to set, or {@code null} for none
   * @param ttl how long the token is valid, positive
   * @return the compact serialisation
   * @throws IllegalArgumentException for a short secret or a non-positive ttl
   */
  public static String issueHs256(byte[] secret, UserId user, String issuer, String audience, Duration ttl) {
    requireSecret(secret);
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .subject(user.value().toString())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString());
    if (issuer != null) {
      claims.issuer(issuer);
    }
    if (audience != null) {
      claims.audience(audience);
    }
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims.build());
    try {
      jwt.sign(new MACSigner(secret.clone()));
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign the token", e);
    }
    return jwt.serialize();
  }

  @Override
  public UserId authenticate(String bearerToken) {
    if (bearerToken == null || bearerToken.isBlank()) {
      throw new UnauthorizedException(REJECTED);
    }
    String key = cacheKey(bearerToken);
    long nowMs = System.currentTimeMillis();
    Verified hit = verified.get(key);
    if (hit != null && hit.validUntilMs() > nowMs) {
      return hit.user();
    }
    Verified fresh = verify(bearerToken, nowMs);
    if (verified.size() >= CACHE_MAX_ENTRIES) {
      verified.clear(); // bounded; a cleared cache only costs re-verification
    }
    verified.put(key, fresh);
    return fresh.user();
  }

  private static String cacheKey(String token) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.Base64.getEncoder().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Verifies a token; @return its user, remembered until {@code exp} or one minute from now, the earlier */
  private Verified verify(String bearerToken, long nowMs) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(bearerToken, null);
    } catch (JWKSetUnavailableException e) {
      // the issuer's key set could not be fetched or parsed: our problem, not the caller's
      throw new UnavailableException("token signing keys are unavailable", e);
    } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
      // no cause attached: nimbus messages may quote claim values
      throw new UnauthorizedException(REJECTED);
    }
    String subject = claims.getSubject();
    if (subject == null || claims.getExpirationTime() == null) {
      throw new UnauthorizedException(REJECTED);
    }
    long validUntil = Math.min(nowMs + CACHE_TTL_MS, claims.getExpirationTime().getTime());
    try {
      return new Verified(UserId.parse(subject), validUntil);
    } catch (UnauthorizedException e) {
      throw new UnauthorizedException(REJECTED);
    }
  }

  private static DefaultJWTProcessor<SecurityContext> processor(
      JWSKeySelector<SecurityContext> selector, String issuer, String audience) {
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    Set<String> required = new LinkedHashSet<>(Set.of("sub", "exp"));
    if (issuer != null) {
      exact.issuer(issuer);
      required.add("iss");
    }
    if (audience != null) {
      required.add("aud");
    }
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        audience == null ? null : Set.of(audience), exact.build(), required, null);
    claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);

    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(selector);
    processor.setJWTClaimsSetVerifier(claims);
    return processor;
  }

  private static void requireSecret(byte[] secret) {
    if (secret == null || secret.length < MIN_HS256_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the HS256 secret must be at least " + MIN_HS256_SECRET_BYTES + " bytes");
    }
  }
}
