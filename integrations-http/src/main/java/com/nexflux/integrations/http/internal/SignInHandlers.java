package com.nexflux.integrations.http.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.oauth.IdentityRepository;
import com.nexflux.integrations.core.oauth.SignInIdentities;
import com.nexflux.integrations.http.oauth.OAuthRoutes;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The frontend contract of sign-in: {@code GET /api/v1/auth/providers} (no authentication) and
 * {@code GET}/{@code DELETE /api/v1/users/me/identities[/{provider}]}.
 */
public final class SignInHandlers {
  /** {@code GET /api/v1/auth/providers}. */
  public record AuthProviders(@JsonProperty("providers") List<AuthProvider> providers) {}

  /** One OAuth provider of the deployment. */
  public record AuthProvider(
      @JsonProperty("provider") String provider,
      @JsonProperty("slug") String slug,
      @JsonProperty("name") String name,
      @JsonProperty("configured") boolean configured,
      @JsonProperty("sign_in") boolean signIn,
      @JsonProperty("connect_url") String connectUrl) {}

  /** {@code GET /api/v1/users/me/identities}. */
  public record Identities(@JsonProperty("identities") List<Identity> identities) {}

  /** One sign-in identity. */
  public record Identity(
      @JsonProperty("provider") String provider,
      @JsonProperty("account_id") String accountId,
      @JsonProperty("created_at") Instant createdAt) {}

  private final List<OAuthRoutes> oauth;
  private final SignInIdentities identities;
  private final BearerAuthentication auth;
  private final JsonResponses json;

  /**
   * @param oauth the OAuth route modules (one per OAuth provider), in order
   * @param identities the identities use case, or {@code null} (the identity routes then list none and remove none)
   */
  public SignInHandlers(List<OAuthRoutes> oauth, SignInIdentities identities, BearerAuthentication auth,
      JsonResponses json) {
    this.oauth = List.copyOf(oauth);
    this.identities = identities;
    this.auth = Objects.requireNonNull(auth, "auth");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** {@code GET /api/v1/auth/providers}: which providers a login page may offer, and which are configured. */
  public void providers(Context ctx) {
    json.ok(ctx, new AuthProviders(oauth.stream().map(r -> {
      boolean signIn = r.offersSignIn();
      return new AuthProvider(r.provider().key(), r.provider().slug(), r.displayName(), r.configured(), signIn,
          OAuthRoutes.connectPath(r.provider()) + (signIn ? "?intent=sign_in" : ""));
    }).toList()));
  }

  /** {@code GET /api/v1/users/me/identities}. */
  public void list(Context ctx) {
    UserId user = auth.user(ctx);
    List<IdentityRepository.Identity> list = identities == null ? List.of() : identities.list(user);
    json.ok(ctx, new Identities(list.stream()
        .map(i -> new Identity(i.provider().key(), i.accountId(), i.createdAt())).toList()));
  }

  /** {@code DELETE /api/v1/users/me/identities/{provider}}: idempotent, {@code {"deleted": true}}. */
  public void delete(Context ctx) {
    UserId user = auth.user(ctx);
    Provider provider = Provider.fromSlug(ctx.pathParam("provider"))
        .orElseThrow(() -> new NotFoundException("No such provider"));
    if (identities != null) {
      identities.remove(user, provider, RequestScope.context(ctx));
    }
    json.ok(ctx, new Responses.Deleted(true));
  }
}
