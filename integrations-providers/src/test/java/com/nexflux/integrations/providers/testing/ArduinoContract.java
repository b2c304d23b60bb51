package com.nexflux.integrations.providers.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Arduino Cloud's OpenAPI description (the subset of the operations NexFlux uses, vendored at {@value #SPEC} from
 * arduino/iot-client-go@260b95d1 {@code api/openapi.yaml}) as a contract for {@link FakeArduinoCloud}: every API
 * request the fake receives and every answer it sends is checked with swagger-request-validator. The token endpoint
 * is not an operation of the description (only the oauth2 scheme's {@code tokenUrl}); the fake checks it by hand
 * from Arduino's documentation. Built once per JVM; thread-safe.
 */
final class ArduinoContract {
  static final String SPEC = "arduino-openapi/arduino-iot.subset.openapi.json";

  private static volatile OpenApiInteractionValidator validator;

  private ArduinoContract() {}

  static List<String> checkRequest(String method, String path, Map<String, List<String>> query,
      Map<String, List<String>> headers, byte[] body) {
    SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
    headers.forEach(request::withHeader);
    query.forEach(request::withQueryParam);
    if (body != null && body.length > 0) {
      request.withBody(body);
    }
    return errors("request " + method + " " + path, validator().validateRequest(request.build()));
  }

  static List<String> checkResponse(String method, String path, int status, String contentType, String body) {
    SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
    if (contentType != null) {
      response.withContentType(contentType);
    }
    if (body != null) {
      response.withBody(body);
    }
    ValidationReport report = validator().validateResponse(path, Request.Method.valueOf(method), response.build());
    return errors("response " + status + " to " + method + " " + path, report);
  }

  private static List<String> errors(String what, ValidationReport report) {
    List<String> problems = new ArrayList<>();
    for (ValidationReport.Message message : report.getMessages()) {
      if (message.getLevel() == ValidationReport.Level.ERROR) {
        problems.add(what + ": [" + message.getKey() + "] " + message.getMessage());
      }
    }
    return problems;
  }

  private static OpenApiInteractionValidator validator() {
    OpenApiInteractionValidator v = validator;
    if (v == null) {
      synchronized (ArduinoContract.class) {
        v = validator;
        if (v == null) {
          try (InputStream in = ArduinoContract.class.getResourceAsStream(SPEC)) {
            if (in == null) {
              throw new IllegalStateException("missing class path resource " + SPEC);
            }
            v = OpenApiInteractionValidator.createForInlineApiSpecification(
                new String(in.readAllBytes(), StandardCharsets.UTF_8)).build();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          validator = v;
        }
      }
    }
    return v;
  }
}
