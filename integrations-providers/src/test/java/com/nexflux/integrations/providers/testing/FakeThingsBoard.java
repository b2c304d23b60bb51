package com.nexflux.integrations.providers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local ThingsBoard (JDK {@link HttpServer} on 127.0.0.1) written from ThingsBoard's REST description
 * (thingsboard/thingsboard RestClient, AuthController, DeviceController, TelemetryController, RpcV2Controller,
 * ThingsboardErrorResponse). It rejects what the real one rejects:
 *
 * <ul>
 *   <li>{@code POST /api/auth/login} with a wrong username or password: 401 {@code errorCode 10}; a good one answers
 *       {@code {"token","refreshToken"}}, both real HS256 JWTs with an {@code exp} from the fake's clock
 *       ({@link #accessTokenLifetime}, {@link #refreshTokenLifetime});</li>
 *   <li>{@code POST /api/auth/token}: an expired refresh token 401 {@code errorCode 11}, an unknown or revoked one
 *       401 {@code errorCode 10} (or 11 "outdated" after {@link #outdateIssuedTokens});</li>
 *   <li>every other {@code /api} call without {@code X-Authorization: Bearer <jwt>} or {@code ApiKey <key>}: 401
 *       {@code errorCode 10}; an expired or outdated JWT 401 {@code errorCode 11}; a refresh token used as access
 *       token 401 {@code errorCode 10};</li>
 *   <li>{@code GET /api/tenant/deviceInfos} without {@code page} or {@code pageSize} (or with bad values): 400
 *       {@code errorCode 31}; pages of the caller's tenant only;</li>
 *   <li>telemetry and RPC of a device of another tenant: 403 {@code errorCode 20}; an unknown device: 404
 *       {@code errorCode 32}; an RPC to an inactive device: {@link #rpcTimeoutStatus} (504 by default) with
 *       ThingsBoard's error body; an RPC without {@code method}: 400 {@code errorCode 31};</li>
 *   <li>any other path: 404.</li>
 * </ul>
 *
 * <p>Every request is counted per route ({@link #calls}) and recorded ({@link #requests}).
 */
public final class FakeThingsBoard implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TELEMETRY =
      Pattern.compile("/api/plugins/telemetry/DEVICE/([^/]+)/values/timeseries");
  private static final Pattern RPC = Pattern.compile("/api/rpc/(oneway|twoway)/([^/]+)");

  /** One request as received. */
  public record Received(String method, String path, String query, String authorization, String body) {}

  /** A tenant (one per user here) with its devices. */
  public final class Tenant {
    final String id = UUID.randomUUID().toString();
    final String userId = UUID.randomUUID().toString();
    final String email;
    volatile String password;
    final Map<String, Device> devices = Collections.synchronizedMap(new LinkedHashMap<>());

    Tenant(String email, String password) {
      this.email = email;
      this.password = password;
    }

    /** Adds a device; @return its id */
    public String device(String name, String type, boolean active) {
      Device d = new Device(UUID.randomUUID().toString(), name, type, active);
      devices.put(d.id, d);
      return d.id;
    }

    /** Adds {@code count} devices named {@code prefix-0000…}; @return their ids */
    public List<String> devices(String prefix, int count) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ids.add(device(String.format("%s-%04d", prefix, i), "default", i % 2 == 0));
      }
      return ids;
    }

    /** Records the latest value of a key. */
    public void telemetry(String deviceId, String key, long ts, Object value) {
      devices.get(deviceId).telemetry.put(key, new Object[] {ts, value});
    }

    /** What the device answers to two-way RPCs. */
    public void rpcReply(String deviceId, Object reply) {
      devices.get(deviceId).reply = reply;
    }

    /** Changes the password (logins with the old one are refused from now on). */
    public void password(String value) {
      this.password = value;
    }

    /** @return the RPC bodies the device received */
    public List<JsonNode> rpcsOf(String deviceId) {
      return devices.get(deviceId).rpcs;
    }
  }

  static final class Device {
    final String id;
    final String name;
    final String type;
    final boolean active;
    final Map<String, Object[]> telemetry = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<JsonNode> rpcs = new CopyOnWriteArrayList<>();
    volatile Object reply = Map.of("ok", true);

    Device(String id, String name, String type, boolean active) {
      this.id = id;
      this.name = name;
      this.type = type;
      this.active = active;
    }
  }

  private final HttpServer server;
  // named, so a benchmark can tell the fake's CPU time from the code under test's
  private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "fake-thingsboard"));
  private final Clock clock;
  private final byte[] signingKey = new byte[32];
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
  private final Map<String, Tenant> apiKeys = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<Received> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger generation = new AtomicInteger();
  private volatile Duration accessLifetime = Duration.ofMinutes(150);
  private volatile Duration refreshLifetime = Duration.ofDays(7);
  private volatile int rpcTimeoutStatus = 504;
  private volatile int failAllWith = 0;
  private volatile Duration latency = Duration.ZERO;

  private FakeThingsBoard(Clock clock) throws IOException {
    this.clock = clock;
    new SecureRandom().nextBytes(signingKey);
    server = HttpServer.create(new InetSocketAddress(LoopbackPorts.loopback(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a fake whose tokens expire by {@code clock}. */
  public static FakeThingsBoard start(Clock clock) {
    try {
      return new FakeThingsBoard(clock);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return {@code http://127.0.0.1:port} */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Adds a tenant administrator with a login. */
  public Tenant user(String email, String password) {
    Tenant t = new Tenant(email, password);
    tenants.put(email, t);
    return t;
  }

  /** Issues an API key for the tenant (ThingsBoard 4.x). */
  public String apiKey(Tenant tenant) {
    String key = "tb_" + UUID.randomUUID().toString().replace("-", "");
    apiKeys.put(key, tenant);
    return key;
  }

  /** Revokes an API key. */
  public void revokeApiKey(String key) {
    apiKeys.remove(key);
  }

  /** @return this, with access tokens living {@code value} from their issue */
  public FakeThingsBoard accessTokenLifetime(Duration value) {
    this.accessLifetime = value;
    return this;
  }

  /** @return this, with refresh tokens living {@code value} from their issue */
  public FakeThingsBoard refreshTokenLifetime(Duration value) {
    this.refreshLifetime = value;
    return this;
  }

  /**
   * Adds a fixed delay to every request from now on, logins and token refreshes included: the handler sleeps {@code value} before it reads the
   * request, as a provider far away answers late (for benchmarks; {@link Duration#ZERO}, the default, adds
   * nothing). Requests are answered on a pool of 4 threads, so up to 4 concurrent requests are
   * delayed side by side.
   *
   * @return this
   */
  public FakeThingsBoard latency(Duration value) {
    this.latency = FakeLatency.check(value);
    return this;
  }

  /** @return this, answering RPCs to inactive devices with {@code status} (504 or 408) */
  public FakeThingsBoard rpcTimeoutStatus(int status) {
    this.rpcTimeoutStatus = status;
    return this;
  }

  /** Every token issued so far is refused from now on ("Token is outdated", errorCode 11), whatever its exp. */
  public void outdateIssuedTokens() {
    generation.incrementAndGet();
  }

  /** Answers every request with {@code status} (0: normally again). */
  public void failAllWith(int status) {
    this.failAllWith = status;
  }

  /** @return how many requests {@code route} (e.g. {@code POST /api/auth/login}) got */
  public int calls(String route) {
    AtomicInteger n = calls.get(route);
    return n == null ? 0 : n.get();
  }

  /** @return every request, in order */
  public List<Received> requests() {
    return List.copyOf(requests);
  }

  /** @return how many requests arrived in all */
  public int totalCalls() {
    return requests.size();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      FakeLatency.sleep(latency);
      String method = x.getRequestMethod();
      String path = x.getRequestURI().getRawPath();
      String query = x.getRequestURI().getRawQuery();
      String auth = x.getRequestHeaders().getFirst("X-Authorization");
      String body;
      try (InputStream in = x.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      requests.add(new Received(method, path, query, auth, body));
      if (failAllWith != 0) {
        count(method + " *");
        error(x, failAllWith, 2, "Internal server error");
        return;
      }
      route(x, method, path, query(query), auth, body);
    } catch (RuntimeException e) {
      error(x, 500, 2, "fake failed: " + e);
    }
  }

  private void route(HttpExchange x, String method, String path, Map<String, String> q, String auth, String body)
      throws IOException {
    Matcher telemetry = TELEMETRY.matcher(path);
    Matcher rpc = RPC.matcher(path);
    if (method.equals("POST") && path.equals("/api/auth/login")) {
      count("POST /api/auth/login");
      login(x, body);
    } else if (method.equals("POST") && path.equals("/api/auth/token")) {
      count("POST /api/auth/token");
      refresh(x, body);
    } else if (method.equals("GET") && path.equals("/api/auth/user")) {
      count("GET /api/auth/user");
      Tenant t = authenticate(x, auth);
      if (t != null) {
        ObjectNode u = JSON.createObjectNode();
        u.putObject("id").put("entityType", "USER").put("id", t.userId);
        u.put("email", t.email).put("authority", "TENANT_ADMIN");
        u.putObject("tenantId").put("entityType", "TENANT").put("id", t.id);
        send(x, 200, u);
      }
    } else if (method.equals("GET") && path.equals("/api/tenant/deviceInfos")) {
      count("GET /api/tenant/deviceInfos");
      Tenant t = authenticate(x, auth);
      if (t != null) {
        deviceInfos(x, t, q);
      }
    } else if (method.equals("GET") && telemetry.matches()) {
      count("GET /api/plugins/telemetry/DEVICE/{id}/values/timeseries");
      Tenant t = authenticate(x, auth);
      Device d = t == null ? null : device(x, t, telemetry.group(1));
      if (d != null) {
        ObjectNode out = JSON.createObjectNode();
        synchronized (d.telemetry) {
          d.telemetry.forEach((k, v) -> out.putArray(k).addObject().put("ts", (Long) v[0])
              .set("value", JSON.valueToTree(v[1])));
        }
        send(x, 200, out);
      }
    } else if (method.equals("POST") && rpc.matches()) {
      count("POST /api/rpc/" + rpc.group(1) + "/{id}");
      Tenant t = authenticate(x, auth);
      Device d = t == null ? null : device(x, t, rpc.group(2));
      if (d != null) {
        rpc(x, d, rpc.group(1).equals("twoway"), body);
      }
    } else {
      count("other");
      error(x, 404, 32, "Requested item wasn't found!");
    }
  }

  private void login(HttpExchange x, String body) throws IOException {
    JsonNode req = parse(body);
    String username = req == null ? null : req.path("username").asText(null);
    String password = req == null ? null : req.path("password").asText(null);
    Tenant t = username == null ? null : tenants.get(username);
    if (t == null || password == null || !password.equals(t.password)) {
      error(x, 401, 10, "Invalid username or password");
      return;
    }
    sendPair(x, t);
  }

  private void refresh(HttpExchange x, String body) throws IOException {
    JsonNode req = parse(body);
    String token = req == null ? null : req.path("refreshToken").asText(null);
    JWTClaimsSet claims = token == null ? null : verified(token);
    if (claims == null || !isRefresh(claims)) {
      error(x, 401, 10, "Authentication failed");
      return;
    }
    if (!claims.getExpirationTime().toInstant().isAfter(clock.instant())) {
      error(x, 401, 11, "Token has expired");
      return;
    }
    if (outdated(claims)) {
      error(x, 401, 11, "Token is outdated");
      return;
    }
    Tenant t = tenants.get(claims.getSubject());
    if (t == null) {
      error(x, 401, 10, "Authentication failed");
      return;
    }
    sendPair(x, t);
  }

  private void sendPair(HttpExchange x, Tenant t) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("token", jwt(t, false));
    out.put("refreshToken", jwt(t, true));
    send(x, 200, out);
  }

  private void deviceInfos(HttpExchange x, Tenant t, Map<String, String> q) throws IOException {
    Integer pageSize = integer(q.get("pageSize"));
    Integer page = integer(q.get("page"));
    if (pageSize == null || page == null) {
      error(x, 400, 31, "Required request parameter '" + (pageSize == null ? "pageSize" : "page")
          + "' for method parameter type int is not present");
      return;
    }
    if (pageSize < 1 || page < 0) {
      error(x, 400, 31, "Invalid page parameters");
      return;
    }
    List<Device> all;
    synchronized (t.devices) {
      all = new ArrayList<>(t.devices.values());
    }
    all.sort(Comparator.comparing(d -> d.name));
    int from = (int) Math.min((long) page * pageSize, all.size());
    int to = Math.min(from + pageSize, all.size());
    ObjectNode out = JSON.createObjectNode();
    ArrayNode data = out.putArray("data");
    for (Device d : all.subList(from, to)) {
      ObjectNode n = data.addObject();
      n.putObject("id").put("entityType", "DEVICE").put("id", d.id);
      n.put("name", d.name).put("type", d.type).put("label", (String) null).put("active", d.active)
          .put("deviceProfileName", d.type);
    }
    int totalPages = (all.size() + pageSize - 1) / pageSize;
    out.put("totalPages", totalPages).put("totalElements", all.size()).put("hasNext", to < all.size());
    send(x, 200, out);
  }

  private void rpc(HttpExchange x, Device d, boolean twoWay, String body) throws IOException {
    JsonNode req = parse(body);
    if (req == null || !req.path("method").isTextual()) {
      error(x, 400, 31, "Method is required");
      return;
    }
    if (!d.active) {
      error(x, rpcTimeoutStatus, 2, "Timeout to process the RPC call");
      return;
    }
    d.rpcs.add(req);
    if (twoWay) {
      send(x, 200, JSON.valueToTree(d.reply));
    } else {
      x.sendResponseHeaders(200, -1);
    }
  }

  private Device device(HttpExchange x, Tenant t, String id) throws IOException {
    Device own = t.devices.get(id);
    if (own != null) {
      return own;
    }
    boolean elsewhere = tenants.values().stream().anyMatch(o -> o.devices.containsKey(id));
    if (elsewhere) {
      error(x, 403, 20, "You don't have permission to perform this operation!");
    } else {
      error(x, 404, 32, "Requested item wasn't found!");
    }
    return null;
  }

  /** @return the caller's tenant, or null after answering 401 */
  private Tenant authenticate(HttpExchange x, String header) throws IOException {
    if (header != null && header.startsWith("ApiKey ")) {
      Tenant t = apiKeys.get(header.substring("ApiKey ".length()));
      if (t == null) {
        error(x, 401, 10, "Authentication failed");
      }
      return t;
    }
    if (header == null || !header.startsWith("Bearer ")) {
      error(x, 401, 10, "Authentication failed");
      return null;
    }
    JWTClaimsSet claims = verified(header.substring("Bearer ".length()));
    if (claims == null || isRefresh(claims)) {
      error(x, 401, 10, "Authentication failed");
      return null;
    }
    if (!claims.getExpirationTime().toInstant().isAfter(clock.instant())) {
      error(x, 401, 11, "Token has expired");
      return null;
    }
    if (outdated(claims)) {
      error(x, 401, 11, "Token is outdated");
      return null;
    }
    Tenant t = tenants.get(claims.getSubject());
    if (t == null) {
      error(x, 401, 10, "Authentication failed");
    }
    return t;
  }

  private String jwt(Tenant t, boolean refresh) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .subject(t.email)
        .issuer("thingsboard.io")
        .jwtID(UUID.randomUUID().toString())
        .claim("userId", t.userId)
        .claim("tenantId", t.id)
        .claim("scopes", List.of(refresh ? "REFRESH_TOKEN" : "TENANT_ADMIN"))
        .claim("gen", generation.get())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(refresh ? refreshLifetime : accessLifetime)))
        .build();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(signingKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private JWTClaimsSet verified(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!jwt.verify(new MACVerifier(signingKey))) {
        return null;
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      return claims.getExpirationTime() == null ? null : claims;
    } catch (ParseException | JOSEException e) {
      return null;
    }
  }

  private static boolean isRefresh(JWTClaimsSet claims) {
    Object scopes = claims.getClaim("scopes");
    return scopes instanceof List<?> l && l.contains("REFRESH_TOKEN");
  }

  private boolean outdated(JWTClaimsSet claims) {
    Object gen = claims.getClaim("gen");
    return !(gen instanceof Number n) || n.intValue() < generation.get();
  }

  private void count(String route) {
    calls.computeIfAbsent(route, r -> new AtomicInteger()).incrementAndGet();
  }

  private void error(HttpExchange x, int status, int errorCode, String message) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("status", status).put("message", message).put("errorCode", errorCode)
        .put("timestamp", clock.millis());
    send(x, status, out);
  }

  private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Integer integer(String text) {
    try {
      return text == null ? null : Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }
}
