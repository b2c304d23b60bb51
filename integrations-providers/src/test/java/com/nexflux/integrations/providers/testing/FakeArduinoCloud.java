package com.nexflux.integrations.providers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Arduino Cloud on 127.0.0.1 (JDK {@link HttpServer}), written from Arduino's published description: the
 * client credentials token endpoint ({@code POST /iot/v1/clients/token}, form-encoded, {@code audience}
 * {@value #AUDIENCE}, optional {@code organization_id} that must match {@code X-Organization}) and the IoT API v2
 * operations NexFlux uses ({@code GET /iot/v2/devices}, {@code GET /iot/v2/things},
 * {@code GET /iot/v2/things/{id}/properties}, {@code PUT /iot/v2/things/{id}/properties/{pid}/publish}), each request
 * and answer checked against the vendored OpenAPI subset ({@link ArduinoContract}).
 *
 * <p>It refuses what the real service refuses: unknown paths (404) and methods (405), a token request that is not
 * form-encoded (415) or lacks a parameter (400), unknown or revoked keys (401 {@code invalid_client}), a missing,
 * unknown or expired bearer token (401), an organization the key is not a member of (403), requests that break the
 * contract (400), and publishing to a read-only property (400). Errors are goa's
 * {@code application/vnd.goa.error+json}. It counts token requests and API requests (with their arrival times, for
 * rate checks), and can be told to answer 429 or 503.
 */
public final class FakeArduinoCloud implements AutoCloseable {
  public static final String AUDIENCE = "https://api2.arduino.cc/iot";
  static final String GOA = "application/vnd.goa.error+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROPERTIES = Pattern.compile("^/iot/v2/things/([^/]+)/properties$");
  private static final Pattern PUBLISH = Pattern.compile("^/iot/v2/things/([^/]+)/properties/([^/]+)/publish$");
  private static final Pattern OTA = Pattern.compile("^/iot/v2/devices/([^/]+)/ota$");

  /** An OTA binary the fake received: the device, the part's file name, its size and SHA-256 (hex). */
  public record OtaUpload(String deviceId, String fileName, int bytes, String sha256) {}

  private final List<OtaUpload> otaUploads = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> otaRefusals = new ConcurrentHashMap<>();

  /** An API key: its account (whose devices it sees) and the organizations it may act in. */
  private record Key(String secret, String account, Set<String> organizations) {}

  private record Issued(String clientId, String organization, Instant expiresAt) {}

  /** One device of an account. */
  public record Device(String id, String name, String type, String status, Instant lastActivity) {}

  /** One property of a thing. */
  public static final class Property {
    final String id;
    final String name;
    final String type;
    final String permission;
    volatile JsonNode lastValue;
    volatile Instant updatedAt;

    Property(String id, String name, String type, String permission, JsonNode lastValue) {
      this.id = id;
      this.name = name;
      this.type = type;
      this.permission = permission;
      this.lastValue = lastValue;
      this.updatedAt = lastValue == null ? null : Instant.now();
    }

    public String id() {
      return id;
    }

    public JsonNode lastValue() {
      return lastValue;
    }
  }

  private record Thing(String id, String name, String deviceId, List<Property> properties) {}

  private final HttpServer server;
  // named, so a benchmark can tell the fake's CPU time from the code under test's
  private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "fake-arduino-cloud"));
  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
  private final Map<String, List<Device>> devices = new ConcurrentHashMap<>();
  private final Map<String, List<Thing>> things = new ConcurrentHashMap<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger apiRequests = new AtomicInteger();
  private final List<Long> apiRequestNanos = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<String> tokenRequestOrganizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger pending429 = new AtomicInteger();
  private volatile String retryAfter;
  private volatile boolean down;
  private volatile Duration tokenLifetime = Duration.ofSeconds(300);
  private volatile Duration latency = Duration.ZERO;

  private FakeArduinoCloud() {
    try {
      server = HttpServer.create(new InetSocketAddress(LoopbackPorts.loopback(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** @return a started fake */
  public static FakeArduinoCloud start() {
    return new FakeArduinoCloud();
  }

  /** @return {@code http://127.0.0.1:PORT} */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Creates an API key of {@code account}, allowed to act in {@code organizations}. */
  public FakeArduinoCloud apiKey(String clientId, String secret, String account, String... organizations) {
    keys.put(clientId, new Key(secret, account, Set.of(organizations)));
    return this;
  }

  /** Deletes an API key: its token requests are refused with 401 and its tokens stop working. */
  public void revoke(String clientId) {
    keys.remove(clientId);
  }

  /** How long tokens issued from now on live (Arduino: 300 s). */
  public void tokenLifetime(Duration lifetime) {
    this.tokenLifetime = lifetime;
  }

  /**
   * Adds a fixed delay to every request from now on, token requests included: the handler sleeps {@code value}
   * before it reads the request, as a provider far away would answer late (for benchmarks; {@link Duration#ZERO},
   * the default, adds nothing). Requests are answered on a pool of 4 threads, so concurrent requests are delayed side by
   * side, not one after another.
   *
   * @return this
   */
  public FakeArduinoCloud latency(Duration value) {
    this.latency = FakeLatency.check(value);
    return this;
  }

  /** Makes every issued token expired (as after 300 s). */
  public void expireAllTokens() {
    tokens.replaceAll((t, i) -> new Issued(i.clientId(), i.organization(), Instant.now().minusSeconds(1)));
  }

  /** The next {@code count} API requests answer 429 (with {@code Retry-After: retryAfterSeconds} when not null). */
  public void answer429(int count, Integer retryAfterSeconds) {
    retryAfter = retryAfterSeconds == null ? null : retryAfterSeconds.toString();
    pending429.set(count);
  }

  /** While true, everything answers 503. */
  public void down(boolean value) {
    down = value;
  }

  /** Adds a device with a thing and properties to {@code account}; @return the thing's id */
  public String device(String account, Device device, String thingName, List<Property> properties) {
    devices.computeIfAbsent(account, a -> new CopyOnWriteArrayList<>()).add(device);
    String thingId = UUID.randomUUID().toString();
    things.computeIfAbsent(account, a -> new CopyOnWriteArrayList<>())
        .add(new Thing(thingId, thingName, device.id(), new CopyOnWriteArrayList<>(properties)));
    return thingId;
  }

  /** @return a property to hand to {@link #device} */
  public static Property property(String name, String type, String permission, Object lastValue) {
    return new Property(UUID.randomUUID().toString(), name, type, permission,
        lastValue == null ? null : JSON.valueToTree(lastValue));
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** @return every access token issued so far */
  public Set<String> issuedTokens() {
    return Set.copyOf(tokens.keySet());
  }

  public int apiRequests() {
    return apiRequests.get();
  }

  /** @return the organization_id of each token request, in order ("" for none) */
  public List<String> tokenRequestOrganizations() {
    return List.copyOf(tokenRequestOrganizations);
  }

  /** @return the most API requests that arrived within any window of this length */
  public int mostApiRequestsWithin(Duration window) {
    List<Long> at = new ArrayList<>(apiRequestNanos);
    Collections.sort(at);
    int most = 0;
    int start = 0;
    for (int end = 0; end < at.size(); end++) {
      while (at.get(end) - at.get(start) >= window.toNanos()) {
        start++;
      }
      most = Math.max(most, end - start + 1);
    }
    return most;
  }

  /** @return the OTA binaries accepted so far, in order */
  public List<OtaUpload> otaUploads() {
    return List.copyOf(otaUploads);
  }

  /**
   * Makes OTA uploads to this device fail with {@code status}: 409 (another OTA in progress), 412 (the board cannot
   * take OTA). An {@code OFFLINE} device is always refused with 410.
   */
  public FakeArduinoCloud refuseOta(String deviceId, int status) {
    otaRefusals.put(deviceId, status);
    return this;
  }

  /** @return every contract violation seen so far (requests and answers) */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      FakeLatency.sleep(latency);
      byte[] body = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      if (down) {
        send(ex, method, path, 503, GOA, error("service_unavailable", 503, "down"), false);
        return;
      }
      if (path.equals("/iot/v1/clients/token")) {
        token(ex, method, body);
        return;
      }
      if (!path.startsWith("/iot/v2/")) {
        send(ex, method, path, 404, GOA, error("not_found", 404, "no such path"), false);
        return;
      }
      apiRequests.incrementAndGet();
      apiRequestNanos.add(System.nanoTime());
      api(ex, method, path, body);
    } catch (RuntimeException e) {
      violations.add("fake failed: " + e);
      throw e;
    }
  }

  private void token(HttpExchange ex, String method, byte[] body) throws IOException {
    String path = "/iot/v1/clients/token";
    tokenRequests.incrementAndGet();
    if (!method.equals("POST")) {
      send(ex, method, path, 405, GOA, error("method_not_allowed", 405, "POST only"), false);
      return;
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      send(ex, method, path, 415, "application/json", "{\"error\":\"invalid_request\"}", false);
      return;
    }
    Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
    String org = form.get("organization_id");
    tokenRequestOrganizations.add(org == null ? "" : org);
    String header = ex.getRequestHeaders().getFirst("X-Organization");
    if (!"client_credentials".equals(form.get("grant_type")) || !AUDIENCE.equals(form.get("audience"))
        || form.get("client_id") == null || form.get("client_secret") == null
        || (org != null && !org.equals(header))) {
      send(ex, method, path, 400, "application/json", "{\"error\":\"invalid_request\"}", false);
      return;
    }
    Key key = keys.get(form.get("client_id"));
    if (key == null || !key.secret().equals(form.get("client_secret"))) {
      send(ex, method, path, 401, "application/json", "{\"error\":\"invalid_client\"}", false);
      return;
    }
    if (org != null && !key.organizations().contains(org)) {
      send(ex, method, path, 403, "application/json", "{\"error\":\"access_denied\"}", false);
      return;
    }
    String token = "ardu-" + UUID.randomUUID();
    tokens.put(token, new Issued(form.get("client_id"), org, Instant.now().plus(tokenLifetime)));
    ObjectNode answer = JSON.createObjectNode().put("access_token", token)
        .put("expires_in", tokenLifetime.toSeconds()).put("token_type", "Bearer");
    send(ex, method, path, 200, "application/json", answer.toString(), false);
  }

  private void api(HttpExchange ex, String method, String path, byte[] body) throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k, v));
    Map<String, List<String>> query = new LinkedHashMap<>();
    form(ex.getRequestURI().getRawQuery()).forEach((k, v) -> query.put(k, List.of(v)));
    boolean ota = OTA.matcher(path).matches();
    boolean known = path.equals("/iot/v2/devices") || path.equals("/iot/v2/things")
        || PROPERTIES.matcher(path).matches() || PUBLISH.matcher(path).matches() || ota;
    if (!known) {
      send(ex, method, path, 404, GOA, error("not_found", 404, "no such path"), false);
      return;
    }
    boolean expected = (PUBLISH.matcher(path).matches() ? "PUT" : ota ? "POST" : "GET").equals(method);
    if (!expected) {
      send(ex, method, path, 405, GOA, error("method_not_allowed", 405, "method not allowed"), false);
      return;
    }
    // a multipart body is checked by hand below (the validator reads only JSON and form bodies)
    List<String> problems = ArduinoContract.checkRequest(method, path, query, headers, ota ? null : body);
    if (!problems.isEmpty()) {
      violations.addAll(problems);
      send(ex, method, path, 400, GOA, error("bad_request", 400, "contract violation"), false);
      return;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    Issued issued = auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
    Key key = issued == null ? null : keys.get(issued.clientId());
    if (issued == null || key == null || !Instant.now().isBefore(issued.expiresAt())) {
      send(ex, method, path, 401, GOA, error("unauthorized", 401, "invalid or expired token"), true);
      return;
    }
    String org = ex.getRequestHeaders().getFirst("X-Organization");
    if (org != null && !key.organizations().contains(org)) {
      send(ex, method, path, 403, GOA, error("forbidden", 403, "not a member"), true);
      return;
    }
    if (pending429.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      if (retryAfter != null) {
        ex.getResponseHeaders().set("Retry-After", retryAfter);
      }
      send(ex, method, path, 429, "text/plain", "You have reached maximum request limit.", false);
      return;
    }
    String account = key.account();
    if (path.equals("/iot/v2/devices")) {
      requireAccept(ex, "application/vnd.arduino.devicev2+json");
      ArrayNode out = JSON.createArrayNode();
      for (Device d : devices.getOrDefault(account, List.of())) {
        ObjectNode n = out.addObject().put("href", "/iot/v2/devices/" + d.id()).put("id", d.id())
            .put("label", d.name()).put("name", d.name()).put("serial", "SER-" + d.id().substring(0, 8))
            .put("type", d.type()).put("user_id", userId(account)).put("device_status", d.status());
        if (d.lastActivity() != null) {
          n.put("last_activity_at", d.lastActivity().toString());
        }
        things.getOrDefault(account, List.of()).stream().filter(t -> t.deviceId().equals(d.id())).findFirst()
            .ifPresent(t -> n.set("thing", thing(t, account)));
      }
      send(ex, method, path, 200, "application/vnd.arduino.devicev2+json; type=collection", out.toString(), true);
      return;
    }
    if (path.equals("/iot/v2/things")) {
      ArrayNode out = JSON.createArrayNode();
      things.getOrDefault(account, List.of()).forEach(t -> out.add(thing(t, account)));
      send(ex, method, path, 200, "application/vnd.arduino.thing+json; type=collection", out.toString(), true);
      return;
    }
    Matcher props = PROPERTIES.matcher(path);
    if (props.matches()) {
      Thing thing = thingOf(account, props.group(1));
      if (thing == null) {
        send(ex, method, path, 404, GOA, error("not_found", 404, "thing not found"), true);
        return;
      }
      ArrayNode out = JSON.createArrayNode();
      thing.properties().forEach(p -> out.add(property(p, thing)));
      send(ex, method, path, 200, "application/vnd.arduino.property+json; type=collection", out.toString(), true);
      return;
    }
    Matcher otaPath = OTA.matcher(path);
    if (otaPath.matches()) {
      ota(ex, method, path, account, otaPath.group(1), body);
      return;
    }
    Matcher publish = PUBLISH.matcher(path);
    publish.matches();
    Thing thing = thingOf(account, publish.group(1));
    Property property = thing == null ? null
        : thing.properties().stream().filter(p -> p.id.equals(publish.group(2))).findFirst().orElse(null);
    if (property == null) {
      send(ex, method, path, 404, null, null, true);
      return;
    }
    if ("READ_ONLY".equals(property.permission)) {
      send(ex, method, path, 400, GOA, error("bad_request", 400, "property is read-only"), true);
      return;
    }
    property.lastValue = JSON.readTree(body).get("value");
    property.updatedAt = Instant.now();
    send(ex, method, path, 200, null, null, true);
  }

  /** {@code POST /iot/v2/devices/{id}/ota}: multipart with a file part {@code ota_file} (required). */
  private void ota(HttpExchange ex, String method, String path, String account, String deviceId, byte[] body)
      throws IOException {
    String otaType = "application/vnd.arduino.devicev2.otaupload+json";
    requireAccept(ex, otaType);
    Device device = devices.getOrDefault(account, List.of()).stream().filter(d -> d.id().equals(deviceId))
        .findFirst().orElse(null);
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    Matcher boundary = type == null ? null
        : Pattern.compile("^multipart/form-data;\\s*boundary=\"?([^\";]+)\"?").matcher(type);
    if (boundary == null || !boundary.find()) {
      violations.add("OTA upload without a multipart/form-data Content-Type: " + type);
      send(ex, method, path, 400, GOA, error("bad_request", 400, "multipart/form-data expected"), true);
      return;
    }
    byte[] file = null;
    String fileName = null;
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String delimiter = "--" + boundary.group(1);
    for (String part : text.split(Pattern.quote(delimiter))) {
      int headerEnd = part.indexOf("\r\n\r\n");
      if (headerEnd < 0) {
        continue;
      }
      String partHeaders = part.substring(0, headerEnd);
      Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(partHeaders);
      Matcher filename = Pattern.compile("filename=\"([^\"]*)\"").matcher(partHeaders);
      String content = part.substring(headerEnd + 4, part.endsWith("\r\n") ? part.length() - 2 : part.length());
      if (name.find() && name.group(1).equals("ota_file")) {
        if (!filename.find()) {
          violations.add("ota_file is not a file part");
        } else {
          fileName = filename.group(1);
        }
        file = content.getBytes(StandardCharsets.ISO_8859_1);
      } else if (name.find(0) && !java.util.Set.of("async", "expire_in_mins").contains(name.group(1))) {
        violations.add("unknown OTA form field " + name.group(1));
      }
    }
    if (file == null) {
      violations.add("OTA upload without ota_file");
      send(ex, method, path, 400, GOA, error("bad_request", 400, "ota_file is required"), true);
      return;
    }
    if (device == null) {
      send(ex, method, path, 404, GOA, error("not_found", 404, "device not found"), true);
      return;
    }
    Integer refusal = "OFFLINE".equals(device.status()) ? Integer.valueOf(410) : otaRefusals.get(deviceId);
    if (refusal != null) {
      send(ex, method, path, refusal, refusal == 409 ? null : GOA,
          refusal == 409 ? null : error(refusal == 410 ? "gone" : "precondition_failed", refusal, "refused"), true);
      return;
    }
    String sha;
    try {
      sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(file));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    otaUploads.add(new OtaUpload(deviceId, fileName, file.length, sha));
    ObjectNode answer = JSON.createObjectNode().put("ota_version", 2).put("ota_id", UUID.randomUUID().toString())
        .put("status", "pending").put("file_sha", sha);
    send(ex, method, path, 200, otaType, answer.toString(), true);
  }

  private void requireAccept(HttpExchange ex, String type) {
    String accept = ex.getRequestHeaders().getFirst("Accept");
    if (accept != null && !accept.contains(type) && !accept.contains("*/*")) {
      violations.add("Accept " + accept + " does not allow " + type);
    }
  }

  private Thing thingOf(String account, String id) {
    return things.getOrDefault(account, List.of()).stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
  }

  private static ObjectNode thing(Thing t, String account) {
    return JSON.createObjectNode().put("href", "/iot/v2/things/" + t.id()).put("id", t.id()).put("name", t.name())
        .put("timezone", "Europe/Berlin").put("user_id", userId(account)).put("device_id", t.deviceId())
        .put("properties_count", t.properties().size());
  }

  private static ObjectNode property(Property p, Thing t) {
    ObjectNode n = JSON.createObjectNode().put("href", "/iot/v2/things/" + t.id() + "/properties/" + p.id)
        .put("id", p.id).put("name", p.name).put("variable_name", p.name).put("type", p.type)
        .put("permission", p.permission).put("update_strategy", "ON_CHANGE").put("thing_id", t.id());
    if (p.lastValue != null) {
      n.set("last_value", p.lastValue);
      n.put("value_updated_at", p.updatedAt.toString());
    }
    return n;
  }

  private static String userId(String account) {
    return UUID.nameUUIDFromBytes(account.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String error(String code, int status, String detail) {
    return JSON.createObjectNode().put("id", "FAKE" + status).put("code", code).put("status", status)
        .put("detail", detail).toString();
  }

  private void send(HttpExchange ex, String method, String path, int status, String type, String body,
      boolean check) throws IOException {
    if (check) {
      violations.addAll(ArduinoContract.checkResponse(method, path, status, type, body));
    }
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  private static Map<String, String> form(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
