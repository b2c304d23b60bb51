package com.nexflux.integrations.providers.thingsboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.OAuthGrantException;
import com.nexflux.integrations.core.oauth.PasswordLoginClient;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.core.thingsboard.DevicePage;
import com.nexflux.integrations.core.thingsboard.DeviceTimeoutException;
import com.nexflux.integrations.core.thingsboard.RpcReply;
import com.nexflux.integrations.core.thingsboard.RpcRequest;
import com.nexflux.integrations.core.thingsboard.TelemetryPoint;
import com.nexflux.integrations.core.thingsboard.ThingsBoardApi;
import com.nexflux.integrations.core.thingsboard.ThingsBoardCredential;
import com.nexflux.integrations.core.thingsboard.ThingsBoardDevice;
import com.nexflux.integrations.core.thingsboard.ThingsBoardUser;
import com.nexflux.integrations.providers.internal.BoundedBodies;
import com.nexflux.integrations.providers.internal.RetryAfter;
import com.nexflux.integrations.providers.thingsboard.internal.JwtExpiry;
import com.nexflux.integrations.providers.thingsboard.internal.ThingsBoardError;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * ThingsBoard's REST API and its password login on OkHttp. The client must be the guarded client for user hosts
 * ({@code OutboundHttpClients.forUserHosts}): the server is whatever the user typed, so every lookup goes through the
 * outbound guard and a refused host is {@code HOST_NOT_ALLOWED} before anything is sent.
 *
 * <p>Calls: {@code POST /api/auth/login} ({@code {"username","password"}} → {@code {"token","refreshToken"}}),
 * {@code POST /api/auth/token} ({@code {"refreshToken"}}), {@code GET /api/auth/user},
 * {@code GET /api/tenant/deviceInfos?pageSize&page}, {@code GET /api/plugins/telemetry/DEVICE/{id}/values/timeseries},
 * {@code POST /api/rpc/oneway|twoway/{id}}; every authenticated call sends {@code X-Authorization}. Token expiries
 * are the JWTs' {@code exp}.
 *
 * <p>Answers: 401 → {@link CredentialsRejectedException} (a refused refresh token: {@link OAuthGrantException});
 * 404, or 403 on a device → {@link NotFoundException}; 504 or 408 of an RPC → {@link DeviceTimeoutException}; 400 of
 * an RPC → {@link ValidationException} naming {@code params}; 429 → {@link RateLimitedException}; other statuses,
 * network failures, timeouts and unusable bodies → {@link UnavailableException}. No message carries a password,
 * token or key.
 */
public final class OkHttpThingsBoardApi implements ThingsBoardApi, PasswordLoginClient {
  /** The largest answer read. */
  public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
  /** The header ThingsBoard reads credentials from. */
  public static final String AUTH_HEADER = "X-Authorization";

  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Clock clock;

  /** @param http the guarded user-host client (its call timeout must exceed the longest RPC timeout) */
  public OkHttpThingsBoardApi(OkHttpClient http, Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private record Answer(int status, String body, String retryAfter) {}

  @Override
  public TokenSet login(URI server, String username, Secret password) {
    ObjectNode body = mapper.createObjectNode().put("username", username).put("password", password.reveal());
    Answer a = send(post(url(server, "api/auth/login"), body, null), "the login");
    if (a.status() == 401 || a.status() == 400) {
      throw new CredentialsRejectedException(ThingsBoardError.parse(mapper, a.body()).key());
    }
    return tokens(expectOk(a, "the login"), "the login");
  }

  @Override
  public TokenSet refresh(URI server, Secret refreshToken) {
    ObjectNode body = mapper.createObjectNode().put("refreshToken", refreshToken.reveal());
    Answer a = send(post(url(server, "api/auth/token"), body, null), "the token refresh");
    if (a.status() == 401 || a.status() == 400) {
      throw new OAuthGrantException(ThingsBoardError.parse(mapper, a.body()).key());
    }
    return tokens(expectOk(a, "the token refresh"), "the token refresh");
  }

  @Override
  public ThingsBoardUser currentUser(URI server, ThingsBoardCredential credential) {
    JsonNode user = expectOk(authenticated(get(url(server, "api/auth/user"), credential), "the current user", false),
        "the current user");
    return new ThingsBoardUser(text(user.path("id").path("id")), text(user.get("email")));
  }

  @Override
  public DevicePage deviceInfos(URI server, ThingsBoardCredential credential, int page, int pageSize) {
    HttpUrl url = url(server, "api/tenant/deviceInfos").newBuilder()
        .addQueryParameter("pageSize", Integer.toString(pageSize))
        .addQueryParameter("page", Integer.toString(page))
        .addQueryParameter("sortProperty", "name")
        .addQueryParameter("sortOrder", "ASC")
        .build();
    JsonNode root = expectOk(authenticated(get(url, credential), "the device list", false), "the device list");
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      throw new UnavailableException("ThingsBoard's device list has no data array", null);
    }
    List<ThingsBoardDevice> devices = new ArrayList<>(data.size());
    for (JsonNode d : data) {
      String id = text(d.path("id").path("id"));
      if (id == null) {
        throw new UnavailableException("ThingsBoard's device list has a device without an id", null);
      }
      String type = text(d.get("type"));
      devices.add(new ThingsBoardDevice(id, text(d.get("name")),
          type != null ? type : text(d.get("deviceProfileName")), d.path("active").asBoolean(false)));
    }
    return new DevicePage(devices, root.path("hasNext").asBoolean(false));
  }

  @Override
  public List<TelemetryPoint> latestTelemetry(URI server, ThingsBoardCredential credential, String deviceId) {
    HttpUrl url = url(server, "api/plugins/telemetry/DEVICE").newBuilder().addPathSegment(deviceId)
        .addPathSegments("values/timeseries").addQueryParameter("useStrictDataTypes", "true").build();
    JsonNode root = expectOk(authenticated(get(url, credential), "the device's telemetry", true),
        "the device's telemetry");
    if (!root.isObject()) {
      throw new UnavailableException("ThingsBoard's telemetry answer is not an object", null);
    }
    List<TelemetryPoint> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode latest = e.getValue().isArray() && e.getValue().size() > 0 ? e.getValue().get(0) : null;
      if (latest == null) {
        continue;
      }
      Instant ts = latest.path("ts").canConvertToLong() ? Instant.ofEpochMilli(latest.path("ts").longValue()) : null;
      out.add(new TelemetryPoint(e.getKey(), ts, plain(latest.get("value"))));
    }
    return out;
  }

  @Override
  public RpcReply rpc(URI server, ThingsBoardCredential credential, String deviceId, RpcRequest request) {
    HttpUrl url = url(server, "api/rpc").newBuilder().addPathSegment(request.twoWay() ? "twoway" : "oneway")
        .addPathSegment(deviceId).build();
    ObjectNode body = mapper.createObjectNode();
    body.put("method", request.method());
    body.set("params", mapper.valueToTree(request.params() == null ? Map.of() : request.params()));
    body.put("timeout", request.timeoutMs());
    Answer a = send(post(url, body, credential), "the RPC");
    if (a.status() == 504 || a.status() == 408) {
      throw new DeviceTimeoutException();
    }
    if (a.status() == 400) {
      throw ValidationException.of("params", "ThingsBoard refused the RPC: "
          + ThingsBoardError.parse(mapper, a.body()).message());
    }
    checkCommon(a, "the RPC", true);
    if (a.status() / 100 != 2) {
      throw failure(a, "the RPC");
    }
    if (!request.twoWay() || a.body().isBlank()) {
      return new RpcReply(request.twoWay(), null);
    }
    try {
      return new RpcReply(true, plain(mapper.readTree(a.body())));
    } catch (JsonProcessingException e) {
      return new RpcReply(true, a.body()); // a device may answer plain text
    }
  }

  private Answer authenticated(Request request, String what, boolean device) {
    Answer a = send(request, what);
    checkCommon(a, what, device);
    return a;
  }

  /** 401, 403/404 of a device, 429. */
  private void checkCommon(Answer a, String what, boolean device) {
    if (a.status() == 401) {
      throw new CredentialsRejectedException(ThingsBoardError.parse(mapper, a.body()).key());
    }
    if (device && (a.status() == 404 || a.status() == 403)) {
      throw new NotFoundException("No such ThingsBoard device");
    }
    if (a.status() == 429) {
      throw new RateLimitedException("ThingsBoard rate-limited " + what,
          RetryAfter.parse(a.retryAfter(), clock).orElse(null));
    }
  }

  private JsonNode expectOk(Answer a, String what) {
    if (a.status() == 429) {
      throw new RateLimitedException("ThingsBoard rate-limited " + what,
          RetryAfter.parse(a.retryAfter(), clock).orElse(null));
    }
    if (a.status() != 200) {
      throw failure(a, what);
    }
    try {
      JsonNode node = mapper.readTree(a.body());
      if (node == null || node.isMissingNode()) {
        throw new UnavailableException("ThingsBoard's answer to " + what + " is empty", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new UnavailableException("ThingsBoard's answer to " + what + " is not JSON", null);
    }
  }

  private UnavailableException failure(Answer a, String what) {
    ThingsBoardError e = ThingsBoardError.parse(mapper, a.body());
    return new UnavailableException("ThingsBoard answered " + what + " with HTTP " + a.status() + " ("
        + e.key() + (e.message().isEmpty() ? "" : ": " + e.message()) + ")", null);
  }

  private TokenSet tokens(JsonNode body, String what) {
    String token = text(body.get("token"));
    String refresh = text(body.get("refreshToken"));
    if (token == null || refresh == null) {
      throw new UnavailableException("ThingsBoard's answer to " + what + " has no token pair", null);
    }
    return new TokenSet(Secret.of(token), Secret.of(refresh), JwtExpiry.of(token, "access token"),
        JwtExpiry.of(refresh, "refresh token"), List.of());
  }

  private Answer send(Request request, String what) {
    try (Response response = http.newCall(request).execute()) {
      String body = BoundedBodies.utf8(response.body(), MAX_BODY_BYTES);
      return new Answer(response.code(), body, response.header("Retry-After"));
    } catch (BoundedBodies.TooLargeException e) {
      throw new UnavailableException("ThingsBoard's answer to " + what + " is larger than " + MAX_BODY_BYTES
          + " bytes", null);
    } catch (InterruptedIOException e) {
      throw new UnavailableException("ThingsBoard did not answer " + what + " in time", null);
    } catch (IOException e) {
      throw new UnavailableException("ThingsBoard could not be reached for " + what + " ("
          + e.getClass().getSimpleName() + ")", null);
    }
  }

  private Request get(HttpUrl url, ThingsBoardCredential credential) {
    return new Request.Builder().url(url).get().header("Accept", "application/json")
        .header(AUTH_HEADER, credential.header()).build();
  }

  private Request post(HttpUrl url, JsonNode body, ThingsBoardCredential credential) {
    Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json");
    try {
      b.post(RequestBody.create(mapper.writeValueAsBytes(body), JSON));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON body not writable", e);
    }
    if (credential != null) {
      b.header(AUTH_HEADER, credential.header());
    }
    return b.build();
  }

  private static HttpUrl url(URI server, String path) {
    HttpUrl base = HttpUrl.get(server.toString());
    return base.newBuilder().addPathSegments(path).build();
  }

  private Object plain(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return mapper.convertValue(node, Object.class);
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() && !node.textValue().isEmpty() ? node.textValue() : null;
  }
}
