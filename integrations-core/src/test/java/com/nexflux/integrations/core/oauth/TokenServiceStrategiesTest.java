package com.nexflux.integrations.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.testing.AesGcmTestCipher;
import com.nexflux.integrations.core.testing.InMemoryAuditLog;
import com.nexflux.integrations.core.testing.InMemoryOAuthConnections;
import com.nexflux.integrations.core.testing.InMemoryPasswordLogin;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.core.testing.ScriptedOAuthClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The grant strategies of {@link TokenService} and its bound on concurrent renewals. */
class TokenServiceStrategiesTest {
  static final GrantStrategy.ClientCredentials ARDUINO = new GrantStrategy.ClientCredentials(
      URI.create("https://api2.arduino.cc/iot/v1/clients/token"), List.of(),
      Map.of("audience", "https://api2.arduino.cc/iot"), GrantStrategy.ClientAuthentication.REQUEST_BODY);
  static final GrantStrategy.PasswordLogin THINGSBOARD = new GrantStrategy.PasswordLogin(null);
  static final URI TB_SERVER = URI.create("https://tb.example.edu");

  final UserId alice = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
  final UserId bob = new UserId(UUID.fromString("00000000-0000-4000-8000-000000000b0b"));

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryOAuthConnections connections;
  ScriptedOAuthClient client;
  InMemoryPasswordLogin logins;
  AesGcmTestCipher cipher;
  TokenService tokens;

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    connections = new InMemoryOAuthConnections(audit);
    client = new ScriptedOAuthClient(clock);
    logins = new InMemoryPasswordLogin(clock);
    cipher = new AesGcmTestCipher();
    tokens = service(RefreshLimiter.defaults());
  }

  TokenService service(RefreshLimiter limiter) {
    Map<Provider, GrantStrategy> grants = new LinkedHashMap<>();
    grants.put(Provider.GITHUB, new GrantStrategy.AuthorizationCode(TokenServiceTest.GITHUB, Revocation.NONE));
    grants.put(Provider.ARDUINO_CLOUD, ARDUINO);
    grants.put(Provider.THINGSBOARD, THINGSBOARD);
    grants.put(Provider.BLYNK, new GrantStrategy.StaticApiKey());
    return new TokenService(grants, client, logins, connections, cipher, audit, clock, limiter);
  }

  EncryptedSecret enc(UserId user, Provider provider, String field, String value) {
    return cipher.encrypt(Secret.of(value), new SecretContext(user, provider, field));
  }

  String dec(UserId user, Provider provider, String field, EncryptedSecret value) {
    return cipher.decrypt(value, new SecretContext(user, provider, field)).reveal();
  }

  OAuthConnection stored(UserId user, Provider provider) {
    return connections.stored(user, provider).orElseThrow();
  }

  OAuthConnection row(UserId user, Provider provider, EncryptedSecret access, EncryptedSecret refresh,
      Instant expiresAt, Instant refreshExpiresAt, Map<String, Object> config) {
    Instant now = clock.instant();
    return new OAuthConnection(user, provider, ConnectionStatus.CONNECTED, "acct", access, refresh, expiresAt,
        refreshExpiresAt, List.of(), config, now.minus(Duration.ofDays(1)), now.minus(Duration.ofHours(1)), 1);
  }

  // ---------------------------------------------------------------- client credentials

  @Nested
  class ClientCredentials {
    /** A connection holding the user's own client (encrypted), with a token expiring at {@code expiresAt}. */
    void connectArduino(UserId user, String accessToken, Instant expiresAt) {
      client.registerClient("alice-client", "alice-secret");
      OAuthConnection c = row(user, Provider.ARDUINO_CLOUD,
          accessToken == null ? null : enc(user, Provider.ARDUINO_CLOUD, OAuthConnection.ACCESS_TOKEN_FIELD,
              accessToken), null, expiresAt, null, Map.of());
      c = c.withStoredCredential(OAuthConnection.CLIENT_ID_FIELD,
          enc(user, Provider.ARDUINO_CLOUD, OAuthConnection.CLIENT_ID_FIELD, "alice-client"), clock.instant());
      c = c.withStoredCredential(OAuthConnection.CLIENT_SECRET_FIELD,
          enc(user, Provider.ARDUINO_CLOUD, OAuthConnection.CLIENT_SECRET_FIELD, "alice-secret"), clock.instant());
      connections.store(c);
    }

    @Test
    void a_fresh_token_is_returned_without_a_request() {
      connectArduino(alice, "cc-stored", clock.instant().plusSeconds(200));
      assertThat(tokens.accessToken(alice, Provider.ARDUINO_CLOUD).reveal()).isEqualTo("cc-stored");
      assertThat(client.clientCredentialsCalls()).isZero();
    }

    @Test
    void an_expired_token_is_simply_requested_again_with_the_stored_client_and_never_needs_reauth() {
      connectArduino(alice, "cc-stored", clock.instant().minusSeconds(10));
      String first = tokens.accessToken(alice, Provider.ARDUINO_CLOUD).reveal();
      assertThat(first).startsWith("cc-").isNotEqualTo("cc-stored");
      OAuthConnection after = stored(alice, Provider.ARDUINO_CLOUD);
      assertThat(after.status()).isEqualTo(ConnectionStatus.CONNECTED);
      assertThat(dec(alice, Provider.ARDUINO_CLOUD, OAuthConnection.ACCESS_TOKEN_FIELD, after.accessToken()))
          .isEqualTo(first);
      assertThat(after.refreshToken()).as("no refresh token is kept").isNull();
      assertThat(after.tokenExpiresAt()).isEqualTo(clock.instant().plusSeconds(300));
      assertThat(after.config()).as("the client stays stored, encrypted")
          .containsKeys("client_id_encrypted", "client_secret_encrypted")
          .doesNotContainValue("alice-secret").doesNotContainValue("alice-client");

      clock.advance(Duration.ofSeconds(250)); // 50 s left: within the on-demand skew
      String second = tokens.accessToken(alice, Provider.ARDUINO_CLOUD).reveal();
      assertThat(second).startsWith("cc-").isNotEqualTo(first);
      clock.advance(Duration.ofHours(5)); // long expired: still just requested again
      assertThat(tokens.accessToken(alice, Provider.ARDUINO_CLOUD).reveal()).startsWith("cc-").isNotEqualTo(second);
      assertThat(client.clientCredentialsCalls()).isEqualTo(3);
      assertThat(client.refreshCalls()).isZero();
      assertThat(audit.withAction(TokenService.REAUTH_REQUIRED_ACTION)).isEmpty();
    }

    @Test
    void a_connections_own_token_parameters_and_headers_go_with_every_renewal() {
      connectArduino(alice, "cc-stored", clock.instant().minusSeconds(10));
      OAuthConnection c = stored(alice, Provider.ARDUINO_CLOUD);
      Map<String, Object> config = new LinkedHashMap<>(c.config());
      config.put(OAuthConnection.TOKEN_PARAMETERS_KEY, Map.of("organization_id", "org-1"));
      config.put(OAuthConnection.TOKEN_HEADERS_KEY, Map.of("X-Organization", "org-1"));
      connections.store(c.withConfig(config, clock.instant()));

      assertThat(tokens.accessToken(alice, Provider.ARDUINO_CLOUD).reveal()).startsWith("cc-");
      GrantStrategy.ClientCredentials sent = client.lastClientCredentialsGrant();
      assertThat(sent.extraParameters()).containsEntry("audience", "https://api2.arduino.cc/iot")
          .containsEntry("organization_id", "org-1");
      assertThat(sent.extraHeaders()).containsExactly(Map.entry("X-Organization", "org-1"));
      assertThat(stored(alice, Provider.ARDUINO_CLOUD).config())
          .as("the renewal keeps the connection's parameters for the next one")
          .containsKeys(OAuthConnection.TOKEN_PARAMETERS_KEY, OAuthConnection.TOKEN_HEADERS_KEY);
    }

    @Test
    void a_connection_without_parameters_sends_the_providers_grant_unchanged() {
      connectArduino(alice, "cc-stored", clock.instant().minusSeconds(10));
      tokens.accessToken(alice, Provider.ARDUINO_CLOUD);
      assertThat(client.lastClientCredentialsGrant()).isSameAs(ARDUINO);
    }

    @Test
    void a_connection_may_not_replace_the_providers_or_the_grants_own_parameters() {
      assertThatThrownBy(() -> ARDUINO.forConnection(Map.of("audience", "elsewhere"), Map.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
      assertThatThrownBy(() -> ARDUINO.forConnection(Map.of("client_secret", "x"), Map.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client_secret");
      assertThatThrownBy(() -> ARDUINO.forConnection(Map.of(), Map.of("authorization", "Basic x")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authorization");
      assertThatThrownBy(() -> ARDUINO.forConnection(Map.of(), Map.of("X-Org", "a\r\nHost: evil")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
      GrantStrategy.ClientCredentials withHeader = ARDUINO.forConnection(Map.of(), Map.of("X-Organization", "a"));
      assertThatThrownBy(() -> withHeader.forConnection(Map.of(), Map.of("x-organization", "b")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-organization");
    }

    @Test
    void a_connections_own_token_endpoint_is_used_only_when_the_grant_names_it() {
      URI fra1 = URI.create("https://fra1.blynk.cloud/oauth2/token");
      GrantStrategy.ClientCredentials blynk = new GrantStrategy.ClientCredentials(
          URI.create("https://blynk.cloud/oauth2/token"), List.of(), Map.of(), Map.of(),
          GrantStrategy.ClientAuthentication.HTTP_BASIC, GrantStrategy.ParameterPlacement.QUERY_STRING,
          Set.of(fra1));
      Map<Provider, GrantStrategy> grants = new LinkedHashMap<>();
      grants.put(Provider.BLYNK, blynk);
      TokenService service = new TokenService(grants, client, null, connections, cipher, audit, clock,
          RefreshLimiter.defaults());
      client.registerClient("alice-client", "alice-secret");
      OAuthConnection c = row(alice, Provider.BLYNK, null, null, null, null,
          Map.of(OAuthConnection.TOKEN_ENDPOINT_KEY, fra1.toString()));
      c = c.withStoredCredential(OAuthConnection.CLIENT_ID_FIELD,
          enc(alice, Provider.BLYNK, OAuthConnection.CLIENT_ID_FIELD, "alice-client"), clock.instant());
      c = c.withStoredCredential(OAuthConnection.CLIENT_SECRET_FIELD,
          enc(alice, Provider.BLYNK, OAuthConnection.CLIENT_SECRET_FIELD, "alice-secret"), clock.instant());
      connections.store(c);

      assertThat(service.accessToken(alice, Provider.BLYNK).reveal()).startsWith("cc-");
      GrantStrategy.ClientCredentials sent = client.lastClientCredentialsGrant();
      assertThat(sent.tokenEndpoint()).isEqualTo(fra1);
      assertThat(sent.parameterPlacement()).isEqualTo(GrantStrategy.ParameterPlacement.QUERY_STRING);
      assertThat(sent.clientAuthentication()).isEqualTo(GrantStrategy.ClientAuthentication.HTTP_BASIC);

      assertThatThrownBy(() -> blynk.forConnection(Map.of(), Map.of(), URI.create("https://evil.example/token")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one of the provider's");
      assertThatThrownBy(() -> ARDUINO.forConnection(Map.of(), Map.of(), fra1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(blynk.forConnection(Map.of(), Map.of(), blynk.tokenEndpoint())).isSameAs(blynk);
    }

    @Test
    void parameters_go_in_the_query_string_only_with_http_basic() {
      assertThatThrownBy(() -> new GrantStrategy.ClientCredentials(URI.create("https://blynk.cloud/oauth2/token"),
          List.of(), Map.of(), Map.of(), GrantStrategy.ClientAuthentication.REQUEST_BODY,
          GrantStrategy.ParameterPlacement.QUERY_STRING, Set.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTP Basic");
      assertThat(ARDUINO.parameterPlacement()).isEqualTo(GrantStrategy.ParameterPlacement.FORM_BODY);
    }

    @Test
    void a_connection_without_a_token_yet_gets_its_first_one() {
      connectArduino(alice, null, null);
      assertThat(tokens.accessToken(alice, Provider.ARDUINO_CLOUD).reveal()).startsWith("cc-");
      assertThat(stored(alice, Provider.ARDUINO_CLOUD).accessToken()).isNotNull();
    }

    @Test
    void a_refused_client_marks_needs_reauth_audits_once_and_stops_asking() {
      connectArduino(alice, "cc-stored", clock.instant().minusSeconds(1));
      client.forgetClients();
      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.ARDUINO_CLOUD))
          .isInstanceOf(ReauthRequiredException.class);
      OAuthConnection after = stored(alice, Provider.ARDUINO_CLOUD);
      assertThat(after.status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
      assertThat(after.accessToken()).isNull();
      List<AuditEvent> rows = audit.withAction(TokenService.REAUTH_REQUIRED_ACTION);
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).reason()).isEqualTo("credentials_rejected");
      assertThat(rows.get(0).details()).containsEntry("provider_error", "invalid_client");
      assertThat(rows.get(0).toString()).doesNotContain("alice-secret");

      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.ARDUINO_CLOUD))
          .isInstanceOf(ReauthRequiredException.class);
      assertThat(client.clientCredentialsCalls()).as("no second request").isEqualTo(1);
    }

    @Test
    void a_transient_failure_changes_nothing() {
      connectArduino(alice, "cc-stored", clock.instant().minusSeconds(1));
      OAuthConnection before = stored(alice, Provider.ARDUINO_CLOUD);
      client.failNextClientCredentials(1, () -> new UnavailableException("503 (simulated)", null));
      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.ARDUINO_CLOUD))
          .isInstanceOf(UnavailableException.class);
      assertThat(stored(alice, Provider.ARDUINO_CLOUD)).isEqualTo(before);
      assertThat(tokens.accessToken(alice, Provider.ARDUINO_CLOUD).reveal()).startsWith("cc-");
    }

    @Test
    void the_sweeper_never_lists_it_and_refresh_if_due_leaves_it_alone() {
      connectArduino(alice, "cc-stored", clock.instant().plusSeconds(30));
      assertThat(tokens.refreshedAhead()).containsExactlyInAnyOrder(Provider.GITHUB, Provider.THINGSBOARD);
      RefreshSweeper sweeper = new RefreshSweeper(tokens, connections, clock);
      assertThat(sweeper.sweep().examined()).isZero();
      assertThat(connections.lastDueProviders()).containsExactlyInAnyOrder(Provider.GITHUB, Provider.THINGSBOARD);
      assertThat(tokens.refreshIfDue(new OAuthConnectionRepository.Key(alice, Provider.ARDUINO_CLOUD),
          Duration.ofMinutes(15))).isFalse();
      assertThat(client.clientCredentialsCalls()).isZero();
    }
  }

  // ---------------------------------------------------------------- password login

  @Nested
  class PasswordLogin {
    void connectThingsBoard(UserId user, String access, Instant expiresAt, String refresh, Instant refreshExpiresAt) {
      logins.account("alice@lab.example", "tb-password");
      Map<String, Object> config = new LinkedHashMap<>();
      config.put(OAuthConnection.LOGIN_USERNAME_KEY, "alice@lab.example");
      config.put(OAuthConnection.BASE_URL_KEY, TB_SERVER.toString());
      OAuthConnection c = row(user, Provider.THINGSBOARD,
          enc(user, Provider.THINGSBOARD, OAuthConnection.ACCESS_TOKEN_FIELD, access),
          refresh == null ? null : enc(user, Provider.THINGSBOARD, OAuthConnection.REFRESH_TOKEN_FIELD, refresh),
          expiresAt, refreshExpiresAt, config)
          .withStoredCredential(OAuthConnection.PASSWORD_FIELD,
              enc(user, Provider.THINGSBOARD, OAuthConnection.PASSWORD_FIELD, "tb-password"), clock.instant());
      connections.store(c);
      if (refresh != null) {
        logins.registerRefreshToken(refresh, refreshExpiresAt);
      }
    }

    @Test
    void an_expiring_token_is_renewed_with_the_refresh_token_without_logging_in() {
      Instant refreshExpiry = clock.instant().plus(Duration.ofDays(3));
      connectThingsBoard(alice, "tb-old", clock.instant().plusSeconds(20), "tb-rt-old", refreshExpiry);
      String token = tokens.accessToken(alice, Provider.THINGSBOARD).reveal();
      assertThat(token).startsWith("tb-at-");
      assertThat(logins.refreshes()).isEqualTo(1);
      assertThat(logins.logins()).isZero();
      assertThat(logins.servers()).containsExactly(TB_SERVER);
      OAuthConnection after = stored(alice, Provider.THINGSBOARD);
      assertThat(dec(alice, Provider.THINGSBOARD, OAuthConnection.REFRESH_TOKEN_FIELD, after.refreshToken()))
          .as("the new refresh token is kept").startsWith("tb-rt-").isNotEqualTo("tb-rt-old");
    }

    @Test
    void an_expired_refresh_token_logs_in_again_with_the_stored_password() {
      connectThingsBoard(alice, "tb-old", clock.instant().minusSeconds(5), "tb-rt-old",
          clock.instant().minusSeconds(1));
      String token = tokens.accessToken(alice, Provider.THINGSBOARD).reveal();
      assertThat(token).startsWith("tb-at-");
      assertThat(logins.refreshes()).as("an expired refresh token is not even sent").isZero();
      assertThat(logins.logins()).isEqualTo(1);
      assertThat(stored(alice, Provider.THINGSBOARD).status()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void a_refused_refresh_token_logs_in_again() {
      connectThingsBoard(alice, "tb-old", clock.instant().minusSeconds(5), "tb-rt-unknown", null);
      logins.registerRefreshToken("tb-rt-unknown", clock.instant().minusSeconds(1)); // the server says: expired
      assertThat(tokens.accessToken(alice, Provider.THINGSBOARD).reveal()).startsWith("tb-at-");
      assertThat(logins.refreshes()).isEqualTo(1);
      assertThat(logins.logins()).isEqualTo(1);
    }

    @Test
    void a_refused_login_marks_needs_reauth() {
      connectThingsBoard(alice, "tb-old", clock.instant().minusSeconds(5), null, null);
      logins.account("alice@lab.example", "changed-elsewhere");
      assertThatThrownBy(() -> tokens.accessToken(alice, Provider.THINGSBOARD))
          .isInstanceOf(ReauthRequiredException.class);
      assertThat(stored(alice, Provider.THINGSBOARD).status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
      assertThat(audit.latest().reason()).isEqualTo("credentials_rejected");
      assertThat(audit.latest().toString()).doesNotContain("tb-password");
    }

    @Test
    void the_sweeper_renews_it_ahead_of_expiry() {
      connectThingsBoard(alice, "tb-old", clock.instant().plus(Duration.ofMinutes(10)), "tb-rt-old",
          clock.instant().plus(Duration.ofDays(3)));
      RefreshSweeper.SweepResult r = new RefreshSweeper(tokens, connections, clock).sweep();
      assertThat(r.refreshed()).isEqualTo(1);
      assertThat(logins.refreshes()).isEqualTo(1);
      assertThat(stored(alice, Provider.THINGSBOARD).tokenExpiresAt()).isAfter(clock.instant().plus(Duration.ofHours(2)));
    }

    @Test
    void a_password_login_provider_needs_a_login_client() {
      assertThatThrownBy(() -> new TokenService(Map.of(Provider.THINGSBOARD, THINGSBOARD), client, null,
          connections, cipher, audit, clock, RefreshLimiter.defaults()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  // ---------------------------------------------------------------- static API key

  @Nested
  class StaticApiKey {
    @Test
    void nothing_expires_and_nothing_is_renewed() {
      connections.store(row(alice, Provider.BLYNK, enc(alice, Provider.BLYNK, OAuthConnection.ACCESS_TOKEN_FIELD,
          "blynk-key"), null, clock.instant().minus(Duration.ofDays(30)), null, Map.of()));
      assertThat(tokens.accessToken(alice, Provider.BLYNK).reveal()).isEqualTo("blynk-key");
      assertThat(tokens.refreshIfDue(new OAuthConnectionRepository.Key(alice, Provider.BLYNK),
          Duration.ofDays(365))).isFalse();
      assertThat(stored(alice, Provider.BLYNK).status()).isEqualTo(ConnectionStatus.CONNECTED);
      assertThat(client.refreshCalls() + client.clientCredentialsCalls() + logins.logins()).isZero();
      assertThat(audit.size()).isZero();
    }
  }

  // ---------------------------------------------------------------- bounded renewals

  @Nested
  class Bounded {
    void expiringGitHub(UserId user, String refresh) {
      client.registerRefreshToken(refresh);
      connections.store(row(user, Provider.GITHUB, enc(user, Provider.GITHUB, OAuthConnection.ACCESS_TOKEN_FIELD,
          "at-old"), enc(user, Provider.GITHUB, OAuthConnection.REFRESH_TOKEN_FIELD, refresh),
          clock.instant().plusSeconds(10), null, Map.of()));
    }

    @Test
    void with_every_permit_taken_another_renewal_fails_unavailable_without_touching_its_row() throws Exception {
      TokenService bounded = service(new RefreshLimiter(1, Duration.ZERO));
      expiringGitHub(alice, "rt-alice");
      expiringGitHub(bob, "rt-bob");
      client.holdRefreshes();
      CompletableFuture<Secret> aliceCall = CompletableFuture.supplyAsync(
          () -> bounded.accessToken(alice, Provider.GITHUB));
      client.awaitRefreshEntered(); // alice's refresh holds the only permit (and her row lock)
      assertThat(bounded.limiter().available()).isZero();

      assertThatThrownBy(() -> bounded.accessToken(bob, Provider.GITHUB))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("Too many token renewals");
      assertThat(connections.isLocked(bob, Provider.GITHUB)).as("bob's row was never locked").isFalse();
      assertThat(bounded.refreshIfDue(new OAuthConnectionRepository.Key(bob, Provider.GITHUB),
          Duration.ofMinutes(15))).as("the background path skips instead of waiting").isFalse();
      assertThat(client.refreshCalls()).isEqualTo(1);

      client.releaseRefreshes();
      assertThat(aliceCall.get(30, TimeUnit.SECONDS).reveal()).startsWith("at-");
      assertThat(bounded.limiter().available()).isEqualTo(1);
      assertThat(bounded.accessToken(bob, Provider.GITHUB).reveal()).as("a permit is free again").startsWith("at-");
      assertThat(stored(bob, Provider.GITHUB).status()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void a_waiting_caller_gets_the_permit_when_it_frees_within_the_bound() throws Exception {
      TokenService bounded = service(new RefreshLimiter(1, Duration.ofSeconds(30)));
      expiringGitHub(alice, "rt-alice");
      expiringGitHub(bob, "rt-bob");
      client.holdRefreshes();
      CompletableFuture<Secret> aliceCall = CompletableFuture.supplyAsync(
          () -> bounded.accessToken(alice, Provider.GITHUB));
      client.awaitRefreshEntered();
      CompletableFuture<Secret> bobCall = CompletableFuture.supplyAsync(() -> bounded.accessToken(bob, Provider.GITHUB));
      client.releaseRefreshes();
      assertThat(aliceCall.get(30, TimeUnit.SECONDS).reveal()).startsWith("at-");
      assertThat(bobCall.get(30, TimeUnit.SECONDS).reveal()).startsWith("at-");
      assertThat(client.receivedRefreshTokens()).containsExactlyInAnyOrder("rt-alice", "rt-bob");
    }

    @Test
    void the_limiter_refuses_bad_bounds() {
      assertThatThrownBy(() -> new RefreshLimiter(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new RefreshLimiter(1, Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(Set.of(RefreshLimiter.defaults().permits())).containsExactly(RefreshLimiter.DEFAULT_PERMITS);
    }
  }
}
