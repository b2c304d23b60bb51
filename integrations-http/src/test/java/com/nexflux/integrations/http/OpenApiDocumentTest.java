package com.nexflux.integrations.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.http.support.ApiFixture;
import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shipped OpenAPI document against the routes Javalin really has. */
class OpenApiDocumentTest {
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  private final ApiFixture api = new ApiFixture();
  private final JsonNode doc = load(api.api);

  @AfterEach
  void stop() {
    api.close();
  }

  private static JsonNode load(IntegrationsApi api) {
    try {
      return new ObjectMapper().readTree(api.openApiDocument());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Set<String> documentedOperations() {
    Set<String> ops = new TreeSet<>();
    doc.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
      if (HTTP_METHODS.contains(method)) {
        ops.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    return ops;
  }

  @Test
  void documentedOperations_equalTheRoutesOfTheStandaloneServer() {
    Set<String> registered = api.app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(e -> e.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .map(e -> e.method.name() + " " + e.path)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(registered).hasSize(21);
    assertThat(documentedOperations()).isEqualTo(registered);
  }

  @Test
  void documentedOperations_equalTheRoutesThatMountAdds_asSeenByTheHandlerAddedEvent() {
    Set<String> added = new TreeSet<>();
    Javalin host = Javalin.create(config -> {
      config.events.handlerAdded((HandlerMetaInfo info) -> {
        if (info.getHttpMethod().isHttpMethod()) {
          added.add(info.getHttpMethod().name() + " " + info.getPath());
        }
      });
      api.api.mount(config);
    });
    assertThat(host).isNotNull();
    assertThat(documentedOperations()).isEqualTo(added);
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  @Test
  void userRoutesNeedTheBearerScheme_internalRoutesTheServiceToken_connectEither_publicRoutesNone() {
    assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
    assertThat(doc.at("/components/securitySchemes/internalBearer/scheme").asText()).isEqualTo("bearer");
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      if (!HTTP_METHODS.contains(op.getKey())) {
        return;
      }
      JsonNode security = op.getValue().get("security");
      JsonNode responses = op.getValue().get("responses");
      String where = op.getKey() + " " + path.getKey();
      assertThat(responses.fieldNames()).toIterable().as(where)
          .anyMatch(status -> status.startsWith("2") || status.startsWith("3"));
      assertThat(responses.has("500")).as(where).isTrue();
      if (path.getKey().startsWith("/api/v1/users/me/")) {
        assertThat(security.toString()).as(where).isEqualTo("[{\"bearerAuth\":[]}]");
        assertThat(responses.has("401")).as(where).isTrue();
        assertThat(responses.has("413")).as(where).isTrue();
      } else if (path.getKey().startsWith("/internal/")) {
        assertThat(security.toString()).as(where).isEqualTo("[{\"internalBearer\":[]}]");
        assertThat(responses.has("401")).as(where).isTrue();
        assertThat(responses.has("404")).as(where).isTrue();
      } else if (path.getKey().equals("/api/v1/auth/github/connect")) {
        // optional: a token links, no token signs in
        assertThat(security.toString()).as(where).isEqualTo("[{},{\"bearerAuth\":[]}]");
        assertThat(responses.has("302")).as(where).isTrue();
        assertThat(responses.has("401")).as(where).isTrue();
      } else {
        assertThat(security.toString()).as(where).isEqualTo("[]");
      }
    }));
  }

  @Test
  void everyErrorCodeIsDocumented() {
    Set<String> codes = new TreeSet<>();
    doc.at("/components/schemas/Error/properties/code/enum").forEach(c -> codes.add(c.asText()));
    assertThat(codes).containsExactlyInAnyOrder("VALIDATION_FAILED", "UNAUTHORIZED", "NOT_FOUND",
        "METHOD_NOT_ALLOWED", "NEEDS_REAUTH", "INVALID_GRANT", "PAYLOAD_TOO_LARGE", "RATE_LIMITED", "UNAVAILABLE",
        "PROVIDER_NOT_CONFIGURED", "OAUTH_PROTOCOL_ERROR", "CREDENTIALS_UNREADABLE", "INTERNAL", "HOST_NOT_ALLOWED",
        "CREDENTIALS_REJECTED", "ID_TOKEN_INVALID", "DEVICE_TIMEOUT", "OTA_IN_PROGRESS", "DEVICE_OFFLINE",
        "OTA_NOT_SUPPORTED");
    assertThat(codes).as("the documented codes are the codes ErrorResponses answers with")
        .isEqualTo(new TreeSet<>(com.nexflux.integrations.http.internal.ErrorResponses.STATUS_BY_CODE.keySet()));
  }

  @Test
  void theRequestSchemaMatchesTheBodyTheServerAccepts() {
    Set<String> documented = new TreeSet<>();
    doc.at("/components/schemas/MqttSettingsRequest/properties").fieldNames().forEachRemaining(documented::add);
    assertThat(documented).containsExactlyInAnyOrder("enabled", "broker_url", "username", "password",
        "use_authentication", "device_id", "topic_prefix");
    // every documented field is accepted (an unknown one would be a 400)
    StringBuilder body = new StringBuilder("{");
    for (String field : documented) {
      body.append(body.length() > 1 ? "," : "").append('"').append(field).append("\":null");
    }
    assertThat(api.put("/api/v1/users/me/integrations/mqtt", body.append('}').toString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theGitHubSchemasNameExactlyTheFieldsTheServerSendsAndAccepts() {
    try (ApiFixture gh = ApiFixture.withGitHub()) {
      JsonNode view = ApiFixture.json(gh.get("/api/v1/users/me/integrations/github")).get("data");
      assertThat(names(doc.at("/components/schemas/GitHubIntegration/properties"))).isEqualTo(names(view));
      assertThat(names(doc.at("/components/schemas/GitHubIntegration/required"))).isEqualTo(names(view));
      assertThat(names(doc.at("/components/schemas/GitHubRepository/properties")))
          .isEqualTo(names(view.get("repositories").get(0)));
      JsonNode job = ApiFixture.json(gh.get("/api/v1/users/me/integrations/github/syncs")).get("data");
      assertThat(names(doc.at("/components/schemas/SyncJobList/properties"))).isEqualTo(names(job));
      assertThat(names(doc.at("/components/schemas/SyncJob/properties"))).isEqualTo(names(job.get("items").get(0)));

      // every documented request field is accepted
      assertThat(names(doc.at("/components/schemas/GitHubSettingsRequest/properties")))
          .containsExactlyInAnyOrder("auto_sync", "selected_repos");
      assertThat(gh.put("/api/v1/users/me/integrations/github", "{\"auto_sync\":null,\"selected_repos\":null}")
          .statusCode()).isEqualTo(200);
      assertThat(names(doc.at("/components/schemas/SyncRequest/properties")))
          .containsExactlyInAnyOrder("repository_id", "project_ids");
      assertThat(names(doc.at("/components/schemas/ProjectChanged/properties")))
          .containsExactlyInAnyOrder("user_id", "project_id");
      assertThat(names(doc.at("/components/schemas/AuthorizationUrl/properties")))
          .containsExactly("authorization_url");
    }
  }

  private static Set<String> names(JsonNode node) {
    Set<String> out = new TreeSet<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      node.fieldNames().forEachRemaining(out::add);
    }
    return out;
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), refs);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }
}
