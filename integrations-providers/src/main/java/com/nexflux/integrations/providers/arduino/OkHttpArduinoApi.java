package com.nexflux.integrations.providers.arduino;

import com.fasterxml.jackson.databind.JsonNode;
import com.nexflux.integrations.core.arduino.ArduinoApi;
import com.nexflux.integrations.core.arduino.ArduinoDevice;
import com.nexflux.integrations.core.arduino.ArduinoOta;
import com.nexflux.integrations.core.arduino.ArduinoProperty;
import com.nexflux.integrations.core.arduino.ArduinoThing;
import com.nexflux.integrations.core.arduino.OtaRefusedException;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.providers.arduino.internal.ArduinoJson;
import com.nexflux.integrations.providers.http.RateLimitKey;
import com.nexflux.integrations.providers.http.RateLimiter;
import com.nexflux.integrations.providers.internal.BoundedBodies;
import com.nexflux.integrations.providers.internal.RetryAfter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The core's {@link ArduinoApi} on OkHttp: Arduino Cloud's IoT API v2 at a configurable base
 * ({@code https://api2.arduino.cc}).
 *
 * <ul>
 *   <li>{@link #token}: {@code POST /iot/v1/clients/token}, form-encoded {@code grant_type=client_credentials},
 *       {@code client_id}, {@code client_secret}, {@code audience=}{@value #AUDIENCE}; with an organization also
 *       {@code organization_id} and the {@code X-Organization} header. 401, or 400 {@code invalid_client} /
 *       {@code unauthorized_client}, is {@link CredentialsRejectedException}; 403 with an organization is
 *       {@link ValidationException} naming {@code organization_id} (the key is not a member).</li>
 *   <li>{@code GET /iot/v2/devices}, {@code GET /iot/v2/things}, {@code GET /iot/v2/things/{id}/properties},
 *       {@code PUT /iot/v2/things/{id}/properties/{pid}/publish} ({@code {"value": …}}), each with
 *       {@code Authorization: Bearer}, the operation's media types in {@code Accept}, and {@code X-Organization}
 *       when the connection has an organization.</li>
 *   <li>{@link #uploadOta}: {@code POST /iot/v2/devices/{id}/ota}, multipart {@code async=true} and
 *       {@code ota_file} streamed from the binary's content (re-opened for a retry), bounded by
 *       {@link #OTA_CALL_TIMEOUT}; 409 → {@code OTA_IN_PROGRESS}, 410 → {@code DEVICE_OFFLINE}, 412 →
 *       {@code OTA_NOT_SUPPORTED} ({@link OtaRefusedException}), 400 → {@link ValidationException} naming
 *       {@code ota_file}.</li>
 * </ul>
 *
 * <p>Every request carries the connection's {@link RateLimitKey} ({@code arduino_cloud:<user>}), so a rate-limited
 * client ({@link com.nexflux.integrations.providers.http.OutboundHttpClients.Spec#rateLimit}) spaces one
 * connection's requests. A 429 is waited out: {@code Retry-After} when given, else 1 s, 2 s, 4 s; at most
 * {@value #MAX_RETRIES} retries and never a single wait over {@link #MAX_WAIT}, after which it is
 * {@link RateLimitedException}.
 *
 * <p>Errors arrive as goa's {@code application/vnd.goa.error+json} ({@code {id, code, status, detail}}); only its
 * {@code code}, when it looks like an identifier, is quoted: 400 → {@link ValidationException} (the field the
 * operation names), 401 → {@link UnavailableException} (Arduino refused the token), 403/404 →
 * {@link NotFoundException}, 5xx, network failures, timeouts and unusable answers → {@link UnavailableException}.
 * No message contains a token or a secret.
 */
public final class OkHttpArduinoApi implements ArduinoApi {
  /** The token request's audience. */
  public static final String AUDIENCE = "https://api2.arduino.cc/iot";
  /** How many times a 429 is retried. */
  public static final int MAX_RETRIES = 3;
  /** The longest single wait for a 429. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(8);
  /** The largest answer read. */
  public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  static final String DEVICES_TYPE = "application/vnd.arduino.devicev2+json; type=collection";
  static final String THINGS_TYPE = "application/vnd.arduino.thing+json; type=collection";
  static final String PROPERTIES_TYPE = "application/vnd.arduino.property+json; type=collection";
  static final String ERROR_TYPE = "application/vnd.goa.error+json";
  static final String OTA_TYPE = "application/vnd.arduino.devicev2.otaupload+json";
  /** The bound on a whole OTA upload (the other calls keep the client's own). */
  public static final Duration OTA_CALL_TIMEOUT = Duration.ofMinutes(2);
  private static final MediaType BINARY_TYPE = MediaType.get("application/octet-stream");
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final OkHttpClient http;
  private final OkHttpClient otaHttp;
  private final HttpUrl base;
  private final Clock clock;
  private final RateLimiter.Sleeper sleeper;

  /**
   * @param http a guarded client for the base's host (rate-limited per {@link RateLimitKey} in production)
   * @param baseUrl the API base, e.g. {@code https://api2.arduino.cc}
   * @param sleeper how a 429 is waited out ({@link RateLimiter.Sleeper#SYSTEM})
   */
  public OkHttpArduinoApi(OkHttpClient http, URI baseUrl, Clock clock, RateLimiter.Sleeper sleeper) {
    this.http = Objects.requireNonNull(http, "http");
    // the same guarded, rate-limited client, with room for a few megabytes to go up
    this.otaHttp = http.newBuilder().callTimeout(OTA_CALL_TIMEOUT).writeTimeout(OTA_CALL_TIMEOUT).build();
    HttpUrl parsed = HttpUrl.get(Objects.requireNonNull(baseUrl, "baseUrl").toString());
    this.base = parsed;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** @return the token endpoint under {@code baseUrl} */
  public static URI tokenEndpoint(URI baseUrl) {
    return URI.create(baseUrl.toString().replaceAll("/+$", "") + "/iot/v1/clients/token");
  }

  @Override
  public TokenSet token(UserId user, String clientId, Secret clientSecret, String organizationId) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    FormBody.Builder form = new FormBody.Builder()
        .add("grant_type", "client_credentials")
        .add("client_id", clientId)
        .add("client_secret", clientSecret.reveal())
        .add("audience", AUDIENCE);
    if (organizationId != null) {
      form.add("organization_id", organizationId);
    }
    Request.Builder b = request(user, url("iot", "v1", "clients", "token"), organizationId)
        .header("Accept", "application/json")
        .post(form.build());
    return send(b.build(), "the token endpoint", (status, body) -> {
      if (status == 401) {
        return new CredentialsRejectedException("http_401");
      }
      String error = ArduinoJson.oauthError(body);
      if (status == 400 && ("invalid_client".equals(error) || "unauthorized_client".equals(error))) {
        return new CredentialsRejectedException(error);
      }
      if (status == 403 && organizationId != null) {
        return ValidationException.of("organization_id", "this API key may not act in this organization");
      }
      if (status == 400 || status == 403) {
        // our request was refused: nothing the user can fix by typing the key again
        return new UnavailableException("Arduino Cloud refused the token request (HTTP " + status + ", "
            + com.nexflux.integrations.providers.internal.SafeText.code(error) + ")", null);
      }
      return null;
    }, body -> {
      JsonNode n = json(body);
      String token = ArduinoJson.text(n, "access_token");
      if (token == null || token.isEmpty()) {
        throw new UnavailableException("Arduino Cloud's token answer has no access token", null);
      }
      JsonNode expires = n.get("expires_in");
      java.time.Instant at = expires != null && expires.canConvertToLong() && expires.asLong() > 0
          ? clock.instant().plusSeconds(expires.asLong()) : null;
      return new TokenSet(Secret.of(token), null, at, null, List.of(), null);
    });
  }

  @Override
  public List<ArduinoDevice> devices(Call call) {
    Request r = authorized(call, url("iot", "v2", "devices"), DEVICES_TYPE).get().build();
    return send(r, "the device list", (s, b) -> null, body -> ArduinoJson.devices(array(body)));
  }

  @Override
  public List<ArduinoThing> things(Call call) {
    Request r = authorized(call, url("iot", "v2", "things"), THINGS_TYPE).get().build();
    return send(r, "the thing list", (s, b) -> null, body -> ArduinoJson.things(array(body)));
  }

  @Override
  public List<ArduinoProperty> properties(Call call, String thingId) {
    Request r = authorized(call, url("iot", "v2", "things", id(thingId, "thing"), "properties"), PROPERTIES_TYPE)
        .get().build();
    return send(r, "the property list", (s, b) -> null, body -> ArduinoJson.properties(array(body)));
  }

  @Override
  public void publish(Call call, String thingId, String propertyId, Object value) {
    Request r = authorized(call, url("iot", "v2", "things", id(thingId, "thing"), "properties",
        id(propertyId, "property"), "publish"), ERROR_TYPE)
        .put(RequestBody.create(ArduinoJson.publishBody(value), JSON_TYPE)).build();
    send(r, "publishing the value", (status, body) -> status == 400
        ? ValidationException.of("value", "Arduino Cloud refused the value (" + ArduinoJson.errorCode(body) + ")")
        : null, body -> null);
  }

  @Override
  public ArduinoOta.Result uploadOta(Call call, String deviceId, ArduinoOta.Binary binary) {
    Objects.requireNonNull(binary, "binary");
    RequestBody file = new RequestBody() {
      @Override
      public MediaType contentType() {
        return BINARY_TYPE;
      }

      @Override
      public long contentLength() {
        return binary.size();
      }

      @Override
      public void writeTo(okio.BufferedSink sink) throws IOException {
        try (okio.Source source = okio.Okio.source(binary.content().open())) {
          long written = sink.writeAll(source);
          if (written != binary.size()) {
            throw new IOException("the binary changed while it was sent");
          }
        }
      }
    };
    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("async", "true")
        .addFormDataPart("ota_file", ArduinoJson.safeFileName(binary.fileName()), file)
        .build();
    Request r = authorized(call, url("iot", "v2", "devices", id(deviceId, "device"), "ota"), OTA_TYPE)
        .post(body).build();
    return send(otaHttp, r, "the OTA upload", (status, answer) -> switch (status) {
      case 409 -> OtaRefusedException.inProgress();
      case 410 -> OtaRefusedException.deviceOffline();
      case 412 -> OtaRefusedException.notSupported();
      case 400 -> ValidationException.of("ota_file",
          "Arduino Cloud refused the binary (" + ArduinoJson.errorCode(answer) + ")");
      default -> null;
    }, answer -> ArduinoJson.otaResult(json(answer)));
  }

  private HttpUrl url(String... segments) {
    HttpUrl.Builder b = base.newBuilder();
    for (String s : segments) {
      b.addPathSegment(s);
    }
    return b.build();
  }

  private static String id(String value, String what) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new NotFoundException("No such " + what);
    }
    return value;
  }

  private static Request.Builder request(UserId user, HttpUrl url, String organizationId) {
    Request.Builder b = new Request.Builder().url(url)
        .header("User-Agent", "NexFlux-Integrations")
        .tag(RateLimitKey.class, RateLimitKey.of(user, Provider.ARDUINO_CLOUD));
    if (organizationId != null) {
      b.header("X-Organization", organizationId);
    }
    return b;
  }

  private static Request.Builder authorized(Call call, HttpUrl url, String accept) {
    return request(call.user(), url, call.organizationId())
        .header("Authorization", "Bearer " + call.token().reveal())
        .header("Accept", accept + ", " + ERROR_TYPE);
  }

  /** Maps an operation-specific failure; {@code null} leaves it to the common mapping. */
  @FunctionalInterface
  private interface Failure {
    IntegrationsException of(int status, String body);
  }

  private <T> T send(Request request, String what, Failure failure, Function<String, T> success) {
    return send(http, request, what, failure, success);
  }

  private <T> T send(OkHttpClient client, Request request, String what, Failure failure,
      Function<String, T> success) {
    Duration backoff = Duration.ofSeconds(1);
    for (int attempt = 0; ; attempt++) {
      try (Response response = client.newCall(request).execute()) {
        int status = response.code();
        String body = response.body() == null ? "" : BoundedBodies.utf8(response.body(), MAX_BODY_BYTES);
        if (status >= 200 && status < 300) {
          return success.apply(body);
        }
        if (status == 429) {
          Duration wait = RetryAfter.parse(response.header("Retry-After"), clock).orElse(backoff);
          if (attempt >= MAX_RETRIES || wait.compareTo(MAX_WAIT) > 0) {
            throw new RateLimitedException("Arduino Cloud's rate limit is reached (" + what + ")", wait);
          }
          sleep(wait);
          backoff = backoff.multipliedBy(2);
          continue;
        }
        IntegrationsException specific = failure.of(status, body);
        if (specific != null) {
          throw specific;
        }
        throw common(status, body, what);
      } catch (BoundedBodies.TooLargeException e) {
        throw new UnavailableException("Arduino Cloud's answer to " + what + " is too large", null);
      } catch (InterruptedIOException e) {
        throw new UnavailableException("Arduino Cloud timed out (" + what + ")", null);
      } catch (IOException e) {
        throw new UnavailableException("Arduino Cloud is unreachable (" + what + ")", null);
      }
    }
  }

  private void sleep(Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting out Arduino Cloud's rate limit", null);
    }
  }

  private static IntegrationsException common(int status, String body, String what) {
    String code = ArduinoJson.errorCode(body);
    return switch (status) {
      case 400 -> ValidationException.of("request", "Arduino Cloud refused " + what + " (" + code + ")");
      case 401 -> new UnavailableException("Arduino Cloud refused the access token (" + what + ")", null);
      case 403, 404 -> new NotFoundException("Arduino Cloud has no such resource for this account (" + what + ")");
      default -> new UnavailableException("Arduino Cloud answered HTTP " + status + " (" + what + ", " + code + ")",
          null);
    };
  }

  private static JsonNode json(String body) {
    JsonNode n = ArduinoJson.parse(body);
    if (n == null || !n.isObject()) {
      throw new UnavailableException("Arduino Cloud's answer is not a JSON object", null);
    }
    return n;
  }

  private static JsonNode array(String body) {
    JsonNode n = ArduinoJson.parse(body);
    if (n == null || !n.isArray()) {
      throw new UnavailableException("Arduino Cloud's answer is not a JSON array", null);
    }
    return n;
  }
}
