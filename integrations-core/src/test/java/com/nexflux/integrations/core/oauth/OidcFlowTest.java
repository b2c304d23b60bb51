package com.nexflux.integrations.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.oauth.OAuthFlowService.Codes;
import com.nexflux.integrations.core.oauth.OAuthFlows.Callback;
import com.nexflux.integrations.core.oauth.OAuthFlows.StartOptions;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OAuth engine's OpenID Connect part (nonce, id_token, RFC 9207 {@code iss}, extra authorization parameters), the
 * explicit sign-in rules (intent, sign-in providers, per-address rate limit), {@code return_to}, and scope upgrades.
 */
class OidcFlowTest {
  static final URI FRONTEND = URI.create("https://app.nexflux.example/settings/integrations");
  static final String ISSUER = "https://accounts.google.com";
  static final OAuthProviderConfig GITHUB = OAuthFlowServiceTest.GITHUB;
  static final OAuthProviderConfig GOOGLE = OAuthFlowServiceTest.GOOGLE
      .withOidc(new OAuthProviderConfig.Oidc(List.of(ISSUER, "accounts.google.com"),
          URI.create("https://www.googleapis.com/oauth2/v3/certs")))
      .withAuthorizationParameters(Map.of("access_type", "offline", "include_granted_scopes", "true"));

  final UserId alice = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
  final RequestContext ctx = new RequestContext("req-1", "198.51.100.23", "JUnit/5");

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryFlowStore flows;
  InMemoryOAuthConnections connections;
  InMemoryIdentities identities;
  ScriptedOAuthClient client;
  AesGcmTestCipher cipher;
  List<String> resolved;
  List<String> verifiedNonceHashes;
  volatile IdTokenClaims claims;
  volatile RuntimeException verifyFailure;
  List<URI> signInTargets;
  OAuthFlowService service;

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    flows = new InMemoryFlowStore();
    connections = new InMemoryOAuthConnections(audit);
    identities = new InMemoryIdentities(new InMemoryUserDirectory());
    client = new ScriptedOAuthClient(clock);
    cipher = new AesGcmTestCipher();
    resolved = new CopyOnWriteArrayList<>();
    verifiedNonceHashes = new CopyOnWriteArrayList<>();
    signInTargets = new CopyOnWriteArrayList<>();
    claims = new IdTokenClaims(ISSUER, "g-sub-1", null, "Ada Lovelace", "https://pics.example/ada");
    client.setIdToken("header.payload.signature");
    service = service(Set.of(Provider.GITHUB, Provider.GOOGLE), null);
  }

  OAuthFlowService service(Set<Provider> signInProviders, AddressRateLimiter limiter) {
    ConnectedAccounts accounts = (provider, token) -> {
      resolved.add(provider.key());
      return new ConnectedAccounts.Account("4242", "octocat", Map.of("username", "octocat"));
    };
    IdTokenVerifier verifier = (config, token, nonceHash) -> {
      assertThat(config.provider()).isEqualTo(Provider.GOOGLE);
      assertThat(token.reveal()).isEqualTo("header.payload.signature");
      verifiedNonceHashes.add(nonceHash);
      RuntimeException f = verifyFailure;
      if (f != null) {
        throw f;
      }
      return claims;
    };
    SignInCompletion signIn = new SignInCompletion() {
      @Override
      public URI complete(UserId userId, Provider provider, String login, boolean newUser) {
        throw new AssertionError("the target-aware method is called");
      }

      @Override
      public URI complete(UserId userId, Provider provider, String login, boolean newUser, URI target) {
        signInTargets.add(target);
        return URI.create(target + "#token=session-" + userId);
      }
    };
    return new OAuthFlowService(Map.of(Provider.GITHUB, GITHUB, Provider.GOOGLE, GOOGLE), client, flows,
        connections, identities, accounts, signIn, cipher, audit, clock, FRONTEND, Map.of(), verifier,
        signInProviders, limiter);
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, String> query(StartedFlow f) {
    return ScriptedOAuthClient.queryOf(f.authorizationUrl());
  }

  StartedFlow link(Provider provider, StartOptions options) {
    return service.start(provider, Optional.of(alice), options, true, ctx);
  }

  URI complete(Provider provider, StartedFlow f, String iss) {
    String state = query(f).get("state");
    return service.complete(provider, new Callback(state, client.approve(state), null, iss), f.cookieValue(), ctx);
  }

  static URI status(String integration, String status) {
    return URI.create(FRONTEND + "?integration=" + integration + "&status=" + status);
  }

  static URI error(String integration, String code) {
    return URI.create(FRONTEND + "?integration=" + integration + "&status=error&code=" + code);
  }

  @Nested
  class OpenIdConnect {
    @Test
    void the_start_sends_a_fresh_nonce_and_the_extra_parameters_and_stores_only_the_nonces_hash() {
      StartedFlow a = link(Provider.GOOGLE, StartOptions.LINK);
      String nonceA = client.lastNonce();
      StartedFlow b = link(Provider.GOOGLE, StartOptions.LINK);

      Map<String, String> q = query(a);
      assertThat(q.get("nonce")).isEqualTo(nonceA).matches("[A-Za-z0-9_-]{43}");
      assertThat(query(b).get("nonce")).isNotEqualTo(nonceA);
      assertThat(q).containsEntry("access_type", "offline").containsEntry("include_granted_scopes", "true");
      PendingAuthorization stored = flows.peek(sha256Hex(q.get("state"))).orElseThrow();
      assertThat(stored.nonceHash()).isEqualTo(sha256Hex(nonceA));
      assertThat(stored.toString()).doesNotContain(nonceA);
    }

    @Test
    void a_non_oidc_provider_gets_no_nonce() {
      StartedFlow f = link(Provider.GITHUB, StartOptions.LINK);
      assertThat(query(f)).doesNotContainKey("nonce").doesNotContainKey("access_type");
      assertThat(flows.peek(sha256Hex(query(f).get("state"))).orElseThrow().nonceHash()).isNull();
    }

    @Test
    void linking_verifies_the_id_token_with_the_flows_nonce_and_uses_its_sub_as_the_account() {
      StartedFlow f = link(Provider.GOOGLE, StartOptions.LINK);
      String nonce = client.lastNonce();

      URI redirect = complete(Provider.GOOGLE, f, null);

      assertThat(redirect).isEqualTo(status("google", "connected"));
      assertThat(verifiedNonceHashes).containsExactly(sha256Hex(nonce));
      assertThat(resolved).isEmpty(); // no provider-specific account lookup for OIDC
      OAuthConnection c = connections.stored(alice, Provider.GOOGLE).orElseThrow();
      assertThat(c.accountId()).isEqualTo("g-sub-1");
      assertThat(c.config()).containsEntry("name", "Ada Lovelace").doesNotContainKey("email");
    }

    @Test
    void a_verified_email_is_kept_and_an_unverified_one_never_reaches_the_account() {
      claims = new IdTokenClaims(ISSUER, "g-sub-2", "ada@example.com", null, null);
      complete(Provider.GOOGLE, link(Provider.GOOGLE, StartOptions.LINK), null);
      assertThat(connections.stored(alice, Provider.GOOGLE).orElseThrow().config())
          .containsEntry("email", "ada@example.com");
    }

    @Test
    void a_refused_id_token_stores_nothing_and_is_audited() {
      verifyFailure = new IdTokenRejectedException("aud");

      URI redirect = complete(Provider.GOOGLE, link(Provider.GOOGLE, StartOptions.LINK), null);

      assertThat(redirect).isEqualTo(error("google", Codes.ID_TOKEN_INVALID));
      assertThat(connections.size()).isZero();
      AuditEvent e = audit.events(alice).get(0);
      assertThat(e.reason()).isEqualTo(Codes.ID_TOKEN_INVALID);
      assertThat(e.details()).containsEntry("id_token", "aud");
    }

    @Test
    void a_token_response_without_id_token_is_refused_without_verification() {
      client.setIdToken(null);
      URI redirect = complete(Provider.GOOGLE, link(Provider.GOOGLE, StartOptions.LINK), null);
      assertThat(redirect).isEqualTo(error("google", Codes.ID_TOKEN_INVALID));
      assertThat(verifiedNonceHashes).isEmpty();
      assertThat(connections.size()).isZero();
    }

    @Test
    void an_iss_parameter_that_is_not_the_providers_issuer_aborts_before_the_exchange() {
      URI redirect = complete(Provider.GOOGLE, link(Provider.GOOGLE, StartOptions.LINK), "https://evil.example");

      assertThat(redirect).isEqualTo(error("google", Codes.ISSUER_MISMATCH));
      assertThat(client.exchangeCalls()).isZero();
      assertThat(connections.size()).isZero();
    }

    @Test
    void an_iss_parameter_naming_one_of_the_providers_issuers_is_accepted() {
      assertThat(complete(Provider.GOOGLE, link(Provider.GOOGLE, StartOptions.LINK), ISSUER))
          .isEqualTo(status("google", "connected"));
      assertThat(complete(Provider.GOOGLE, link(Provider.GOOGLE, StartOptions.LINK), "accounts.google.com"))
          .isEqualTo(status("google", "connected"));
    }

    @Test
    void an_iss_parameter_of_a_provider_without_known_issuer_is_ignored() {
      assertThat(complete(Provider.GITHUB, link(Provider.GITHUB, StartOptions.LINK), "https://github.com"))
          .isEqualTo(status("github", "connected"));
    }

    @Test
    void signing_in_with_an_oidc_provider_links_the_identity_by_sub() {
      StartedFlow f = service.start(Provider.GOOGLE, Optional.empty(), StartOptions.SIGN_IN, true, ctx);
      complete(Provider.GOOGLE, f, ISSUER);

      UserId user = identities.findUser(Provider.GOOGLE, "g-sub-1").orElseThrow();
      assertThat(signInTargets).containsExactly(FRONTEND);
      assertThat(identities.signInAudits()).singleElement().satisfies(e -> {
        assertThat(e.action()).isEqualTo(OAuthFlowService.SIGN_IN_ACTION);
        assertThat(e.userId()).isEqualTo(user);
      });
    }

    @Test
    void an_oidc_provider_without_a_verifier_is_refused_at_construction() {
      assertThatThrownBy(() -> new OAuthFlowService(Map.of(Provider.GOOGLE, GOOGLE), client, flows, connections,
          identities, (p, t) -> null, null, cipher, audit, clock, FRONTEND, Map.of(), null, Set.of(), null))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class ExplicitSignIn {
    @Test
    void sign_in_is_offered_only_for_the_listed_providers() {
      service = service(Set.of(Provider.GITHUB), null);

      assertThat(service.offersSignIn(Provider.GITHUB)).isTrue();
      assertThat(service.offersSignIn(Provider.GOOGLE)).isFalse();
      assertThat(service.isConfigured(Provider.GOOGLE)).isTrue();
      assertThatThrownBy(() -> service.start(Provider.GOOGLE, Optional.empty(), StartOptions.SIGN_IN, true, ctx))
          .isInstanceOf(NotConfiguredException.class).hasMessageContaining(Codes.SIGN_IN_NOT_AVAILABLE);
      assertThat(flows.size()).isZero();
    }

    @Test
    void with_no_sign_in_providers_no_sign_in_starts() {
      service = service(Set.of(), null);
      assertThatThrownBy(() -> service.start(Provider.GITHUB, Optional.empty(), true, ctx))
          .isInstanceOf(NotConfiguredException.class);
      assertThat(flows.size()).isZero();
    }

    @Test
    void a_link_flow_without_a_user_is_unauthorized_never_a_sign_in() {
      assertThatThrownBy(() -> service.start(Provider.GITHUB, Optional.empty(), StartOptions.LINK, true, ctx))
          .isInstanceOf(UnauthorizedException.class);
      assertThat(flows.size()).isZero();
    }

    @Test
    void sign_in_starts_are_limited_per_client_address_and_link_starts_are_not() {
      service = service(Set.of(Provider.GITHUB), new AddressRateLimiter(2, Duration.ofMinutes(1), clock));
      RequestContext other = new RequestContext("req-2", "203.0.113.9", "JUnit/5");
      service.start(Provider.GITHUB, Optional.empty(), StartOptions.SIGN_IN, true, ctx);
      clock.advance(Duration.ofSeconds(10));
      service.start(Provider.GITHUB, Optional.empty(), StartOptions.SIGN_IN, true, ctx);

      assertThatThrownBy(() -> service.start(Provider.GITHUB, Optional.empty(), StartOptions.SIGN_IN, true, ctx))
          .isInstanceOfSatisfying(RateLimitedException.class,
              e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(50)));
      assertThat(flows.size()).isEqualTo(2); // the refused start wrote no row
      service.start(Provider.GITHUB, Optional.empty(), StartOptions.SIGN_IN, true, other);
      for (int i = 0; i < 5; i++) {
        service.start(Provider.GITHUB, Optional.of(alice), StartOptions.LINK, true, ctx);
      }
      clock.advance(Duration.ofSeconds(50));
      service.start(Provider.GITHUB, Optional.empty(), StartOptions.SIGN_IN, true, ctx);
      assertThat(flows.size()).isEqualTo(9);
    }
  }

  @Nested
  class ReturnTo {
    @Test
    void a_relative_path_is_kept_with_the_flow_and_appended_to_the_frontends_origin() {
      StartedFlow f = link(Provider.GITHUB, new StartOptions(FlowPurpose.LINK, "/projects/42?tab=sync#top", List.of()));
      assertThat(flows.snapshot()).singleElement()
          .satisfies(p -> assertThat(p.returnTo()).isEqualTo("/projects/42?tab=sync#top"));

      assertThat(complete(Provider.GITHUB, f, null)).isEqualTo(URI.create(
          "https://app.nexflux.example/projects/42?tab=sync&integration=github&status=connected#top"));
    }

    @Test
    void an_error_returns_to_the_same_path() {
      StartedFlow f = link(Provider.GITHUB, new StartOptions(FlowPurpose.LINK, "/settings", List.of()));
      URI redirect = service.complete(Provider.GITHUB, new Callback(query(f).get("state"), null, "access_denied"),
          f.cookieValue(), ctx);
      assertThat(redirect).isEqualTo(URI.create(
          "https://app.nexflux.example/settings?integration=github&status=error&code=ACCESS_DENIED"));
    }

    @Test
    void a_sign_in_hands_the_return_target_to_the_completion() {
      StartedFlow f = service.start(Provider.GITHUB, Optional.empty(),
          new StartOptions(FlowPurpose.SIGN_IN, "/welcome", List.of()), true, ctx);
      complete(Provider.GITHUB, f, null);
      assertThat(signInTargets).containsExactly(URI.create("https://app.nexflux.example/welcome"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/x", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
        "evil.example", "javascript:alert(1)", "/a b", "/tab\there", "/new\nline", "http:/x"})
    void an_absolute_protocol_relative_or_malformed_value_is_refused_and_nothing_starts(String value) {
      assertThatThrownBy(() -> link(Provider.GITHUB, new StartOptions(FlowPurpose.LINK, value, List.of())))
          .isInstanceOfSatisfying(ValidationException.class,
              e -> assertThat(e.errors()).singleElement().satisfies(fe -> assertThat(fe.field()).isEqualTo("return_to")));
      assertThat(flows.size()).isZero();
    }

    @Test
    void an_overlong_value_is_refused() {
      String value = "/" + "a".repeat(OAuthFlowService.MAX_RETURN_TO_CHARS);
      assertThatThrownBy(() -> link(Provider.GITHUB, new StartOptions(FlowPurpose.LINK, value, List.of())))
          .isInstanceOf(ValidationException.class);
    }
  }

  @Nested
  class ScopeUpgrade {
    SecretContext refreshContext() {
      return new SecretContext(alice, Provider.GITHUB, OAuthConnection.REFRESH_TOKEN_FIELD);
    }

    @Test
    void added_scopes_are_requested_with_the_old_ones_and_stored_as_the_union_keeping_the_refresh_token() {
      complete(Provider.GITHUB, link(Provider.GITHUB, StartOptions.LINK), null);
      OAuthConnection before = connections.stored(alice, Provider.GITHUB).orElseThrow();
      client.setIssueRefreshTokens(false);
      client.setGrantedScopes(List.of("gist")); // the provider names only the newly granted scope

      StartedFlow f = link(Provider.GITHUB, new StartOptions(FlowPurpose.LINK, null, List.of("gist")));
      assertThat(query(f).get("scope")).isEqualTo("repo read:user user:email gist");
      assertThat(complete(Provider.GITHUB, f, null)).isEqualTo(status("github", "connected"));

      OAuthConnection after = connections.stored(alice, Provider.GITHUB).orElseThrow();
      assertThat(after.scopes()).containsExactly("repo", "read:user", "user:email", "gist");
      assertThat(after.config()).containsEntry("scopes", List.of("repo", "read:user", "user:email", "gist"));
      assertThat(after.refreshToken()).isEqualTo(before.refreshToken());
      assertThat(cipher.decrypt(after.refreshToken(), refreshContext()))
          .isEqualTo(cipher.decrypt(before.refreshToken(), refreshContext()));
      assertThat(after.refreshTokenExpiresAt()).isEqualTo(before.refreshTokenExpiresAt());
      assertThat(after.accessToken()).isNotEqualTo(before.accessToken());
      assertThat(after.connectedAt()).isEqualTo(before.connectedAt());
      assertThat(after.credentialsVersion()).isEqualTo(before.credentialsVersion() + 1);
      assertThat(audit.latest().details()).containsEntry("scope_upgrade", "gist")
          .containsEntry("refresh_token", "kept");
    }

    @Test
    void a_plain_re_link_without_refresh_token_keeps_the_stored_one() {
      complete(Provider.GITHUB, link(Provider.GITHUB, StartOptions.LINK), null);
      Secret old = cipher.decrypt(connections.stored(alice, Provider.GITHUB).orElseThrow().refreshToken(),
          refreshContext());
      client.setIssueRefreshTokens(false);

      complete(Provider.GITHUB, link(Provider.GITHUB, StartOptions.LINK), null);

      OAuthConnection after = connections.stored(alice, Provider.GITHUB).orElseThrow();
      assertThat(cipher.decrypt(after.refreshToken(), refreshContext())).isEqualTo(old);
    }

    @Test
    void adding_scopes_needs_an_existing_connection() {
      assertThatThrownBy(() -> link(Provider.GITHUB, new StartOptions(FlowPurpose.LINK, null, List.of("gist"))))
          .isInstanceOfSatisfying(ValidationException.class,
              e -> assertThat(e.errors().get(0).field()).isEqualTo("scope"));
      assertThat(flows.size()).isZero();
    }

    @Test
    void a_sign_in_cannot_add_scopes_and_malformed_scopes_are_refused() {
      assertThatThrownBy(() -> service.start(Provider.GITHUB, Optional.empty(),
          new StartOptions(FlowPurpose.SIGN_IN, null, List.of("repo")), true, ctx))
          .isInstanceOf(ValidationException.class);
      complete(Provider.GITHUB, link(Provider.GITHUB, StartOptions.LINK), null);
      assertThatThrownBy(() -> link(Provider.GITHUB, new StartOptions(FlowPurpose.LINK, null, List.of("a\"b"))))
          .isInstanceOf(ValidationException.class);
    }
  }
}
