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
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link Authenticator} for signed JWTs (nimbus-jose-jwt {@code DefaultJWTProcessor}).
 *
 * <p>Rules, whichever factory is used:
 * <ul>
 *   <li>exactly one family of algorithms per instance: {@link #hs256} accepts HS256 only, {@link #jwks} accepts RS256
 *       and ES256 only, so an HS token can never be checked against an RSA public key (and vice versa);</li>
 *   <li>unsigned ({@code alg=none}) and encrypted tokens are rejected;</li>
 *   <li>the JOSE header {@code typ} must be absent, {@code JWT} (RFC 7519) or {@code at+jwt} (RFC 9068 access
 *       tokens), compared case-insensitively; any other type (an ID token's, a logout token's, {@code JOSE}...) is
 *       rejected, so a token minted for another purpose cannot be replayed as an access token;</li>
 *   <li>a token whose header carries {@code jku}, {@code jwk} or {@code x5u} is rejected even when its signature
 *       verifies: keys come only from the configured secret or JWKS URL, and a token that points at its own key
 *       material is treated as an attack, not ignored;</li>
 *   <li>{@code sub} and {@code exp} are required; {@code sub} must be a UUID (the NexFlux user id);</li>
 *   <li>{@code exp} and {@code nbf} are checked with {@value #MAX_CLOCK_SKEW_SECONDS} s of clock skew;</li>
 *   <li>when an issuer or audience is configured, {@code iss} must equal it and {@code aud} must contain it; the
 *       {@link #jwks} factory requires both.</li>
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

  /** The RFC 9068 {@code typ} of JWT access tokens. */
  public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

  /**
   * Accepted {@code typ} values: absent ({@code null}), {@code JWT} and {@code at+jwt}. Nimbus' default verifier
   * accepts only {@code JWT} and absent; {@code at+jwt} is added for issuers that follow RFC 9068, and absent stays
   * accepted because many platform issuers omit {@code typ}. {@link JOSEObjectType} compares case-insensitively.
   */
  static final Set<JOSEObjectType> ACCEPTED_TYPES =
      Collections.unmodifiableSet(new HashSet<>(Arrays.asList(JOSEObjectType.JWT, ACCESS_TOKEN_TYPE, null)));

  /** JOSE header parameters that name or carry a verification key; a token with any of them is rejected. */
  public static final Set<String> REFUSED_HEADER_PARAMETERS = Set.of("jku", "jwk", "x5u");

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

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
   * {@code kid} from that set only (tokens naming keys in their headers are rejected). The set is cached (5 min,
   * refreshed ahead of expiry) and re-fetched at most once per 30 s, so tokens with unknown {@code kid}s cannot flood
   * the issuer; one retry on network errors; 500 ms connect/read timeout. Nothing is fetched here: the first token
   * triggers the first fetch.
   *
   * @param jwksUrl where the issuer publishes its JSON Web Key Set: {@code https}, or {@code http} only when the
   *     host is a loopback address ({@code 127.0.0.0/8}, {@code [::1]}) or {@code localhost}; see
   *     {@link #checkJwksUrl}
   * @param issuer the required {@code iss}: with keys fetched from a URL, anyone that URL trusts must not be able to
   *     mint tokens for this service, so it is mandatory
   * @param audience the required {@code aud}, mandatory for the same reason
   * @throws IllegalArgumentException for a URL {@link #checkJwksUrl} refuses or a missing issuer or audience; the
   *     message never repeats the URL (it may carry credentials)
   */
  public static JwtAuthenticator jwks(URL jwksUrl, String issuer, String audience) {
    Objects.requireNonNull(jwksUrl, "jwksUrl");
    checkJwksUrl(jwksUrl);
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("a JWKS authenticator needs the required issuer (iss)");
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("a JWKS authenticator needs the required audience (aud)");
    }
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
   * Checks that a JWKS URL may be used, without connecting anywhere or resolving a name: the scheme must be
   * {@code https}; {@code http} is accepted only for a loopback host written as an IPv4 literal in
   * {@code 127.0.0.0/8}, an IPv6 literal such as {@code [::1]}, or the name {@code localhost} (tests and local
   * development). A host name other than {@code localhost} is never looked up here.
   *
   * @throws IllegalArgumentException when the URL is refused; the message does not repeat the URL
   */
  public static void checkJwksUrl(URL jwksUrl) {
    Objects.requireNonNull(jwksUrl, "jwksUrl");
    String host = jwksUrl.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the JWKS URL must name a host");
    }
    String scheme = jwksUrl.getProtocol().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && isLoopbackHost(host)) {
      return;
    }
    throw new IllegalArgumentException(
        "the JWKS URL must be an https URL (plain http is accepted only for a loopback address)");
  }

  /** Whether {@code host} (as {@link URL#getHost} gives it) is a loopback literal or {@code localhost}; no DNS. */
  static boolean isLoopbackHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    Matcher v4 = IPV4.matcher(h);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          return false;
        }
      }
      return Integer.parseInt(v4.group(1)) == 127;
    }
    if (h.length() > 2 && h.startsWith("[") && h.endsWith("]")) {
      try {
        // a bracketed name is parsed as an IPv6 literal only; the JDK never resolves it
        return InetAddress.getByName(h).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
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
      JWT jwt = JWTParser.parse(bearerToken);
      if (jwt instanceof SignedJWT signed && namesItsOwnKey(signed.getHeader())) {
        throw new UnauthorizedException(REJECTED);
      }
      claims = processor.process(jwt, null);
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

  /** Whether the header carries {@code jku}, {@code jwk} or {@code x5u} (checked by name and by parsed value). */
  private static boolean namesItsOwnKey(JWSHeader header) {
    if (header.getJWKURL() != null || header.getJWK() != null || header.getX509CertURL() != null) {
      return true;
    }
    for (String name : header.getIncludedParams()) {
      if (REFUSED_HEADER_PARAMETERS.contains(name)) {
        return true;
      }
    }
    return false;
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
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(ACCEPTED_TYPES));
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
