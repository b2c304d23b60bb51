package com.nexflux.integrations.providers.oauth;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.IdTokenClaims;
import com.nexflux.integrations.core.oauth.IdTokenRejectedException;
import com.nexflux.integrations.core.oauth.IdTokenVerifier;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * The core's {@link IdTokenVerifier} on nimbus-jose-jwt.
 *
 * <p>Keys come from the provider's {@link OAuthProviderConfig.Oidc#jwksUri()} through one nimbus
 * {@code JWKSourceBuilder} source per URI: cached (5 minutes, refreshed when a token names an unknown {@code kid}, so
 * key rotation works), rate limited (at most one fetch per 30 s, so forged {@code kid}s cannot flood the provider),
 * fetched through the given (guarded) OkHttp client with a 256 KiB limit. The JWKS URI is configuration, never taken from a token.
 *
 * <p>Checks, in order, each failure an {@link IdTokenRejectedException} naming it: {@code malformed} (not a compact
 * JWS), {@code alg} (only RS256/384/512, PS256/384/512 and ES256/384/512: never {@code none} or HMAC),
 * {@code signature} (no key of the JWKS verifies it), {@code iss} (exactly one of the provider's issuers),
 * {@code aud} (contains our client id), {@code azp} (equal to our client id when present; required when {@code aud}
 * names other clients too), {@code exp} (required, in the future), {@code iat} (required, not in the future), both
 * with {@value #CLOCK_SKEW_SECONDS} s of clock skew, {@code sub} (required), {@code nonce} (required; its SHA-256
 * equals the stored hash, compared in constant time). A JWKS that cannot be fetched is an
 * {@link UnavailableException}. {@code email} is returned only when {@code email_verified} is {@code true}.
 * Nothing is logged; no message contains the token. Thread-safe; share one instance.
 */
public final class NimbusIdTokenVerifier implements IdTokenVerifier {
  /** The clock skew allowed on {@code exp} and {@code iat}. */
  public static final long CLOCK_SKEW_SECONDS = 60;

  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
      JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  private static final int JWKS_SIZE_LIMIT = 256 * 1024;

  private final Clock clock;
  private final OkHttpResourceRetriever retriever;
  private final Map<URI, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

  /**
   * @param http the client JWKS documents are fetched with: give it the guarded fixed-host client of the providers'
   *     JWKS hosts ({@code OutboundHttpClients.forFixedHosts}); its timeouts bound each fetch
   */
  public NimbusIdTokenVerifier(OkHttpClient http, Clock clock) {
    this.retriever = new OkHttpResourceRetriever(Objects.requireNonNull(http, "http"), JWKS_SIZE_LIMIT);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public IdTokenClaims verify(OAuthProviderConfig config, Secret idToken, String nonceHash) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(idToken, "idToken");
    Objects.requireNonNull(nonceHash, "nonceHash");
    if (!config.isOidc()) {
      throw new IllegalArgumentException(config.provider().key() + " is not an OIDC provider");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(idToken.reveal());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new IdTokenRejectedException("malformed");
    }
    JWSHeader header = jwt.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      throw new IdTokenRejectedException("alg");
    }
    checkSignature(config, jwt, header);
    checkClaims(config, claims, nonceHash);
    try {
      Object verified = claims.getClaim("email_verified");
      boolean emailVerified = Boolean.TRUE.equals(verified) || "true".equals(verified);
      String email = claims.getStringClaim("email");
      return new IdTokenClaims(claims.getIssuer(), claims.getSubject(), emailVerified ? email : null,
          claims.getStringClaim("name"), claims.getStringClaim("picture"));
    } catch (ParseException e) {
      throw new IdTokenRejectedException("malformed");
    }
  }

  private void checkSignature(OAuthProviderConfig config, SignedJWT jwt, JWSHeader header) {
    JWKSource<SecurityContext> source = sources.computeIfAbsent(config.oidc().jwksUri(), this::source);
    List<? extends Key> keys;
    try {
      keys = new JWSVerificationKeySelector<>(header.getAlgorithm(), source).selectJWSKeys(header, null);
    } catch (KeySourceException e) {
      throw new UnavailableException("The provider's signing keys could not be fetched ("
          + e.getClass().getSimpleName() + ")", null);
    }
    for (Key key : keys) {
      try {
        JWSVerifier verifier = verifiers.createJWSVerifier(header, key);
        if (jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException | IllegalStateException e) {
        // try the next key
      }
    }
    throw new IdTokenRejectedException("signature");
  }

  private void checkClaims(OAuthProviderConfig config, JWTClaimsSet claims, String nonceHash) {
    if (!config.isIssuer(claims.getIssuer())) {
      throw new IdTokenRejectedException("iss");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(config.clientId())) {
      throw new IdTokenRejectedException("aud");
    }
    String azp;
    try {
      azp = claims.getStringClaim("azp");
    } catch (ParseException e) {
      throw new IdTokenRejectedException("azp");
    }
    if ((azp != null && !azp.equals(config.clientId())) || (azp == null && audience.size() > 1)) {
      throw new IdTokenRejectedException("azp");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null || !now.minusSeconds(CLOCK_SKEW_SECONDS).isBefore(exp.toInstant())) {
      throw new IdTokenRejectedException("exp");
    }
    Date iat = claims.getIssueTime();
    if (iat == null || iat.toInstant().isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS))) {
      throw new IdTokenRejectedException("iat");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS))) {
      throw new IdTokenRejectedException("nbf");
    }
    if (claims.getSubject() == null || claims.getSubject().isBlank()) {
      throw new IdTokenRejectedException("sub");
    }
    String nonce;
    try {
      nonce = claims.getStringClaim("nonce");
    } catch (ParseException e) {
      throw new IdTokenRejectedException("nonce");
    }
    if (nonce == null || !MessageDigest.isEqual(sha256Hex(nonce).getBytes(StandardCharsets.US_ASCII),
        nonceHash.getBytes(StandardCharsets.US_ASCII))) {
      throw new IdTokenRejectedException("nonce");
    }
  }

  private JWKSource<SecurityContext> source(URI jwksUri) {
    try {
      return JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(), retriever)
          .cache(true)
          .rateLimited(true)
          .retrying(false)
          .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the JWKS URI is not a URL");
    }
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "NimbusIdTokenVerifier";
  }
}
