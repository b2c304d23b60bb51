package com.nexflux.integrations.providers.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's OpenAPI description (the subset vendored at {@value #SPEC}) as a contract for {@link FakeGitHub}: every
 * request the fake receives and every response it sends is checked with Atlassian's swagger-request-validator.
 *
 * <p>Four adjustments, each because the validator or the subset cannot express what GitHub does:
 * <ul>
 *   <li>GitHub's recommended {@code Accept: application/vnd.github+json} is its vendor name for the JSON that the
 *       description lists as {@code application/json}: the validator is shown {@code application/json} (the fake
 *       itself insists on the vendor type).</li>
 *   <li>{@code {ref}} path parameters span several segments ({@code heads/main}; the spec marks them
 *       {@code x-multi-segment}, which the validator ignores): the ref's slashes are sent to the validator as
 *       {@code %2F}. The legacy plural {@code GET .../git/refs/heads/{b}} (absent from the spec, still served by
 *       GitHub) is checked as its singular twin {@code GET .../git/ref/heads/{b}}.</li>
 *   <li>The {@code GET /user} response is a {@code oneOf} with a discriminator on {@code user_view_type}, which
 *       the JSON schema validator only accepts when the property is required: the loaded copy marks it required
 *       in {@code private-user} and {@code public-user} (GitHub always sends it on {@code /user}).</li>
 *   <li>GitHub answers any operation with 401, 403, 404, 429 or 5xx, though the subset documents them only on
 *       some: for those statuses, when the operation does not document them, the body is checked to be GitHub's
 *       {@code basic-error} shape ({@code message} string, optional {@code documentation_url} and {@code status}
 *       strings) instead.</li>
 * </ul>
 * The validator is built once per JVM (parsing takes seconds) and shared; it is thread-safe.
 */
final class GitHubContract {
  /** The spec, a class path resource next to this class (so that it ships in the test-jar with the fixtures). */
  static final String SPEC = "github-openapi/github-api.subset.openapi.json";

  private static final Set<Integer> UNIVERSAL_STATUSES = Set.of(401, 403, 404, 429, 500, 502, 503, 504);
  private static final Pattern REF_PATH =
      Pattern.compile("^(/repos/[^/]+/[^/]+/git/)(ref|refs)/(.+)$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static volatile OpenApiInteractionValidator validator;

  private GitHubContract() {}

  /**
   * One exchange to check.
   *
   * @param method the HTTP method
   * @param path the request path as sent (percent-encoded)
   * @param query the query parameters
   * @param headers the request headers
   * @param body the request body, or {@code null}
   */
  record Exchange(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers,
      byte[] body) {}

  /** @return the problems with the request ({@code []} when it conforms) */
  static List<String> checkRequest(Exchange exchange) {
    SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), validationPath(exchange));
    exchange.headers().forEach((name, values) -> request.withHeader(name, name.equalsIgnoreCase("accept")
        ? values.stream().map(GitHubContract::mediaType).toList() : values));
    exchange.query().forEach(request::withQueryParam);
    if (exchange.body() != null && exchange.body().length > 0) {
      request.withBody(exchange.body());
    }
    return errors("request " + exchange.method() + " " + exchange.path(), validator().validateRequest(
        request.build()));
  }

  /** @return the problems with the response to the request ({@code []} when it conforms) */
  static List<String> checkResponse(Exchange exchange, int status, Map<String, String> headers, String body) {
    String what = "response " + status + " to " + exchange.method() + " " + exchange.path();
    SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
    headers.forEach(response::withHeader);
    if (body != null) {
      response.withBody(body);
    }
    ValidationReport report = validator().validateResponse(validationPath(exchange),
        Request.Method.valueOf(exchange.method()), response.build());
    boolean undocumented = report.getMessages().stream()
        .anyMatch(m -> m.getKey().equals("validation.response.status.unknown"));
    if (undocumented && UNIVERSAL_STATUSES.contains(status)) {
      return checkBasicError(what, body);
    }
    return errors(what, report);
  }

  private static List<String> checkBasicError(String what, String body) {
    List<String> problems = new ArrayList<>();
    try {
      JsonNode json = body == null ? null : JSON.readTree(body);
      if (json == null || !json.isObject() || !json.path("message").isTextual()) {
        problems.add(what + ": not a basic-error object with a message");
      } else {
        for (String field : List.of("documentation_url", "status", "url")) {
          if (json.has(field) && !json.get(field).isTextual()) {
            problems.add(what + ": basic-error's " + field + " is not a string");
          }
        }
      }
    } catch (IOException e) {
      problems.add(what + ": body is not JSON");
    }
    return problems;
  }

  /** GitHub's own media type for its JSON, which the description lists as plain {@code application/json}. */
  private static String mediaType(String accept) {
    return accept.replace("application/vnd.github+json", "application/json")
        .replace("application/vnd.github.v3+json", "application/json");
  }

  private static String validationPath(Exchange exchange) {
    Matcher ref = REF_PATH.matcher(exchange.path());
    if (!ref.matches()) {
      return exchange.path();
    }
    String kind = ref.group(2);
    if (kind.equals("refs") && exchange.method().equals("GET")) {
      kind = "ref"; // the legacy plural read, checked as the documented singular one
    }
    return ref.group(1) + kind + "/" + ref.group(3).replace("/", "%2F");
  }

  private static List<String> errors(String what, ValidationReport report) {
    List<String> problems = new ArrayList<>();
    for (ValidationReport.Message message : report.getMessages()) {
      if (message.getLevel() == ValidationReport.Level.ERROR) {
        String parameter = message.getContext().flatMap(ValidationReport.MessageContext::getParameter)
            .map(p -> " (parameter " + p.getName() + ")").orElse("");
        problems.add(what + ": [" + message.getKey() + "]" + parameter + " " + message.getMessage());
      }
    }
    return problems;
  }

  /** @return the spec as loaded (before the adjustments), for building responses from its examples */
  static JsonNode spec() {
    return Holder.SPEC_TREE;
  }

  /**
   * Builds the shared validator now (it takes seconds), so that the cost is paid when a fake starts, not inside a
   * client's read timeout on the first request.
   */
  static void load() {
    validator();
  }

  private static OpenApiInteractionValidator validator() {
    OpenApiInteractionValidator v = validator;
    if (v == null) {
      synchronized (GitHubContract.class) {
        v = validator;
        if (v == null) {
          ObjectNode adjusted = Holder.SPEC_TREE.deepCopy();
          for (String schema : List.of("private-user", "public-user")) {
            ObjectNode node = (ObjectNode) adjusted.path("components").path("schemas").path(schema);
            ((ArrayNode) node.get("required")).add("user_view_type");
          }
          v = OpenApiInteractionValidator.createForInlineApiSpecification(adjusted.toString()).build();
          validator = v;
        }
      }
    }
    return v;
  }

  private static final class Holder {
    static final JsonNode SPEC_TREE = load();

    private static JsonNode load() {
      try (InputStream in = GitHubContract.class.getResourceAsStream(SPEC)) {
        if (in == null) {
          throw new IllegalStateException("missing class path resource " + SPEC);
        }
        return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
