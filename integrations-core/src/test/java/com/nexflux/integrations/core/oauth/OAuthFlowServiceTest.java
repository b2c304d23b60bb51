package com.nexflux.integrations.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.oauth.OAuthFlowService.Codes;
import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.OAuthFlows.Callback;
import com.nexflux.integrations.core.oauth.OAuthFlows.StartedFlow;
import com.nexflux.integrations.core.testing.AesGcmTestCipher;
import com.nexflux.integrations.core.testing.InMemoryAuditLog;
import com.nexflux.integrations.core.testing.InMemoryFlowStore;
import com.nexflux.integrations.core.testing.InMemoryIdentities;
import com.nexflux.integrations.core.testing.InMemoryOAuthConnections;
import com.nexflux.integrations.core.testing.InMemoryUserDirectory;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.core.testing.ScriptedOAuthClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OAuthFlowServiceTest {
  static final URI FRONTEND = URI.create("https://app.nexflux.example/settings/integrations");
  static final String BASE64URL_256_BITS = "[A-Za-z0-9_-]{43}";
  static final OAuthProviderConfig GITHUB = new OAuthProviderConfig(Provider.GITHUB, "gh-client",
      Secret.of("gh-client-secret"), URI.create("https://github.com/login/oauth/authorize"),
      URI.create("https://github.com/login/oauth/access_token"),
      URI.create("https://api.nexflux.example/api/v1/integrations/github/callback"),
      List.of("repo", "read:user", "user:email"), List.of("read:user", "user:email"),
      URI.create("https://api.github.com"));
  static final OAuthProviderConfig GOOGLE = new OAuthProviderConfig(Provider.GOOGLE, "g-client",
      Secret.of("g-client-secret"), URI.create("https://accounts.google.com/o/oauth2/v2/auth"),
      URI.create("https://oauth2.googleapis.com/token"),
      URI.create("https://api.nexflux.example/api/v1/integrations/google/callback"),
      List.of("drive.file"), List.of("openid", "email"), URI.create("https://www.googleapis.com"));
  static final Map<Provider, Map<String, Object>> INITIAL = Map.of(Provider.GITHUB,
      Map.of("auto_sync", false, "selected_repos", List.of()));

  final UserId alice = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
  final UserId bob = new UserId(UUID.fromString("00000000-0000-4000-8000-000000000b0b"));
  final RequestContext ctx = new RequestContext("req-1", "198.51.100.23", "JUnit/5");

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryFlowStore flows;
  InMemoryOAuthConnections connections;
  InMemoryUserDirectory users;
  InMemoryIdentities identities;
  ScriptedOAuthClient client;
  AesGcmTestCipher cipher;
  List<Secret> resolvedTokens;
  volatile ConnectedAccounts.Account account;
  volatile Supplier<RuntimeException> accountFailure;
  List<SignIn> signIns;
  OAuthFlowService service;

  record SignIn(UserId user, Provider provider, String login, boolean newUser) {}

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    flows = new InMemoryFlowStore();
    connections = new InMemoryOAuthConnections(audit);
    users = new InMemoryUserDirectory();
    identities = new InMemoryIdentities(users);
    client = new ScriptedOAuthClient(clock);
    cipher = new AesGcmTestCipher();
    resolvedTokens = new CopyOnWriteArrayList<>();
    account = octocat();
    signIns = new CopyOnWriteArrayList<>();
    service = service(FRONTEND, signInCompletion());
  }

  static ConnectedAccounts.Account octocat() {
    return new ConnectedAccounts.Account("4242", "octocat", Map.of("username", "octocat",
        "avatar_url", "https://avatars.example/u/4242", "email", "octo@example.com"));
  }

  SignInCompletion signInCompletion() {
    return (user, provider, login, newUser) -> {
      signIns.add(new SignIn(user, provider, login, newUser));
      return URI.create("https://app.nexflux.example/#token=session-" + user);
    };
  }

  OAuthFlowService service(URI frontend, SignInCompletion signIn) {
    ConnectedAccounts accounts = (provider, token) -> {
      resolvedTokens.add(token);
      Supplier<RuntimeException> failure = accountFailure;
      if (failure != null) {
        throw failure.get();
      }
      return account;
    };
    return new OAuthFlowService(Map.of(Provider.GITHUB, GITHUB, Provider.GOOGLE, GOOGLE), client, flows,
        connections, identities, accounts, signIn, cipher, audit, clock, frontend, INITIAL,
        (config, token, nonceHash) -> {
          throw new AssertionError("GitHub is not OIDC: no id_token is verified");
        }, java.util.Set.of(Provider.GITHUB), null);
  }

  StartedFlow startLink(UserId user) {
    return service.start(Provider.GITHUB, Optional.of(user), true, ctx);
  }

  static String stateOf(StartedFlow started) {
    return ScriptedOAuthClient.queryOf(started.authorizationUrl()).get("state");
  }

  /** The browser comes back from the provider after the user consented. */
  URI consentAndReturn(StartedFlow started) {
    String state = stateOf(started);
    return service.complete(Provider.GITHUB, new Callback(state, client.approve(state), null),
        started.cookieValue(), ctx);
  }

  static URI error(String code) {
    return URI.create(FRONTEND + "?integration=github&status=error&code=" + code);
  }

  static URI connected() {
    return URI.create(FRONTEND + "?integration=github&status=connected");
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  void assertFailureAudited(UserId user, String action, String code) {
    List<AuditEvent> events = audit.events(user);
    assertThat(events).hasSize(1);
    AuditEvent e = events.get(0);
    assertThat(e.action()).isEqualTo(action);
    assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
    assertThat(e.reason()).isEqualTo(code);
    assertThat(e.provider()).isEqualTo(Provider.GITHUB);
    assertThat(e.context()).isEqualTo(ctx);
  }

  @Nested
  class Starting {
    @Test
    void state_and_cookie_are_256_random_bits_base64url_and_differ_per_flow() {
      StartedFlow a = startLink(alice);
      StartedFlow b = startLink(alice);

      for (StartedFlow f : List.of(a, b)) {
        assertThat(stateOf(f)).matches(BASE64URL_256_BITS);
        assertThat(Base64.getUrlDecoder().decode(stateOf(f))).hasSize(32);
        assertThat(f.cookieValue()).matches(BASE64URL_256_BITS);
        assertThat(Base64.getUrlDecoder().decode(f.cookieValue())).hasSize(32);
        assertThat(f.cookieValue()).isNotEqualTo(stateOf(f));
      }
      assertThat(stateOf(a)).isNotEqualTo(stateOf(b));
      assertThat(a.cookieValue()).isNotEqualTo(b.cookieValue());
    }

    @Test
    void the_authorization_url_asks_for_code_with_pkce_s256_and_the_configured_callback() {
      StartedFlow f = startLink(alice);

      Map<String, String> q = ScriptedOAuthClient.queryOf(f.authorizationUrl());
      assertThat(f.authorizationUrl().toString()).startsWith("https://github.com/login/oauth/authorize?");
      assertThat(q).containsEntry("response_type", "code")
          .containsEntry("client_id", "gh-client")
          .containsEntry("redirect_uri", GITHUB.callbackUrl().toString())
          .containsEntry("scope", "repo read:user user:email")
          .containsEntry("code_challenge_method", "S256");
      assertThat(q.get("code_challenge")).matches(BASE64URL_256_BITS);
    }

    @Test
    void the_cookie_is_host_prefixed_over_https_and_lives_as_long_as_the_flow() {
      StartedFlow secure = startLink(alice);
      StartedFlow plain = service.start(Provider.GITHUB, Optional.of(alice), false, ctx);

      assertThat(secure.cookieName()).isEqualTo("__Host-nexflux_oauth_github");
      assertThat(secure.secureCookie()).isTrue();
      assertThat(plain.cookieName()).isEqualTo("nexflux_oauth_github");
      assertThat(plain.secureCookie()).isFalse();
      assertThat(secure.cookieMaxAge()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void only_hashes_are_stored_and_the_verifier_is_encrypted_bound_to_the_flow() {
      StartedFlow f = startLink(alice);
      String state = stateOf(f);

      assertThat(flows.size()).isEqualTo(1);
      PendingAuthorization stored = flows.snapshot().get(0);
      assertThat(stored.stateHash()).isEqualTo(sha256Hex(state));
      assertThat(stored.browserBindingHash()).isEqualTo(sha256Hex(f.cookieValue()));
      assertThat(stored.provider()).isEqualTo(Provider.GITHUB);
      assertThat(stored.purpose()).isEqualTo(FlowPurpose.LINK);
      assertThat(stored.userId()).isEqualTo(alice);
      assertThat(stored.redirectUri()).isEqualTo(GITHUB.callbackUrl());
      assertThat(stored.scopes()).isEqualTo(GITHUB.connectScopes());
      assertThat(stored.createdAt()).isEqualTo(clock.instant());
      assertThat(stored.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));

      Secret verifier = cipher.decrypt(stored.codeVerifier(), new SecretContext(alice, Provider.GITHUB,
          PendingAuthorization.verifierContextField(stored.stateHash())));
      assertThat(ScriptedOAuthClient.s256(verifier.reveal())).isEqualTo(client.lastChallenge());
      assertThatThrownBy(() -> cipher.decrypt(stored.codeVerifier(), new SecretContext(bob, Provider.GITHUB,
          PendingAuthorization.verifierContextField(stored.stateHash()))))
          .isInstanceOf(SecretUnreadableException.class);

      String everythingStored = String.join("|", stored.stateHash(), stored.browserBindingHash(),
          stored.codeVerifier().ciphertext(), stored.redirectUri().toString(), stored.toString(),
          String.valueOf(stored.scopes()));
      assertThat(everythingStored).doesNotContain(state).doesNotContain(f.cookieValue())
          .doesNotContain(verifier.reveal());
    }

    @Test
    void a_sign_in_flow_has_no_user_and_asks_for_the_sign_in_scopes() {
      StartedFlow f = service.start(Provider.GITHUB, Optional.empty(), true, ctx);

      PendingAuthorization stored = flows.snapshot().get(0);
      assertThat(stored.purpose()).isEqualTo(FlowPurpose.SIGN_IN);
      assertThat(stored.userId()).isNull();
      assertThat(ScriptedOAuthClient.queryOf(f.authorizationUrl())).containsEntry("scope", "read:user user:email");
    }

    @Test
    void an_unconfigured_provider_is_refused_at_start_and_at_the_callback() {
      assertThatThrownBy(() -> service.start(Provider.ONEDRIVE, Optional.of(alice), true, ctx))
          .isInstanceOf(NotConfiguredException.class);
      assertThatThrownBy(() -> service.complete(Provider.ONEDRIVE, new Callback("s", "c", null), "k", ctx))
          .isInstanceOf(NotConfiguredException.class);
      assertThat(flows.size()).isZero();
    }

    @Test
    void sign_in_is_refused_at_start_when_the_server_has_no_sign_in_completion() {
      OAuthFlowService noSignIn = service(FRONTEND, null);

      assertThatThrownBy(() -> noSignIn.start(Provider.GITHUB, Optional.empty(), true, ctx))
          .isInstanceOf(NotConfiguredException.class)
          .hasMessageContaining(Codes.SIGN_IN_NOT_AVAILABLE);
      assertThat(flows.size()).isZero();
    }
  }

  @Nested
  class Linking {
    @Test
    void success_stores_encrypted_tokens_with_scopes_expiry_and_profile_and_creates_no_sign_in_identity() {
      StartedFlow f = startLink(alice);

      URI redirect = consentAndReturn(f);

      assertThat(redirect).isEqualTo(connected());
      OAuthConnection c = connections.stored(alice, Provider.GITHUB).orElseThrow();
      assertThat(c.status()).isEqualTo(ConnectionStatus.CONNECTED);
      assertThat(c.accountId()).isEqualTo("4242");
      assertThat(c.scopes()).containsExactly("repo", "read:user", "user:email");
      assertThat(c.tokenExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
      assertThat(c.refreshTokenExpiresAt()).isNotNull();
      assertThat(c.connectedAt()).isEqualTo(clock.instant());
      assertThat(c.config()).containsEntry("username", "octocat")
          .containsEntry("avatar_url", "https://avatars.example/u/4242")
          .containsEntry("email", "octo@example.com")
          .containsEntry("auto_sync", false)
          .containsEntry("selected_repos", List.of())
          .containsEntry("scopes", List.of("repo", "read:user", "user:email"));

      Secret issuedAccess = resolvedTokens.get(0);
      SecretContext accessCtx = new SecretContext(alice, Provider.GITHUB, OAuthConnection.ACCESS_TOKEN_FIELD);
      SecretContext refreshCtx = new SecretContext(alice, Provider.GITHUB, OAuthConnection.REFRESH_TOKEN_FIELD);
      assertThat(c.accessToken().ciphertext()).isNotEqualTo(issuedAccess.reveal())
          .doesNotContain(issuedAccess.reveal());
      assertThat(cipher.decrypt(c.accessToken(), accessCtx)).isEqualTo(issuedAccess);
      Secret refresh = cipher.decrypt(c.refreshToken(), refreshCtx);
      assertThat(refresh.reveal()).startsWith("rt-");
      assertThat(c.refreshToken().ciphertext()).doesNotContain(refresh.reveal());
      // bound to their row and field: another user's context or the other field cannot read them
      assertThatThrownBy(() -> cipher.decrypt(c.accessToken(),
          new SecretContext(bob, Provider.GITHUB, OAuthConnection.ACCESS_TOKEN_FIELD)))
          .isInstanceOf(SecretUnreadableException.class);
      assertThatThrownBy(() -> cipher.decrypt(c.accessToken(), refreshCtx))
          .isInstanceOf(SecretUnreadableException.class);

      // connecting an integration is not signing in: no identity is linked
      assertThat(identities.findUser(Provider.GITHUB, "4242")).isEmpty();
      assertThat(identities.size()).isZero();
      AuditEvent e = audit.events(alice).get(0);
      assertThat(e.action()).isEqualTo(AuditEvent.Actions.CONNECT);
      assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
      assertThat(e.details()).containsEntry("account_login", "octocat")
          .containsEntry("scopes", "repo read:user user:email");
      assertThat(e.toString()).doesNotContain(issuedAccess.reveal()).doesNotContain(refresh.reveal());
      assertThat(flows.size()).isZero();
    }

    @Test
    void the_verifier_the_provider_receives_is_the_one_whose_s256_was_in_the_authorization_url() {
      StartedFlow f = startLink(alice);
      String challenge = ScriptedOAuthClient.queryOf(f.authorizationUrl()).get("code_challenge");

      consentAndReturn(f);

      assertThat(client.receivedVerifiers()).hasSize(1);
      String verifier = client.receivedVerifiers().get(0).reveal();
      assertThat(verifier).matches(BASE64URL_256_BITS); // 43 chars, within RFC 7636's 43-128
      assertThat(ScriptedOAuthClient.s256(verifier)).isEqualTo(challenge);
    }

    @Test
    void start_and_callback_may_reach_different_instances() {
      OAuthFlowService instanceA = service(FRONTEND, signInCompletion());
      OAuthFlowService instanceB = service(FRONTEND, signInCompletion());
      StartedFlow f = instanceA.start(Provider.GITHUB, Optional.of(alice), true, ctx);
      String state = stateOf(f);

      URI redirect = instanceB.complete(Provider.GITHUB, new Callback(state, client.approve(state), null),
          f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(connected());
      assertThat(connections.stored(alice, Provider.GITHUB)).isPresent();
    }

    @Test
    void reconnecting_the_same_account_keeps_the_users_settings_and_replaces_the_tokens() {
      consentAndReturn(startLink(alice));
      OAuthConnection first = connections.modify(alice, Provider.GITHUB, c -> c.withConfig(
          merged(c.config(), Map.of("auto_sync", true, "selected_repos", List.of(11L, 12L))), clock.instant()));

      clock.advance(Duration.ofHours(1));
      consentAndReturn(startLink(alice));

      OAuthConnection second = connections.stored(alice, Provider.GITHUB).orElseThrow();
      assertThat(second.config()).containsEntry("auto_sync", true)
          .containsEntry("selected_repos", List.of(11L, 12L))
          .containsEntry("username", "octocat");
      assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
      assertThat(second.credentialsVersion()).isGreaterThan(first.credentialsVersion());
      assertThat(audit.events(alice).get(0).details()).containsEntry("reconnect", "true");
    }

    @Test
    void connecting_another_account_starts_from_the_initial_settings() {
      consentAndReturn(startLink(alice));
      connections.modify(alice, Provider.GITHUB, c -> c.withConfig(
          merged(c.config(), Map.of("auto_sync", true, "selected_repos", List.of(11L))), clock.instant()));
      account = new ConnectedAccounts.Account("9999", "other", Map.of("username", "other"));

      consentAndReturn(startLink(alice));

      OAuthConnection c = connections.stored(alice, Provider.GITHUB).orElseThrow();
      assertThat(c.accountId()).isEqualTo("9999");
      assertThat(c.config()).containsEntry("auto_sync", false).containsEntry("selected_repos", List.of())
          .containsEntry("username", "other").doesNotContainKey("email");
    }

    @Test
    void granted_scopes_narrower_than_requested_are_stored_as_granted() {
      client.setGrantedScopes(List.of("read:user"));

      consentAndReturn(startLink(alice));

      OAuthConnection c = connections.stored(alice, Provider.GITHUB).orElseThrow();
      assertThat(c.scopes()).containsExactly("read:user");
      assertThat(c.config()).containsEntry("scopes", List.of("read:user"));
    }

    @Test
    void a_token_without_refresh_token_or_expiry_is_stored_as_such() {
      client.setIssueRefreshTokens(false);

      consentAndReturn(startLink(alice));

      OAuthConnection c = connections.stored(alice, Provider.GITHUB).orElseThrow();
      assertThat(c.refreshToken()).isNull();
      assertThat(c.refreshTokenExpiresAt()).isNull();
    }

    Map<String, Object> merged(Map<String, Object> base, Map<String, Object> changes) {
      Map<String, Object> m = new java.util.LinkedHashMap<>(base);
      m.putAll(changes);
      return m;
    }
  }

  @Nested
  class RejectedCallbacks {
    void assertNothingStored() {
      assertThat(connections.size()).isZero();
      assertThat(identities.size()).isZero();
    }

    @Test
    void a_missing_state_is_invalid_and_nothing_is_consumed_or_stored() {
      startLink(alice);

      URI redirect = service.complete(Provider.GITHUB, new Callback(null, "code", null), "cookie", ctx);

      assertThat(redirect).isEqualTo(error(Codes.INVALID_STATE));
      assertThat(flows.consumeCalls()).isZero();
      assertThat(client.exchangeCalls()).isZero();
      assertThat(audit.size()).isZero(); // no user is known: logged only
      assertNothingStored();
    }

    @Test
    void an_unknown_state_is_invalid() {
      URI redirect = service.complete(Provider.GITHUB, new Callback("made-up-state", "code", null), "cookie", ctx);

      assertThat(redirect).isEqualTo(error(Codes.INVALID_STATE));
      assertThat(client.exchangeCalls()).isZero();
      assertThat(audit.size()).isZero();
      assertNothingStored();
    }

    @Test
    void a_replayed_state_is_refused_and_the_provider_sees_one_exchange() {
      StartedFlow f = startLink(alice);
      String state = stateOf(f);
      assertThat(consentAndReturn(f)).isEqualTo(connected());
      OAuthConnection stored = connections.stored(alice, Provider.GITHUB).orElseThrow();
      audit.clear();

      URI replay = service.complete(Provider.GITHUB, new Callback(state, client.approve(state), null),
          f.cookieValue(), ctx);

      assertThat(replay).isEqualTo(error(Codes.INVALID_STATE));
      assertThat(client.exchangeCalls()).isEqualTo(1);
      assertThat(connections.stored(alice, Provider.GITHUB)).contains(stored);
    }

    @Test
    void an_expired_state_is_refused_without_exchange_and_audited() {
      StartedFlow f = startLink(alice);
      clock.advance(Duration.ofMinutes(11));

      URI redirect = consentAndReturn(f);

      assertThat(redirect).isEqualTo(error(Codes.EXPIRED_STATE));
      assertThat(client.exchangeCalls()).isZero();
      assertThat(flows.size()).isZero(); // consumed anyway
      assertFailureAudited(alice, AuditEvent.Actions.CONNECT, Codes.EXPIRED_STATE);
      assertNothingStored();
    }

    @Test
    void a_state_still_valid_at_nine_minutes_completes() {
      StartedFlow f = startLink(alice);
      clock.advance(Duration.ofMinutes(9));

      assertThat(consentAndReturn(f)).isEqualTo(connected());
    }

    @Test
    void a_state_issued_for_another_provider_is_refused_and_dies() {
      StartedFlow google = service.start(Provider.GOOGLE, Optional.of(alice), true, ctx);
      String state = stateOf(google);
      String code = client.approve(state);

      URI onGithub = service.complete(Provider.GITHUB, new Callback(state, code, null), google.cookieValue(), ctx);
      URI thenOnGoogle = service.complete(Provider.GOOGLE, new Callback(state, code, null), google.cookieValue(),
          ctx);

      assertThat(onGithub).isEqualTo(error(Codes.INVALID_STATE));
      assertThat(thenOnGoogle.toString()).endsWith("status=error&code=" + Codes.INVALID_STATE);
      assertThat(client.exchangeCalls()).isZero();
      assertThat(audit.events(alice).get(audit.events(alice).size() - 1).details())
          .containsEntry("flow_provider", "google");
      assertNothingStored();
    }

    @Test
    void a_missing_cookie_is_a_browser_mismatch_and_the_state_is_spent() {
      StartedFlow f = startLink(alice);
      String state = stateOf(f);
      String code = client.approve(state);

      URI redirect = service.complete(Provider.GITHUB, new Callback(state, code, null), null, ctx);
      URI retryWithCookie = service.complete(Provider.GITHUB, new Callback(state, code, null), f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.BROWSER_MISMATCH));
      assertThat(retryWithCookie).isEqualTo(error(Codes.INVALID_STATE));
      assertThat(client.exchangeCalls()).isZero();
      assertFailureAudited(alice, AuditEvent.Actions.CONNECT, Codes.BROWSER_MISMATCH);
      assertNothingStored();
    }

    @Test
    void another_browsers_cookie_is_refused_so_a_victim_cannot_complete_an_attackers_flow() {
      // the attacker (bob) starts a connect as himself and lures alice's browser through the consent
      StartedFlow attackers = startLink(bob);
      StartedFlow alicesOwn = startLink(alice);
      String state = stateOf(attackers);

      URI redirect = service.complete(Provider.GITHUB, new Callback(state, client.approve(state), null),
          alicesOwn.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.BROWSER_MISMATCH));
      assertThat(client.exchangeCalls()).isZero();
      assertFailureAudited(bob, AuditEvent.Actions.CONNECT, Codes.BROWSER_MISMATCH);
      assertThat(audit.events(alice)).isEmpty();
      assertNothingStored();
    }

    @Test
    void access_denied_at_the_provider_stores_nothing_and_is_audited() {
      StartedFlow f = startLink(alice);

      URI redirect = service.complete(Provider.GITHUB, new Callback(stateOf(f), null, "access_denied"),
          f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.ACCESS_DENIED));
      assertThat(client.exchangeCalls()).isZero();
      assertFailureAudited(alice, AuditEvent.Actions.CONNECT, Codes.ACCESS_DENIED);
      assertNothingStored();
    }

    @Test
    void another_provider_error_is_a_provider_error_even_with_a_code() {
      StartedFlow f = startLink(alice);
      String state = stateOf(f);

      URI redirect = service.complete(Provider.GITHUB, new Callback(state, client.approve(state),
          "temporarily_unavailable"), f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.PROVIDER_ERROR));
      assertThat(client.exchangeCalls()).isZero();
      assertFailureAudited(alice, AuditEvent.Actions.CONNECT, Codes.PROVIDER_ERROR);
      assertNothingStored();
    }

    @Test
    void a_missing_code_is_an_invalid_request() {
      StartedFlow f = startLink(alice);

      URI redirect = service.complete(Provider.GITHUB, new Callback(stateOf(f), null, null), f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.INVALID_REQUEST));
      assertThat(client.exchangeCalls()).isZero();
      assertFailureAudited(alice, AuditEvent.Actions.CONNECT, Codes.INVALID_REQUEST);
      assertNothingStored();
    }

    @Test
    void a_code_the_provider_refuses_is_an_invalid_grant() {
      StartedFlow f = startLink(alice);

      URI redirect = service.complete(Provider.GITHUB, new Callback(stateOf(f), "stolen-or-used-code", null),
          f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.INVALID_GRANT));
      assertThat(client.exchangeCalls()).isEqualTo(1);
      assertFailureAudited(alice, AuditEvent.Actions.CONNECT, Codes.INVALID_GRANT);
      assertNothingStored();
    }

    static Stream<Arguments> exchangeFailures() {
      return Stream.of(
          Arguments.of((Supplier<RuntimeException>) () -> new OAuthProtocolException("token_type is not bearer"),
              Codes.TOKEN_RESPONSE_INVALID),
          Arguments.of((Supplier<RuntimeException>) () -> new OAuthProtocolException("no access_token"),
              Codes.TOKEN_RESPONSE_INVALID),
          Arguments.of((Supplier<RuntimeException>) () -> new OAuthGrantException("bad_verification_code"),
              Codes.INVALID_GRANT),
          Arguments.of((Supplier<RuntimeException>) () -> new UnavailableException("503", null),
              Codes.PROVIDER_UNAVAILABLE),
          Arguments.of((Supplier<RuntimeException>) () -> new RateLimitedException("429", Duration.ofSeconds(5)),
              Codes.PROVIDER_UNAVAILABLE));
    }

    @ParameterizedTest
    @MethodSource("exchangeFailures")
    void a_failed_exchange_stores_nothing_and_is_audited(Supplier<RuntimeException> failure, String code) {
      StartedFlow f = startLink(alice);
      client.failNextExchange(failure);

      URI redirect = consentAndReturn(f);

      assertThat(redirect).isEqualTo(error(code));
      assertThat(client.exchangeCalls()).isEqualTo(1);
      assertThat(resolvedTokens).isEmpty();
      assertFailureAudited(alice, AuditEvent.Actions.CONNECT, code);
      assertNothingStored();
    }

    @Test
    void a_failed_account_lookup_stores_nothing() {
      StartedFlow f = startLink(alice);
      accountFailure = () -> new UnavailableException("api.github.com timed out", null);

      URI redirect = consentAndReturn(f);

      assertThat(redirect).isEqualTo(error(Codes.PROVIDER_UNAVAILABLE));
      assertFailureAudited(alice, AuditEvent.Actions.CONNECT, Codes.PROVIDER_UNAVAILABLE);
      assertNothingStored();
    }

    @Test
    void a_database_outage_still_answers_the_frontend_redirect() {
      StartedFlow f = startLink(alice);
      String state = stateOf(f);
      String code = client.approve(state);
      flows.setDown(true);

      URI redirect = service.complete(Provider.GITHUB, new Callback(state, code, null), f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.UNAVAILABLE));
      assertThat(client.exchangeCalls()).isZero();
      assertNothingStored();
    }

    @Test
    void a_failed_save_answers_unavailable_after_the_exchange() {
      StartedFlow f = startLink(alice);
      connections.setDown(true);

      URI redirect = consentAndReturn(f);

      assertThat(redirect).isEqualTo(error(Codes.UNAVAILABLE));
      connections.setDown(false);
      assertNothingStored();
    }

    @Test
    void no_secret_reaches_the_audit_rows_of_failures() {
      StartedFlow f = startLink(alice);
      String state = stateOf(f);
      String code = client.approve(state);
      service.complete(Provider.GITHUB, new Callback(state, code, null), "wrong-cookie", ctx);

      for (AuditEvent e : audit.events()) {
        assertThat(e.toString()).doesNotContain(state).doesNotContain(code).doesNotContain(f.cookieValue())
            .doesNotContain("wrong-cookie");
      }
    }
  }

  @Nested
  class Redirects {
    @Test
    void nothing_from_the_request_can_steer_the_redirect() {
      StartedFlow f = startLink(alice);
      List<URI> redirects = new ArrayList<>();
      redirects.add(service.complete(Provider.GITHUB, new Callback("https://evil.example/x", "//evil.example",
          "https://evil.example/?a=b&status=connected"), "https://evil.example", ctx));
      redirects.add(service.complete(Provider.GITHUB, new Callback(stateOf(f), "//evil.example",
          "https://evil.example/?status=connected#x"), f.cookieValue(), ctx));
      StartedFlow g = startLink(alice);
      redirects.add(service.complete(Provider.GITHUB, new Callback(stateOf(g), "\\\\evil.example", null),
          g.cookieValue(), new RequestContext("r\r\nLocation: https://evil.example", "1.2.3.4",
              "https://evil.example")));

      for (URI r : redirects) {
        assertThat(r.getScheme()).isEqualTo("https");
        assertThat(r.getHost()).isEqualTo("app.nexflux.example");
        assertThat(r.getPath()).isEqualTo("/settings/integrations");
        assertThat(r.getFragment()).isNull();
        assertThat(r.toString()).doesNotContain("evil");
        assertThat(ScriptedOAuthClient.queryOf(r)).containsEntry("status", "error").containsKey("code")
            .containsOnlyKeys("integration", "status", "code");
      }
    }

    @Test
    void parameters_are_appended_to_a_frontend_url_that_already_has_a_query_and_fragment() {
      service = service(URI.create("https://app.nexflux.example/app?tab=integrations#panel"), signInCompletion());

      URI redirect = consentAndReturn(startLink(alice));

      assertThat(redirect).isEqualTo(URI.create(
          "https://app.nexflux.example/app?tab=integrations&integration=github&status=connected#panel"));
    }

    @Test
    void the_frontend_url_must_be_absolute_http() {
      for (String bad : List.of("/relative", "javascript:alert(1)", "ftp://app.example/")) {
        assertThatThrownBy(() -> service(URI.create(bad), null)).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Nested
  class SigningIn {
    URI signInWithGithub() {
      StartedFlow f = service.start(Provider.GITHUB, Optional.empty(), true, ctx);
      String state = stateOf(f);
      return service.complete(Provider.GITHUB, new Callback(state, client.approve(state), null), f.cookieValue(),
          ctx);
    }

    @Test
    void the_first_sign_in_creates_the_user_and_the_second_finds_it() {
      URI first = signInWithGithub();
      URI second = signInWithGithub();

      assertThat(signIns).hasSize(2);
      UserId created = signIns.get(0).user();
      assertThat(signIns.get(0).newUser()).isTrue();
      assertThat(signIns.get(0).login()).isEqualTo("octocat");
      assertThat(signIns.get(1).user()).isEqualTo(created);
      assertThat(signIns.get(1).newUser()).isFalse();
      assertThat(identities.created()).isEqualTo(1);
      assertThat(users.contains(created)).isTrue();
      assertThat(first).isEqualTo(URI.create("https://app.nexflux.example/#token=session-" + created));
      assertThat(second).isEqualTo(first);
      assertThat(connections.size()).isZero(); // sign-in stores no integration
      // written by the identity store in the transaction that links the identity (oldest first)
      List<AuditEvent> events = identities.signInAudits();
      assertThat(events).hasSize(2).allSatisfy(e -> {
        assertThat(e.action()).isEqualTo(OAuthFlowService.SIGN_IN_ACTION);
        assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
        assertThat(e.userId()).isEqualTo(created);
      });
      assertThat(events.get(0).details()).containsEntry("new_user", "true");
      assertThat(events.get(1).details()).containsEntry("new_user", "false");
      assertThat(audit.events(created)).isEmpty();
    }

    @Test
    void signing_in_with_an_account_that_is_alices_identity_is_alice_and_leaves_the_integration_alone() {
      consentAndReturn(startLink(alice));
      OAuthConnection linked = connections.stored(alice, Provider.GITHUB).orElseThrow();
      identities.linkIfAbsent(Provider.GITHUB, "4242", alice); // alice signed in with this account before

      signInWithGithub();

      assertThat(signIns).singleElement().satisfies(s -> {
        assertThat(s.user()).isEqualTo(alice);
        assertThat(s.newUser()).isFalse();
      });
      assertThat(connections.stored(alice, Provider.GITHUB)).contains(linked);
      assertThat(identities.created()).isZero();
    }

    @Test
    void a_refused_sign_in_creates_nobody_and_has_no_user_to_audit() {
      StartedFlow f = service.start(Provider.GITHUB, Optional.empty(), true, ctx);

      URI redirect = service.complete(Provider.GITHUB, new Callback(stateOf(f), null, "access_denied"),
          f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.ACCESS_DENIED));
      assertThat(signIns).isEmpty();
      assertThat(identities.size()).isZero();
      assertThat(audit.size()).isZero();
    }

    @Test
    void a_sign_in_flow_reaching_a_server_without_sign_in_fails_without_exchange() {
      StartedFlow f = service.start(Provider.GITHUB, Optional.empty(), true, ctx);
      String state = stateOf(f);
      OAuthFlowService noSignIn = service(FRONTEND, null);

      URI redirect = noSignIn.complete(Provider.GITHUB, new Callback(state, client.approve(state), null),
          f.cookieValue(), ctx);

      assertThat(redirect).isEqualTo(error(Codes.SIGN_IN_NOT_AVAILABLE));
      assertThat(client.exchangeCalls()).isZero();
      assertThat(identities.size()).isZero();
    }
  }
}
