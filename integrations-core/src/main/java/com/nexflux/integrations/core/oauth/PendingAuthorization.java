package com.nexflux.integrations.core.oauth;

import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An authorization flow between its start and its callback. Stored in the database (so the callback may land on
 * any instance), keyed by the SHA-256 of the {@code state}; the raw state and the browser binding never are.
 *
 * @param stateHash hex SHA-256 of the state parameter
 * @param browserBindingHash hex SHA-256 of the value of the flow cookie set on the browser that started it
 * @param provider the provider
 * @param purpose link or sign-in
 * @param userId the linking user; {@code null} for sign-in
 * @param redirectUri the redirect URI sent in the authorization request
 * @param codeVerifier the PKCE verifier, encrypted (context: see {@link #verifierContextField(String)})
 * @param scopes the requested scopes
 * @param createdAt when the flow started
 * @param expiresAt when it stops being accepted (10 minutes later)
 * @param nonceHash hex SHA-256 of the OpenID Connect nonce sent in the authorization request, or {@code null} (not
 *     an OIDC provider)
 * @param returnTo the relative path to return to after the callback, or {@code null}
 * @param addedScopes the scopes a link flow adds to an existing connection (a scope upgrade); empty otherwise
 */
public record PendingAuthorization(
    String stateHash,
    String browserBindingHash,
    Provider provider,
    FlowPurpose purpose,
    UserId userId,
    URI redirectUri,
    EncryptedSecret codeVerifier,
    List<String> scopes,
    Instant createdAt,
    Instant expiresAt,
    String nonceHash,
    String returnTo,
    List<String> addedScopes) {

  /** A flow without nonce, return path or added scopes. */
  public PendingAuthorization(String stateHash, String browserBindingHash, Provider provider, FlowPurpose purpose,
      UserId userId, URI redirectUri, EncryptedSecret codeVerifier, List<String> scopes, Instant createdAt,
      Instant expiresAt) {
    this(stateHash, browserBindingHash, provider, purpose, userId, redirectUri, codeVerifier, scopes, createdAt,
        expiresAt, null, null, List.of());
  }

  public PendingAuthorization {
    Objects.requireNonNull(stateHash, "stateHash");
    Objects.requireNonNull(browserBindingHash, "browserBindingHash");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(redirectUri, "redirectUri");
    Objects.requireNonNull(codeVerifier, "codeVerifier");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    scopes = List.copyOf(scopes);
    addedScopes = addedScopes == null ? List.of() : List.copyOf(addedScopes);
    if (purpose == FlowPurpose.LINK) {
      Objects.requireNonNull(userId, "userId");
    }
  }

  /** @return the secret-context field name that binds the verifier's ciphertext to this flow */
  public static String verifierContextField(String stateHash) {
    return "pkce_verifier:" + stateHash;
  }
}
