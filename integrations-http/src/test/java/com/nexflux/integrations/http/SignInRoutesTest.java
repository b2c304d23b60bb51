package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.IdentityRepository;
import com.nexflux.integrations.core.oauth.SignInIdentities;
import com.nexflux.integrations.http.support.ApiFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/auth/providers}, {@code GET/DELETE /api/v1/users/me/identities[/{provider}]} and CORS. */
class SignInRoutesTest {
  private static final String FRONTEND = "https://app.nexflux.example";

  /** Identities in memory: what the routes ask for and remove. */
  static final class Identities implements SignInIdentities {
    final List<IdentityRepository.Identity> stored = new CopyOnWriteArrayList<>();
    final List<UserId> listedFor = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();

    @Override
    public List<IdentityRepository.Identity> list(UserId userId) {
      listedFor.add(userId);
      return List.copyOf(stored);
    }

    @Override
    public boolean remove(UserId userId, Provider provider, RequestContext context) {
      removed.add(userId + ":" + provider.key() + ":" + context.requestId());
      return stored.removeIf(i -> i.provider().equals(provider));
    }
  }

  private final Identities identities = new Identities();
  private ApiFixture api = ApiFixture.withGitHub(b -> b.signInIdentities(identities)
      .corsAllowedOrigins(List.of(FRONTEND, "http://localhost:5173")));

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void authProviders_needsNoToken_andSaysWhatIsConfiguredAndWhatOffersSignIn() {
    HttpResponse<String> r = api.send(api.request("/api/v1/auth/providers").GET());
    JsonNode providers = data(r, 200).get("providers");
    assertThat(providers).hasSize(1);
    JsonNode github = providers.get(0);
    assertThat(github.get("provider").asText()).isEqualTo("github");
    assertThat(github.get("name").asText()).isEqualTo("GitHub");
    assertThat(github.get("configured").asBoolean()).isTrue();
    assertThat(github.get("sign_in").asBoolean()).isTrue();
    assertThat(github.get("connect_url").asText()).isEqualTo("/api/v1/auth/github/connect?intent=sign_in");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");

    api.close();
    api = ApiFixture.withGitHub(b -> { });
    api.oauth.signIn = false;
    JsonNode notOffered = data(api.send(api.request("/api/v1/auth/providers").GET()), 200).get("providers").get(0);
    assertThat(notOffered.get("configured").asBoolean()).isTrue();
    assertThat(notOffered.get("sign_in").asBoolean()).isFalse();
    assertThat(notOffered.get("connect_url").asText()).isEqualTo("/api/v1/auth/github/connect");
  }

  @Test
  void authProviders_listsAnUnconfiguredProviderAsSuch() {
    api.close();
    api = new ApiFixture();
    JsonNode github = data(api.send(api.request("/api/v1/auth/providers").GET()), 200).get("providers").get(0);
    assertThat(github.get("configured").asBoolean()).isFalse();
    assertThat(github.get("sign_in").asBoolean()).isFalse();
  }

  @Test
  void identities_areTheCallersOwn_andNeedAToken() {
    identities.stored.add(new IdentityRepository.Identity(Provider.GITHUB, "583231",
        Instant.parse("2026-01-10T08:00:00Z")));
    error(api.send(api.request("/api/v1/users/me/identities").GET()), 401, "UNAUTHORIZED");
    assertThat(identities.listedFor).isEmpty();

    JsonNode list = data(api.get("/api/v1/users/me/identities"), 200).get("identities");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("provider").asText()).isEqualTo("github");
    assertThat(list.get(0).get("account_id").asText()).isEqualTo("583231");
    assertThat(list.get(0).get("created_at").asText()).isEqualTo("2026-01-10T08:00:00Z");
    assertThat(identities.listedFor).containsExactly(api.user);
  }

  @Test
  void deletingAnIdentity_isIdempotent_andUnknownProvidersAre404() {
    identities.stored.add(new IdentityRepository.Identity(Provider.GITHUB, "1", Instant.EPOCH));
    error(api.send(api.request("/api/v1/users/me/identities/github").DELETE()), 401, "UNAUTHORIZED");
    assertThat(identities.removed).isEmpty();

    HttpResponse<String> r = api.delete("/api/v1/users/me/identities/github");
    assertThat(data(r, 200).get("deleted").asBoolean()).isTrue();
    assertThat(data(api.delete("/api/v1/users/me/identities/github"), 200).get("deleted").asBoolean()).isTrue();
    assertThat(identities.stored).isEmpty();
    assertThat(identities.removed).hasSize(2).first().asString()
        .isEqualTo(api.user + ":github:" + r.headers().firstValue("X-Request-Id").orElseThrow());
    error(api.delete("/api/v1/users/me/identities/Not_A_Slug"), 404, "NOT_FOUND");
  }

  @Test
  void cors_aPreflightFromAnAllowedOrigin_allowsCredentialsAuthorizationAndContentType() {
    HttpResponse<String> r = api.send(api.request("/api/v1/users/me/integrations/mqtt")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", FRONTEND)
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "authorization, content-type"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(FRONTEND);
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
        .contains("authorization").contains("content-type");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PUT");
  }

  @Test
  void cors_anActualRequestFromAnAllowedOrigin_getsTheOriginBack() {
    HttpResponse<String> r = api.send(api.authed("/api/v1/users/me/identities").header("Origin",
        "http://localhost:5173").GET());
    data(r, 200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
  }

  @Test
  void cors_anotherOriginGetsNoCorsHeaders() {
    HttpResponse<String> preflight = api.send(api.request("/api/v1/users/me/integrations")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization"));
    HttpResponse<String> get = api.send(api.authed("/api/v1/users/me/identities")
        .header("Origin", "https://app.nexflux.example.evil.example").GET());
    for (HttpResponse<String> r : List.of(preflight, get)) {
      assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }
  }

  @Test
  void cors_isOffByDefault() {
    api.close();
    api = ApiFixture.withGitHub();
    HttpResponse<String> r = api.send(api.authed("/api/v1/users/me/identities").header("Origin", FRONTEND).GET());
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
  }

  @Test
  void corsOrigins_mustBeExactOrigins() {
    for (String bad : List.of("*", "https://app.example/", "https://app.example/path", "app.example",
        "ftp://app.example")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> IntegrationsApi.builder()
          .corsAllowedOrigins(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
