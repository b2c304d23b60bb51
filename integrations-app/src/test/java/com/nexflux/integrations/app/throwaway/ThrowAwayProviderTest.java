package com.nexflux.integrations.app.throwaway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.app.NexfluxIntegrations;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.core.provider.ProviderStatus;
import com.nexflux.integrations.http.JwtAuthenticator;
import com.nexflux.integrations.http.kit.ApiKit;
import com.nexflux.integrations.http.kit.RouteModule;
import com.nexflux.integrations.http.kit.RouteRegistry;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import com.nexflux.integrations.persistence.testing.TestDatabase;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seam's proof: a provider that no shared file knows (its module, route module, status and OpenAPI fragment all
 * live in this test's package) is registered with one line and shows up in the overview, the routes and
 * {@code /openapi.json}.
 */
class ThrowAwayProviderTest {
  static final Provider THROW_AWAY = Provider.of("throw_away");
  static final byte[] SECRET = "throw-away-provider-test-secret-32+bytes".getBytes(StandardCharsets.UTF_8);

  /** The throw-away provider's use case: a greeting per user. */
  public interface Greetings {
    String greet(UserId user);
  }

  /** Its route module: one authenticated route and its OpenAPI fragment. */
  static final class ThrowAwayRoutes implements RouteModule {
    private final Greetings greetings;

    ThrowAwayRoutes(Greetings greetings) {
      this.greetings = greetings;
    }

    @Override
    public void register(RouteRegistry routes, ApiKit kit) {
      routes.get(ApiKit.INTEGRATIONS + "/" + THROW_AWAY.slug(),
          ctx -> kit.ok(ctx, Map.of("greeting", greetings.greet(kit.user(ctx)))));
    }

    @Override
    public String openApi() {
      return """
          {"paths": {"/api/v1/users/me/integrations/throw-away": {"get": {
            "operationId": "getThrowAway", "tags": ["integrations"], "security": [{"bearerAuth": []}],
            "responses": {
              "200": {"description": "A greeting"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "500": {"$ref": "#/components/responses/Internal"}}}}}}
          """;
    }
  }

  /** Its module: descriptor, status, routes, use case. */
  static final class ThrowAwayModule implements ProviderModule {
    @Override
    public ProviderDescriptor descriptor() {
      return new ProviderDescriptor(THROW_AWAY, "Throw-away", List.of(ConnectionMethod.API_KEY),
          Set.of(Capability.DEVICES));
    }

    @Override
    public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
      Greetings greetings = user -> "hello " + user;
      return ProviderSlice.builder()
          .status(user -> new ProviderStatus(true, true, "connected", Instant.parse("2026-12-01T00:00:00Z")))
          .routes(new ThrowAwayRoutes(greetings))
          .useCase(Greetings.class, greetings)
          .build();
    }
  }

  NexfluxIntegrations integrations;
  Javalin server;
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();
  final UserId user = new UserId(UUID.randomUUID());

  @BeforeEach
  void start() {
    integrations = NexfluxIntegrations.builder()
        .dataSource(TestDatabase.createEmpty().dataSource())
        .keyset(TinkSecretCipher.generateKeysetJson())
        .provider(new ThrowAwayModule()) // the one registration line
        .build();
    server = integrations.httpApi(JwtAuthenticator.hs256(SECRET, null, null)).createServer().start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.stop();
    integrations.close();
  }

  JsonNode get(String path, boolean authenticated) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (authenticated) {
      req.header("Authorization", "Bearer " + JwtAuthenticator.issueHs256(SECRET, user, null, null,
          Duration.ofMinutes(5)));
    }
    HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(res.body());
    ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_status", res.statusCode());
    return body;
  }

  @Test
  void the_overview_lists_it_after_the_known_providers_with_its_slug_status_and_capabilities() throws Exception {
    JsonNode items = get("/api/v1/users/me/integrations", true).at("/data/integrations");
    assertThat(items).hasSize(Provider.known().size() + 1);
    JsonNode last = items.get(items.size() - 1);
    assertThat(last.get("provider").asText()).isEqualTo("throw_away");
    assertThat(last.get("slug").asText()).isEqualTo("throw-away");
    assertThat(last.get("name").asText()).isEqualTo("Throw-away");
    assertThat(last.get("available").asBoolean()).isTrue();
    assertThat(last.get("status").asText()).isEqualTo("connected");
    assertThat(last.get("connect_by").toString()).isEqualTo("[\"api_key\"]");
    assertThat(last.get("capabilities").toString()).isEqualTo("[\"devices\"]");
  }

  @Test
  void its_route_is_served_and_authenticated_like_every_user_route() throws Exception {
    JsonNode ok = get("/api/v1/users/me/integrations/throw-away", true);
    assertThat(ok.get("_status").asInt()).isEqualTo(200);
    assertThat(ok.at("/data/greeting").asText()).isEqualTo("hello " + user);
    JsonNode anonymous = get("/api/v1/users/me/integrations/throw-away", false);
    assertThat(anonymous.get("_status").asInt()).isEqualTo(401);
    assertThat(anonymous.at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(integrations.useCase(Greetings.class)).isPresent();
  }

  @Test
  void the_openapi_document_describes_it() throws Exception {
    JsonNode doc = get("/openapi.json", false);
    assertThat(doc.at("/paths/~1api~1v1~1users~1me~1integrations~1throw-away/get/operationId").asText())
        .isEqualTo("getThrowAway");
    assertThat(doc.at("/paths/~1api~1v1~1users~1me~1integrations~1mqtt").isMissingNode()).isFalse();
  }
}
