package com.nexflux.integrations.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.testing.AesGcmTestCipher;
import com.nexflux.integrations.core.testing.InMemoryAuditLog;
import com.nexflux.integrations.core.testing.InMemoryOAuthConnections;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.core.testing.ScriptedOAuthClient;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The neutral disconnect: best-effort revocation per provider strategy, local delete, one audit row. */
class ConnectionDisconnectTest {
  static final OAuthProviderConfig GOOGLE = new OAuthProviderConfig(Provider.GOOGLE, "g-client", Secret.of("g-secret"),
      URI.create("https://accounts.google.com/o/oauth2/v2/auth"), URI.create("https://oauth2.googleapis.com/token"),
      URI.create("https://api.nexflux.example/api/v1/auth/google/callback"), List.of("openid"), List.of("openid"),
      URI.create("https://www.googleapis.com"));
  static final Revocation.Rfc7009 GOOGLE_REVOKE = new Revocation.Rfc7009(
      URI.create("https://oauth2.googleapis.com/revoke"));
  static final OAuthProviderConfig MICROSOFT = new OAuthProviderConfig(Provider.ONEDRIVE, "ms-client",
      Secret.of("ms-secret"), URI.create("https://login.microsoftonline.com/common/oauth2/v2.0/authorize"),
      URI.create("https://login.microsoftonline.com/common/oauth2/v2.0/token"),
      URI.create("https://api.nexflux.example/api/v1/auth/onedrive/callback"), List.of("Files.ReadWrite"), List.of(),
      URI.create("https://graph.microsoft.com"));

  final UserId alice = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
  final RequestContext ctx = new RequestContext("req-7", "198.51.100.7", "JUnit/5");

  MutableClock clock;
  InMemoryAuditLog audit;
  InMemoryOAuthConnections connections;
  ScriptedOAuthClient client;
  AesGcmTestCipher cipher;
  ConnectionDisconnect disconnects;

  @BeforeEach
  void setUp() {
    clock = new MutableClock();
    audit = new InMemoryAuditLog();
    connections = new InMemoryOAuthConnections(audit);
    client = new ScriptedOAuthClient(clock);
    cipher = new AesGcmTestCipher();
    Map<Provider, GrantStrategy> grants = new LinkedHashMap<>();
    grants.put(Provider.GOOGLE, new GrantStrategy.AuthorizationCode(GOOGLE, GOOGLE_REVOKE));
    grants.put(Provider.ONEDRIVE, new GrantStrategy.AuthorizationCode(MICROSOFT, Revocation.NONE));
    TokenService tokens = new TokenService(grants, client, null, connections, cipher, audit, clock,
        RefreshLimiter.defaults());
    disconnects = new ConnectionDisconnect(grants, tokens, client, connections, cipher, clock);
  }

  void connect(Provider provider, String access, String refresh) {
    var a = cipher.encrypt(Secret.of(access), new SecretContext(alice, provider, OAuthConnection.ACCESS_TOKEN_FIELD));
    var r = refresh == null ? null
        : cipher.encrypt(Secret.of(refresh), new SecretContext(alice, provider, OAuthConnection.REFRESH_TOKEN_FIELD));
    connections.store(new OAuthConnection(alice, provider, ConnectionStatus.CONNECTED, "acct", a, r,
        clock.instant().plus(Duration.ofHours(1)), null, List.of(), Map.of(), clock.instant(), clock.instant(), 1));
  }

  AuditEvent lastDisconnect() {
    List<AuditEvent> rows = audit.withAction(AuditEvent.Actions.DISCONNECT);
    assertThat(rows).isNotEmpty();
    return rows.get(rows.size() - 1);
  }

  @Test
  void rfc7009_revokes_the_refresh_token_then_deletes_and_audits_revoked() {
    connect(Provider.GOOGLE, "ya29-CANARY", "1//refresh-CANARY");
    ConnectionDisconnect.Result result = disconnects.disconnect(alice, Provider.GOOGLE, ctx);
    assertThat(result).isEqualTo(new ConnectionDisconnect.Result(true, ConnectionDisconnect.Upstream.REVOKED));
    assertThat(client.revocations()).containsExactly(new ScriptedOAuthClient.Revoked(GOOGLE_REVOKE,
        "1//refresh-CANARY", Revocation.TokenKind.REFRESH_TOKEN));
    assertThat(connections.stored(alice, Provider.GOOGLE)).isEmpty();
    AuditEvent row = lastDisconnect();
    assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
    assertThat(row.reason()).isNull();
    assertThat(row.details()).containsEntry("upstream_revocation", "revoked").containsEntry("upstream_revoked", "true");
    assertThat(row.context().requestId()).isEqualTo("req-7");
    assertThat(row.toString()).doesNotContain("CANARY");
  }

  @Test
  void rfc7009_without_a_refresh_token_revokes_the_access_token() {
    connect(Provider.GOOGLE, "ya29-only", null);
    disconnects.disconnect(alice, Provider.GOOGLE, ctx);
    assertThat(client.revocations()).containsExactly(new ScriptedOAuthClient.Revoked(GOOGLE_REVOKE, "ya29-only",
        Revocation.TokenKind.ACCESS_TOKEN));
  }

  @Test
  void a_failing_revocation_still_deletes_and_says_so() {
    connect(Provider.GOOGLE, "ya29", "1//rt");
    client.failRevoke(() -> new UnavailableException("revocation endpoint answered 503 (simulated)", null));
    ConnectionDisconnect.Result result = disconnects.disconnect(alice, Provider.GOOGLE, ctx);
    assertThat(result.upstream()).isEqualTo(ConnectionDisconnect.Upstream.FAILED);
    assertThat(connections.stored(alice, Provider.GOOGLE)).isEmpty();
    AuditEvent row = lastDisconnect();
    assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
    assertThat(row.reason()).isEqualTo("revoke_failed");
    assertThat(row.details()).containsEntry("upstream_revocation", "failed").containsEntry("upstream_revoked", "false");
  }

  @Test
  void a_provider_without_revocation_is_deleted_with_an_audit_row_saying_not_supported() {
    connect(Provider.ONEDRIVE, "eyJ-ms", "ms-rt");
    ConnectionDisconnect.Result result = disconnects.disconnect(alice, Provider.ONEDRIVE, ctx);
    assertThat(result).isEqualTo(new ConnectionDisconnect.Result(true, ConnectionDisconnect.Upstream.NOT_SUPPORTED));
    assertThat(client.revocations()).isEmpty();
    assertThat(connections.stored(alice, Provider.ONEDRIVE)).isEmpty();
    AuditEvent row = lastDisconnect();
    assertThat(row.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
    assertThat(row.reason()).isEqualTo("revocation_not_supported");
    assertThat(row.details()).containsEntry("upstream_revocation", "not_supported");
  }

  @Test
  void a_connection_needing_reauthorization_has_no_token_to_revoke() {
    connect(Provider.GOOGLE, "ya29", "1//rt");
    connections.modify(alice, Provider.GOOGLE, c -> c.needingReauth(clock.instant()));
    assertThat(disconnects.disconnect(alice, Provider.GOOGLE, ctx).upstream())
        .isEqualTo(ConnectionDisconnect.Upstream.NO_TOKEN);
    assertThat(client.revocations()).isEmpty();
    assertThat(lastDisconnect().reason()).isEqualTo("no_token");
    assertThat(connections.stored(alice, Provider.GOOGLE)).isEmpty();
  }

  @Test
  void nothing_stored_is_idempotent_and_still_audited() {
    ConnectionDisconnect.Result result = disconnects.disconnect(alice, Provider.GOOGLE, ctx);
    assertThat(result).isEqualTo(new ConnectionDisconnect.Result(false, ConnectionDisconnect.Upstream.NOT_CONNECTED));
    assertThat(lastDisconnect().reason()).isEqualTo("not_configured");
    assertThat(client.revocations()).isEmpty();
  }
}
