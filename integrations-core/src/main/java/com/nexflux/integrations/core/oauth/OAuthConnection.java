package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user's stored OAuth connection to one provider: encrypted tokens, their expiry, the granted scopes, the
 * provider account, and provider-specific non-secret settings (stored in {@code config}).
 *
 * @param userId the owner
 * @param provider the provider
 * @param status connected or needs re-authorization
 * @param accountId the provider account's stable id (e.g. GitHub's numeric user id)
 * @param accessToken the encrypted access token ({@code null} once cleared)
 * @param refreshToken the encrypted refresh token, or {@code null}
 * @param tokenExpiresAt when the access token expires, or {@code null}
 * @param refreshTokenExpiresAt when the refresh token expires, or {@code null}
 * @param scopes the granted scopes
 * @param config non-secret provider settings and profile (JSON-compatible values: String, Boolean, Number, List, Map)
 * @param connectedAt when the user connected
 * @param updatedAt last change
 * @param credentialsVersion grows with every token change (compare-and-set guard)
 */
public record OAuthConnection(
    UserId userId,
    Provider provider,
    ConnectionStatus status,
    String accountId,
    EncryptedSecret accessToken,
    EncryptedSecret refreshToken,
    Instant tokenExpiresAt,
    Instant refreshTokenExpiresAt,
    List<String> scopes,
    Map<String, Object> config,
    Instant connectedAt,
    Instant updatedAt,
    long credentialsVersion) {

  /** The {@code SecretContext} field names of the two tokens. */
  public static final String ACCESS_TOKEN_FIELD = "access_token";
  public static final String REFRESH_TOKEN_FIELD = "refresh_token";
  /** The {@code SecretContext} field of the user's own client id (client credentials grant). */
  public static final String CLIENT_ID_FIELD = "client_id";
  /** The {@code SecretContext} field of the user's own client secret (client credentials grant). */
  public static final String CLIENT_SECRET_FIELD = "client_secret";
  /** The {@code SecretContext} field of the login password (password login). */
  public static final String PASSWORD_FIELD = "password";
  /** The {@code config} key of the login username (password login; not a secret, like the MQTT username). */
  public static final String LOGIN_USERNAME_KEY = "login_username";
  /** The {@code config} key of the server a password login goes to (e.g. a self-hosted ThingsBoard). */
  public static final String BASE_URL_KEY = "base_url";
  /**
   * Stored credentials live in {@code config} under their field name plus this suffix, as ciphertext only (like the
   * MQTT {@code password_encrypted}); such keys are never shown.
   */
  public static final String ENCRYPTED_SUFFIX = "_encrypted";
  /**
   * The {@code config} key of this connection's own token request form parameters (an object of strings; client
   * credentials grant), e.g. Arduino's {@code {"organization_id": "…"}}. Not secret.
   */
  public static final String TOKEN_PARAMETERS_KEY = "token_parameters";
  /** The {@code config} key of this connection's own token request headers, e.g. {@code {"X-Organization": "…"}}. */
  public static final String TOKEN_HEADERS_KEY = "token_headers";
  /**
   * The {@code config} key of this connection's own token endpoint (client credentials grant; Blynk: the regional
   * server's {@code /oauth2/token}); only one of the grant's {@code connectionEndpoints} is used. Not secret.
   */
  public static final String TOKEN_ENDPOINT_KEY = "token_endpoint";

  public OAuthConnection {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(connectedAt, "connectedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    scopes = List.copyOf(scopes);
    config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  /** @return a copy with new tokens (keeping the old refresh token when the provider sent none) */
  public OAuthConnection withTokens(EncryptedSecret access, EncryptedSecret refresh, Instant expiresAt,
      Instant refreshExpiresAt, List<String> newScopes, Instant now) {
    return new OAuthConnection(userId, provider, ConnectionStatus.CONNECTED, accountId, access,
        refresh == null ? refreshToken : refresh, expiresAt,
        refresh == null ? refreshTokenExpiresAt : refreshExpiresAt,
        newScopes.isEmpty() ? scopes : newScopes, config, connectedAt, now, credentialsVersion + 1);
  }

  /** @return a copy marked as needing re-authorization, with both tokens cleared */
  public OAuthConnection needingReauth(Instant now) {
    return new OAuthConnection(userId, provider, ConnectionStatus.NEEDS_REAUTH, accountId, null, null, null, null,
        scopes, config, connectedAt, now, credentialsVersion + 1);
  }

  /** @return a copy with different non-secret settings */
  public OAuthConnection withConfig(Map<String, Object> newConfig, Instant now) {
    return new OAuthConnection(userId, provider, status, accountId, accessToken, refreshToken, tokenExpiresAt,
        refreshTokenExpiresAt, scopes, newConfig, connectedAt, now, credentialsVersion);
  }

  /** @return the stored credential of this field ({@code config[field + "_encrypted"]}), or {@code null} */
  public EncryptedSecret storedCredential(String field) {
    Object value = config.get(field + ENCRYPTED_SUFFIX);
    return value instanceof String s && !s.isEmpty() ? new EncryptedSecret(s) : null;
  }

  /** @return a copy holding {@code value} as the stored credential of {@code field} */
  public OAuthConnection withStoredCredential(String field, EncryptedSecret value, Instant now) {
    Map<String, Object> next = new LinkedHashMap<>(config);
    next.put(field + ENCRYPTED_SUFFIX, value.ciphertext());
    return withConfig(next, now);
  }

  /** @return this connection's own token request parameters ({@link #TOKEN_PARAMETERS_KEY}; none: empty) */
  public Map<String, String> tokenParameters() {
    return strings(TOKEN_PARAMETERS_KEY);
  }

  /** @return this connection's own token request headers ({@link #TOKEN_HEADERS_KEY}; none: empty) */
  public Map<String, String> tokenHeaders() {
    return strings(TOKEN_HEADERS_KEY);
  }

  /** @return this connection's own token endpoint ({@link #TOKEN_ENDPOINT_KEY}), or {@code null} */
  public java.net.URI tokenEndpoint() {
    if (!(config.get(TOKEN_ENDPOINT_KEY) instanceof String text) || text.isBlank()) {
      return null;
    }
    try {
      return new java.net.URI(text);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("the stored token endpoint is not a URI");
    }
  }

  private Map<String, String> strings(String key) {
    if (!(config.get(key) instanceof Map<?, ?> map)) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (k instanceof String name && v instanceof String value) {
        out.put(name, value);
      }
    });
    return out;
  }

  @Override
  public String toString() {
    return "OAuthConnection[user=" + userId + ", provider=" + provider.key() + ", status=" + status.key()
        + ", expires=" + tokenExpiresAt + ", version=" + credentialsVersion + "]";
  }
}
