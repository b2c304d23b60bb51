package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.Revocation;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.oauth.OAuthClient;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An {@link OAuthClient} that plays a small authorization server in memory, GitHub-like by default.
 *
 * <ul>
 *   <li>{@link #authorizationUrl} builds a real URL and remembers the PKCE challenge per state;
 *       {@link #approve(String)} plays the user consenting and returns a single-use code bound to that challenge.
 *   <li>{@link #exchangeCode} accepts a code once, and only with the verifier whose S256 is the challenge
 *       (otherwise {@link OAuthGrantException}); unknown codes are {@code bad_verification_code}.
 *   <li>{@link #refresh} accepts only a currently valid refresh token; by default it rotates (the old one dies,
 *       so reusing it is {@code invalid_grant}), {@link #setRotateRefreshTokens(boolean) false} answers without a
 *       refresh token (Google-like, the old one stays valid).
 *   <li>Failures can be scripted ({@link #failNextRefreshes}, {@link #failNextExchange}); refreshes can be held
 *       ({@link #holdRefreshes()}) to make concurrency deterministic, or slowed ({@link #setRefreshDelay}).
 *   <li>{@link #clientCredentials} issues a token without a refresh token to a registered client
 *       ({@link #registerClient}); an unknown client or a wrong secret is {@link CredentialsRejectedException}
 *       ({@code invalid_client}); failures can be scripted ({@link #failNextClientCredentials}) and the calls held
 *       ({@link #holdRefreshes()} holds these too).
 *   <li>{@link #revoke} records what was revoked ({@link #revocations()}); {@link #failRevoke} scripts failures.
 * </ul>
 * Issued tokens are {@code at-<n>} and {@code rt-<n>} ({@code cc-<n>} for client credentials); calls are counted.
 * Thread-safe.
 */
public final class ScriptedOAuthClient implements OAuthClient {
  private final Clock clock;
  private final AtomicInteger serial = new AtomicInteger();
  private final AtomicInteger exchangeCalls = new AtomicInteger();
  private final AtomicInteger refreshCalls = new AtomicInteger();
  private final Semaphore refreshEntered = new Semaphore(0);

  // guarded by this
  private final Map<String, String> challengeByState = new HashMap<>();
  private final Map<String, Grant> grantsByCode = new HashMap<>();
  private final Set<String> validRefreshTokens = new HashSet<>();
  private final List<String> receivedRefreshTokens = new ArrayList<>();
  private final List<Secret> receivedVerifiers = new ArrayList<>();
  private final Deque<Supplier<RuntimeException>> refreshFailures = new ArrayDeque<>();
  private final Deque<Supplier<RuntimeException>> exchangeFailures = new ArrayDeque<>();
  private List<String> grantedScopes; // null: the requested ones
  private String lastState;
  private String lastChallenge;
  private String lastNonce;
  private volatile String idToken;

  private volatile Duration tokenLifetime = Duration.ofHours(8);
  private volatile boolean rotateRefreshTokens = true;
  private volatile boolean issueRefreshTokens = true;
  private volatile Duration refreshDelay = Duration.ZERO;
  private volatile CountDownLatch refreshGate;

  private final AtomicInteger clientCredentialsCalls = new AtomicInteger();
  private volatile GrantStrategy.ClientCredentials lastClientCredentialsGrant;
  private final Map<String, String> clients = new HashMap<>(); // guarded by this
  private final Deque<Supplier<RuntimeException>> clientCredentialsFailures = new ArrayDeque<>();
  private final List<Revoked> revocations = new ArrayList<>();
  private volatile Supplier<? extends RuntimeException> revokeFailure;
  private volatile Duration clientTokenLifetime = Duration.ofSeconds(300);

  private record Grant(String challenge, List<String> scopes) {}

  /**
   * One revocation received.
   *
   * @param revocation how
   * @param token the token's text
   * @param kind which token
   */
  public record Revoked(Revocation revocation, String token, Revocation.TokenKind kind) {}

  /** A server whose token expiries are computed from {@code clock}. */
  public ScriptedOAuthClient(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized URI authorizationUrl(OAuthProviderConfig config, String state, String codeChallenge,
      List<String> scopes, String nonce) {
    StringBuilder sb = new StringBuilder(authorizationUrl(config, state, codeChallenge, scopes).toString());
    lastNonce = nonce;
    if (nonce != null) {
      sb.append("&nonce=").append(enc(nonce));
    }
    config.authorizationParameters().forEach((k, v) -> sb.append('&').append(enc(k)).append('=').append(enc(v)));
    return URI.create(sb.toString());
  }

  /** @return the nonce of the last authorization URL, or null */
  public synchronized String lastNonce() {
    return lastNonce;
  }

  /** The {@code id_token} code exchanges answer with (default none). */
  public void setIdToken(String value) {
    this.idToken = value;
  }

  @Override
  public synchronized URI authorizationUrl(OAuthProviderConfig config, String state, String codeChallenge,
      List<String> scopes) {
    challengeByState.put(state, codeChallenge);
    lastState = state;
    lastChallenge = codeChallenge;
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", config.clientId());
    q.put("redirect_uri", config.callbackUrl().toString());
    q.put("scope", String.join(" ", scopes));
    q.put("state", state);
    q.put("code_challenge", codeChallenge);
    q.put("code_challenge_method", "S256");
    StringBuilder sb = new StringBuilder(config.authorizationEndpoint().toString()).append('?');
    q.forEach((k, v) -> sb.append(enc(k)).append('=').append(enc(v)).append('&'));
    sb.setLength(sb.length() - 1);
    return URI.create(sb.toString());
  }

  /** Plays the user consenting to the flow with this state: @return a fresh, single-use authorization code */
  public synchronized String approve(String state) {
    String challenge = challengeByState.get(state);
    if (challenge == null) {
      throw new IllegalStateException("no authorization request with that state");
    }
    String code = "code-" + serial.incrementAndGet();
    grantsByCode.put(code, new Grant(challenge, null));
    return code;
  }

  @Override
  public TokenSet exchangeCode(OAuthProviderConfig config, String code, Secret codeVerifier,
      List<String> requestedScopes) {
    exchangeCalls.incrementAndGet();
    Grant grant;
    synchronized (this) {
      receivedVerifiers.add(codeVerifier);
      Supplier<RuntimeException> failure = exchangeFailures.poll();
      if (failure != null) {
        throw failure.get();
      }
      grant = grantsByCode.remove(code);
      if (grant == null) {
        throw new OAuthGrantException("bad_verification_code");
      }
      if (!grant.challenge().equals(s256(codeVerifier.reveal()))) {
        throw new OAuthGrantException("invalid_grant");
      }
    }
    TokenSet t = issue(grantedScopes() == null ? requestedScopes : grantedScopes(), true);
    String id = idToken;
    return id == null ? t : new TokenSet(t.accessToken(), t.refreshToken(), t.expiresAt(), t.refreshTokenExpiresAt(),
        t.scopes(), Secret.of(id));
  }

  @Override
  public TokenSet refresh(OAuthProviderConfig config, Secret refreshToken) {
    refreshCalls.incrementAndGet();
    refreshEntered.release();
    CountDownLatch gate = refreshGate;
    if (gate != null) {
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("refresh held for too long; did the test release it?");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (!refreshDelay.isZero()) {
      try {
        Thread.sleep(refreshDelay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      receivedRefreshTokens.add(refreshToken.reveal());
      Supplier<RuntimeException> failure = refreshFailures.poll();
      if (failure != null) {
        throw failure.get();
      }
      if (!validRefreshTokens.contains(refreshToken.reveal())) {
        throw new OAuthGrantException("invalid_grant");
      }
      if (rotateRefreshTokens) {
        validRefreshTokens.remove(refreshToken.reveal());
      }
    }
    return issue(List.of(), rotateRefreshTokens);
  }

  @Override
  public TokenSet clientCredentials(GrantStrategy.ClientCredentials grant, String clientId, Secret clientSecret) {
    clientCredentialsCalls.incrementAndGet();
    lastClientCredentialsGrant = grant;
    refreshEntered.release();
    awaitGate();
    synchronized (this) {
      Supplier<RuntimeException> failure = clientCredentialsFailures.poll();
      if (failure != null) {
        throw failure.get();
      }
      String expected = clients.get(clientId);
      if (expected == null || !expected.equals(clientSecret.reveal())) {
        throw new CredentialsRejectedException("invalid_client");
      }
    }
    int n = serial.incrementAndGet();
    return new TokenSet(Secret.of("cc-" + n), null, clock.instant().plus(clientTokenLifetime), null, grant.scopes());
  }

  @Override
  public void revoke(OAuthProviderConfig config, Revocation revocation, Secret token, Revocation.TokenKind kind) {
    if (revocation instanceof Revocation.NotSupported) {
      throw new IllegalArgumentException("nothing to revoke with");
    }
    Supplier<? extends RuntimeException> failure = revokeFailure;
    synchronized (this) {
      revocations.add(new Revoked(revocation, token.reveal(), kind));
    }
    if (failure != null) {
      throw failure.get();
    }
    synchronized (this) {
      validRefreshTokens.remove(token.reveal());
    }
  }

  private void awaitGate() {
    CountDownLatch gate = refreshGate;
    if (gate != null) {
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("call held for too long; did the test release it?");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private TokenSet issue(List<String> scopes, boolean withRefreshToken) {
    int n = serial.incrementAndGet();
    String refresh = null;
    if (withRefreshToken && issueRefreshTokens) {
      refresh = "rt-" + n;
      synchronized (this) {
        validRefreshTokens.add(refresh);
      }
    }
    return new TokenSet(Secret.of("at-" + n), refresh == null ? null : Secret.of(refresh),
        clock.instant().plus(tokenLifetime), refresh == null ? null : clock.instant().plus(Duration.ofDays(180)),
        scopes);
  }

  // ---- scripting ----

  /** Makes {@code refreshToken} one this server accepts (for rows arranged directly in a repository). */
  public synchronized ScriptedOAuthClient registerRefreshToken(String refreshToken) {
    validRefreshTokens.add(refreshToken);
    return this;
  }

  /** Makes {@code clientId}/{@code clientSecret} a client the client credentials grant accepts. */
  public synchronized ScriptedOAuthClient registerClient(String clientId, String clientSecret) {
    clients.put(clientId, clientSecret);
    return this;
  }

  /** Forgets every client: the next client credentials request is {@code invalid_client}. */
  public synchronized void forgetClients() {
    clients.clear();
  }

  /** The next {@code n} client credentials requests fail with {@code failure}. */
  public synchronized void failNextClientCredentials(int n, Supplier<RuntimeException> failure) {
    for (int i = 0; i < n; i++) {
      clientCredentialsFailures.add(failure);
    }
  }

  /** The client credentials tokens' lifetime (default 300 s, like Arduino Cloud's). */
  public void setClientTokenLifetime(Duration lifetime) {
    this.clientTokenLifetime = Objects.requireNonNull(lifetime);
  }

  /** Every revocation fails with this (after being recorded); {@code null}: succeed again. */
  public void failRevoke(Supplier<? extends RuntimeException> failure) {
    this.revokeFailure = failure;
  }

  /** Revokes every refresh token: the next refresh is {@code invalid_grant}. */
  public synchronized void revokeAll() {
    validRefreshTokens.clear();
  }

  /** The next {@code n} refreshes fail with {@code failure} (checked after the held/slow part). */
  public synchronized void failNextRefreshes(int n, Supplier<RuntimeException> failure) {
    for (int i = 0; i < n; i++) {
      refreshFailures.add(failure);
    }
  }

  /** The next code exchange fails with {@code failure}. */
  public synchronized void failNextExchange(Supplier<RuntimeException> failure) {
    exchangeFailures.add(failure);
  }

  /** Whether refreshes rotate the refresh token (default) or answer without one. */
  public void setRotateRefreshTokens(boolean rotate) {
    this.rotateRefreshTokens = rotate;
  }

  /** Whether code exchanges issue a refresh token at all (default true). */
  public void setIssueRefreshTokens(boolean issue) {
    this.issueRefreshTokens = issue;
  }

  /** The access tokens' lifetime (default 8 h). */
  public void setTokenLifetime(Duration lifetime) {
    this.tokenLifetime = Objects.requireNonNull(lifetime);
  }

  /** The scopes the server says it granted (default: the requested ones). */
  public synchronized void setGrantedScopes(List<String> scopes) {
    this.grantedScopes = scopes == null ? null : List.copyOf(scopes);
  }

  /** Slows every refresh down (to widen race windows; never asserted on). */
  public void setRefreshDelay(Duration delay) {
    this.refreshDelay = Objects.requireNonNull(delay);
  }

  /** Holds every refresh call until {@link #releaseRefreshes()}. */
  public void holdRefreshes() {
    this.refreshGate = new CountDownLatch(1);
  }

  /** Lets held refresh calls (and later ones) go on. */
  public void releaseRefreshes() {
    CountDownLatch gate = refreshGate;
    refreshGate = null;
    if (gate != null) {
      gate.countDown();
    }
  }

  /** Waits (up to 30 s) until a refresh call has entered; @throws IllegalStateException when none did */
  public void awaitRefreshEntered() throws InterruptedException {
    if (!refreshEntered.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no refresh call arrived");
    }
  }

  // ---- inspection ----

  /** @return how many code exchanges were attempted */
  public int exchangeCalls() {
    return exchangeCalls.get();
  }

  /** @return the grant of the last client credentials request (with the connection's parameters), or null */
  public GrantStrategy.ClientCredentials lastClientCredentialsGrant() {
    return lastClientCredentialsGrant;
  }

  /** @return how many client credentials requests were attempted */
  public int clientCredentialsCalls() {
    return clientCredentialsCalls.get();
  }

  /** @return the revocations received, in order */
  public synchronized List<Revoked> revocations() {
    return List.copyOf(revocations);
  }

  /** @return the revoked tokens' text, in order */
  public synchronized List<String> revokedTokens() {
    return revocations.stream().map(Revoked::token).toList();
  }

  /** @return how many refreshes were attempted */
  public int refreshCalls() {
    return refreshCalls.get();
  }

  /** @return the refresh tokens received, in order */
  public synchronized List<String> receivedRefreshTokens() {
    return List.copyOf(receivedRefreshTokens);
  }

  /** @return the PKCE verifiers received at code exchange, in order */
  public synchronized List<Secret> receivedVerifiers() {
    return List.copyOf(receivedVerifiers);
  }

  /** @return the state of the last authorization URL built */
  public synchronized String lastState() {
    return lastState;
  }

  /** @return the PKCE challenge of the last authorization URL built */
  public synchronized String lastChallenge() {
    return lastChallenge;
  }

  private synchronized List<String> grantedScopes() {
    return grantedScopes;
  }

  /** @return the decoded query parameters of a URL */
  public static Map<String, String> queryOf(URI url) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = url.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** @return base64url (no padding) of SHA-256 of the ASCII text: the PKCE S256 transform */
  public static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
