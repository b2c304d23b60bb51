package com.nexflux.integrations.providers.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake of Blynk's device HTTPS API on {@code 127.0.0.1}, written from Blynk's published description
 * (docs.blynk.io, "Device HTTPS API" and its troubleshooting page): {@code GET /external/api/isHardwareConnected},
 * {@code /getAll}, {@code /get}, {@code /update} and {@code /batch/update}, the device auth token in the
 * {@code token} query parameter, paths case-sensitive (another spelling is 404).
 *
 * <p>It refuses what Blynk refuses, with Blynk's HTTP 400 and body {@code {"error":{"message":...}}}: a missing or
 * unknown token ({@code Invalid token.}), a pin parameter that is not a virtual pin {@code v0}-{@code v255}
 * ({@code Wrong pin format.}), a pin with no datastream ({@code No datastream setup for that pin.}); a batch is
 * checked whole before any pin is written. <strong>Regions:</strong> each device lives on one server host; a request
 * that reaches the fake under another {@code Host} (the test maps {@code blynk.cloud}, {@code fra1.blynk.cloud}, ...
 * to 127.0.0.1) answers {@code 308 Permanent Redirect} with the same path and query on the device's host, as a wrong
 * region does. A device may instead be made to redirect somewhere else ({@link Device#redirectTo}). Every request is
 * recorded and counted.
 *
 * <p><strong>Platform API</strong> (docs.blynk.io, "Platform API", authentication and devices pages): an
 * organization's OAuth clients ({@link #platformClient}) get tokens from {@code POST /oauth2/token} with
 * {@code grant_type} <em>in the query string</em>, as Blynk documents it ({@code grant_type} in the body alone is
 * {@code invalid_request}); the client authenticates with HTTP Basic or, as Blynk also documents, with
 * {@code client_id}/{@code client_secret} query parameters; credentials in a form body are not documented and are
 * not read. A refused client answers 400 {@code {"error":"invalid_client",...}}. Tokens are bearer tokens that
 * expire ({@link #tokenLifetime}, 300 s by default, {@link #expireAllTokens}); a revoked client's tokens stop
 * working. {@code GET /api/v1/organization/devices?page=&size=} (0-based pages, size 1 to 1000, default 20) lists
 * the organization's devices with their auth {@code token}; {@code GET /api/v1/organization/device/online?deviceId=}
 * answers {@code {"connected":...}} or 404 for a device of another organization. A missing, unknown or expired
 * bearer token is 401; {@link #answer429} scripts Blynk's rate limit. The platform endpoints answer under any
 * {@code Host}.
 */
public final class FakeBlynk implements AutoCloseable {
  private static final Pattern PIN = Pattern.compile("[vV](\\d{1,3})");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, Device> devices = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private volatile Duration latency = Duration.ZERO;

  /** A request as the fake saw it. */
  public record Received(String host, String path, String rawQuery) {}

  /** An organization's device as the platform API lists it. */
  public record OrgDevice(long id, String org, String name, String token, boolean online) {}

  /** A token request as the fake saw it: how the client authenticated ({@code basic}, {@code query}, none). */
  public record TokenRequest(String method, String rawQuery, String body, String authentication) {}

  private record Client(String secret, String org) {}

  private record Issued(String clientId, java.time.Instant expiresAt) {}

  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final Map<Long, OrgDevice> orgDevices = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextDeviceId = new AtomicInteger(100);
  private final AtomicInteger pending429 = new AtomicInteger();
  private volatile java.time.Duration tokenLifetime = java.time.Duration.ofSeconds(300);
  private volatile boolean tokenEndpointDown;

  private FakeBlynk(HttpServer server) {
    this.server = server;
  }

  /** Starts a fake on a free port of 127.0.0.1. */
  public static FakeBlynk start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      FakeBlynk fake = new FakeBlynk(s);
      s.createContext("/", fake::handle);
      s.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the port */
  public int port() {
    return server.getAddress().getPort();
  }

  /** @return {@code http://host:port}: the fake under a host name the test maps to 127.0.0.1 */
  public String url(String host) {
    return "http://" + host + ":" + port();
  }

  /**
   * Adds a device.
   *
   * @param token its auth token
   * @param home the server host it lives on, e.g. {@code fra1.blynk.cloud} (or {@code 127.0.0.1})
   * @param datastreams the virtual pins that have a datastream
   */
  public Device addDevice(String token, String home, int... datastreams) {
    Device d = new Device(home.toLowerCase(Locale.ROOT));
    for (int pin : datastreams) {
      d.values.put(pin, "0");
    }
    devices.put(token, d);
    return d;
  }

  /**
   * Adds a fixed delay to every request from now on, redirects included: the handler sleeps {@code value} before it reads the
   * request, as a provider far away answers late (for benchmarks; {@link Duration#ZERO}, the default, adds
   * nothing). This fake answers on the JDK server's single dispatcher thread, so concurrent
   * requests are delayed one after another (NexFlux asks Blynk for a user's devices one by one).
   *
   * @return this
   */
  public FakeBlynk latency(Duration value) {
    this.latency = FakeLatency.check(value);
    return this;
  }

  /** Forgets a device: its token is invalid from now on. */
  public void removeDevice(String token) {
    devices.remove(token);
  }

  /** @return every request received, in order */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** @return how many requests reached this endpoint ({@code isHardwareConnected}, {@code batch/update}, ...) */
  public int calls(String endpoint) {
    AtomicInteger n = counts.get(endpoint);
    return n == null ? 0 : n.get();
  }

  /** @return how many requests arrived under this {@code Host} */
  public long callsTo(String host) {
    return received.stream().filter(r -> r.host().equals(host)).count();
  }

  /** Registers an OAuth client of an organization. */
  public FakeBlynk platformClient(String clientId, String secret, String org) {
    clients.put(clientId, new Client(secret, org));
    revoked.remove(clientId);
    return this;
  }

  /** Revokes a client: it gets no token any more, and its tokens stop working. */
  public void revokeClient(String clientId) {
    revoked.add(clientId);
  }

  /** Sets the lifetime of tokens issued from now on. */
  public void tokenLifetime(java.time.Duration lifetime) {
    tokenLifetime = lifetime;
  }

  /** Makes every issued token expired. */
  public void expireAllTokens() {
    issued.replaceAll((k, v) -> new Issued(v.clientId(), java.time.Instant.EPOCH));
  }

  /** Makes the token endpoint answer 503 (or work again). */
  public void tokenEndpointDown(boolean down) {
    tokenEndpointDown = down;
  }

  /** Makes the next {@code n} platform API calls (not token requests) answer 429 with {@code Retry-After: 1}. */
  public void answer429(int n) {
    pending429.set(n);
  }

  /** Adds a device to an organization; @return it (its {@code token} is what the platform API lists) */
  public OrgDevice orgDevice(String org, String name, String token, boolean online) {
    OrgDevice d = new OrgDevice(nextDeviceId.incrementAndGet(), org, name, token, online);
    orgDevices.put(d.id(), d);
    return d;
  }

  /** @return every token request, in order */
  public List<TokenRequest> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  /** @return every access token issued so far */
  public Set<String> issuedTokens() {
    return Set.copyOf(issued.keySet());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** One device: where it lives, whether it is online, its datastream values by pin. */
  public static final class Device {
    private final String home;
    private final Map<Integer, String> values = new TreeMap<>();
    private volatile boolean online = true;
    private volatile String redirect;
    private volatile int redirectStatus;

    private Device(String home) {
      this.home = home;
    }

    /** Sets whether Blynk sees the device connected. */
    public Device online(boolean value) {
      online = value;
      return this;
    }

    /** Sets a datastream's value. */
    public synchronized Device value(int pin, String value) {
      values.put(pin, value);
      return this;
    }

    /** @return the value of a virtual pin's datastream, or {@code null} */
    public synchronized String value(int pin) {
      return values.get(pin);
    }

    /** Makes every request for this device answer {@code status} with this {@code Location}. */
    public Device redirectTo(int status, String location) {
      redirectStatus = status;
      redirect = location;
      return this;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      FakeLatency.sleep(latency);
      String hostHeader = ex.getRequestHeaders().getFirst("Host");
      String host = hostHeader == null ? "" : hostHeader.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
      String path = ex.getRequestURI().getRawPath();
      String rawQuery = ex.getRequestURI().getRawQuery();
      received.add(new Received(host, path, rawQuery));
      if (path.equals("/oauth2/token")) {
        counts.computeIfAbsent("oauth2/token", k -> new AtomicInteger()).incrementAndGet();
        token(ex, rawQuery);
        return;
      }
      if (path.startsWith("/api/v1/organization/")) {
        String endpoint = path.substring("/api/v1/".length());
        counts.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
        platform(ex, endpoint, rawQuery);
        return;
      }
      if (!ex.getRequestMethod().equals("GET") || !path.startsWith("/external/api/")) {
        send(ex, 404, "text/plain", "Not found");
        return;
      }
      String endpoint = path.substring("/external/api/".length());
      counts.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
      if (!Set.of("isHardwareConnected", "getAll", "get", "update", "batch/update").contains(endpoint)) {
        send(ex, 404, "text/plain", "Not found");
        return;
      }
      List<Map.Entry<String, String>> params = query(rawQuery);
      String token = params.stream().filter(p -> p.getKey().equals("token")).map(Map.Entry::getValue).findFirst()
          .orElse(null);
      Device device = token == null ? null : devices.get(token);
      if (device == null) {
        error(ex, "Invalid token.");
        return;
      }
      if (device.redirect != null) {
        ex.getResponseHeaders().add("Location", device.redirect);
        send(ex, device.redirectStatus, "text/plain", "");
        return;
      }
      if (!host.equals(device.home)) {
        ex.getResponseHeaders().add("Location", "http://" + device.home + ":" + port() + path
            + (rawQuery == null ? "" : "?" + rawQuery));
        send(ex, 308, "text/plain", "");
        return;
      }
      List<Map.Entry<Integer, String>> pins = new ArrayList<>();
      for (Map.Entry<String, String> p : params) {
        if (p.getKey().equals("token")) {
          continue;
        }
        Matcher m = PIN.matcher(p.getKey());
        if (!m.matches() || Integer.parseInt(m.group(1)) > 255) {
          error(ex, "Wrong pin format.");
          return;
        }
        int pin = Integer.parseInt(m.group(1));
        synchronized (device) {
          if (!device.values.containsKey(pin)) {
            error(ex, "No datastream setup for that pin.");
            return;
          }
        }
        pins.add(new AbstractMap.SimpleImmutableEntry<>(pin, p.getValue()));
      }
      switch (endpoint) {
        case "isHardwareConnected" -> send(ex, 200, "application/json", Boolean.toString(device.online));
        case "getAll" -> {
          Map<String, Object> all = new TreeMap<>();
          synchronized (device) {
            device.values.forEach((pin, value) -> all.put("v" + pin, number(value)));
          }
          send(ex, 200, "application/json", JSON.writeValueAsString(all));
        }
        case "get" -> {
          if (pins.size() != 1) {
            error(ex, "Wrong pin format.");
            return;
          }
          send(ex, 200, "application/json", String.valueOf(device.value(pins.get(0).getKey())));
        }
        default -> { // update, batch/update
          if (pins.isEmpty() || (endpoint.equals("update") && pins.size() != 1)) {
            error(ex, "Wrong pin format.");
            return;
          }
          synchronized (device) {
            pins.forEach(p -> device.values.put(p.getKey(), p.getValue() == null ? "" : p.getValue()));
          }
          send(ex, 200, "text/plain", "");
        }
      }
    }
  }

  private void token(HttpExchange ex, String rawQuery) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> query = new java.util.HashMap<>();
    query(rawQuery).forEach(p -> query.putIfAbsent(p.getKey(), p.getValue()));
    String authorization = ex.getRequestHeaders().getFirst("Authorization");
    String id = null;
    String secret = null;
    String how = "none";
    if (authorization != null && authorization.startsWith("Basic ")) {
      String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
          StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        id = decoded.substring(0, colon);
        secret = decoded.substring(colon + 1);
        how = "basic";
      }
    } else if (query.containsKey("client_id")) {
      id = query.get("client_id");
      secret = query.get("client_secret");
      how = "query";
    }
    tokenRequests.add(new TokenRequest(ex.getRequestMethod(), rawQuery, body, how));
    if (!ex.getRequestMethod().equals("POST")) {
      send(ex, 405, "application/json", "{\"error\":\"invalid_request\"}");
      return;
    }
    if (tokenEndpointDown) {
      send(ex, 503, "text/plain", "Service Unavailable");
      return;
    }
    String grant = query.get("grant_type");
    if (grant == null) {
      oauthError(ex, "invalid_request", "grant_type is missing");
      return;
    }
    if (!grant.equals("client_credentials")) {
      oauthError(ex, "unsupported_grant_type", "only client_credentials in this fake");
      return;
    }
    Client client = id == null ? null : clients.get(id);
    if (client == null || revoked.contains(id) || !client.secret().equals(secret)) {
      oauthError(ex, "invalid_client", "Client ID is not found or password is wrong.");
      return;
    }
    String access = "fake-blynk-at-" + java.util.UUID.randomUUID();
    issued.put(access, new Issued(id, java.time.Instant.now().plus(tokenLifetime)));
    Map<String, Object> answer = new java.util.LinkedHashMap<>();
    answer.put("access_token", access);
    answer.put("token_type", "Bearer");
    answer.put("expires_in", tokenLifetime.toSeconds());
    answer.put("refresh_token", "fake-blynk-rt-" + java.util.UUID.randomUUID());
    send(ex, 200, "application/json", JSON.writeValueAsString(answer));
  }

  private void platform(HttpExchange ex, String endpoint, String rawQuery) throws IOException {
    if (!ex.getRequestMethod().equals("GET")) {
      send(ex, 405, "text/plain", "Method Not Allowed");
      return;
    }
    if (pending429.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      ex.getResponseHeaders().add("Retry-After", "1");
      error(ex, 429, "Too many requests.");
      return;
    }
    String authorization = ex.getRequestHeaders().getFirst("Authorization");
    Issued token = authorization == null || !authorization.startsWith("Bearer ") ? null
        : issued.get(authorization.substring(7).trim());
    if (token == null || !java.time.Instant.now().isBefore(token.expiresAt()) || revoked.contains(token.clientId())) {
      error(ex, 401, "Unauthorized.");
      return;
    }
    String org = clients.get(token.clientId()).org();
    Map<String, String> query = new java.util.HashMap<>();
    query(rawQuery).forEach(p -> query.putIfAbsent(p.getKey(), p.getValue()));
    switch (endpoint) {
      case "organization/devices" -> {
        int page;
        int size;
        try {
          page = Integer.parseInt(query.getOrDefault("page", "0"));
          size = Integer.parseInt(query.getOrDefault("size", "20"));
        } catch (NumberFormatException e) {
          error(ex, 400, "Wrong page or size.");
          return;
        }
        if (page < 0 || size < 1 || size > 1000) {
          error(ex, 400, "Wrong page or size.");
          return;
        }
        List<OrgDevice> mine = orgDevices.values().stream().filter(d -> d.org().equals(org)).toList();
        List<Map<String, Object>> content = new ArrayList<>();
        for (int i = page * size; i < Math.min(mine.size(), (page + 1) * size); i++) {
          OrgDevice d = mine.get(i);
          Map<String, Object> m = new java.util.LinkedHashMap<>();
          m.put("id", d.id());
          m.put("templateId", 353);
          m.put("orgId", Math.abs(org.hashCode() % 1000));
          m.put("name", d.name());
          m.put("token", d.token());
          m.put("activatedAt", 1702480139859L);
          m.put("ownerUserId", 879);
          m.put("hardwareInfo", Map.of("version", "0.1.0", "fwType", "fake", "blynkVersion", "1.3.2",
              "boardType", "ESP32", "build", "Jan 1 2024", "templateId", "TMPL0000"));
          content.add(m);
        }
        send(ex, 200, "application/json", JSON.writeValueAsString(Map.of("content", content,
            "totalElements", mine.size())));
      }
      case "organization/device/online" -> {
        OrgDevice d;
        try {
          d = orgDevices.get(Long.parseLong(query.getOrDefault("deviceId", "")));
        } catch (NumberFormatException e) {
          d = null;
        }
        if (d == null || !d.org().equals(org)) {
          error(ex, 404, "Device with identifier " + query.get("deviceId")
              + " is not found or belong to another organization.");
          return;
        }
        send(ex, 200, "application/json", "{\"connected\":" + d.online() + "}");
      }
      default -> send(ex, 404, "text/plain", "Not found");
    }
  }

  private static void oauthError(HttpExchange ex, String error, String description) throws IOException {
    send(ex, 400, "application/json", JSON.writeValueAsString(Map.of("error", error, "error_description",
        description)));
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsString(Map.of("error", Map.of("message", message))));
  }

  private static Object number(String value) {
    try {
      return value.contains(".") ? (Object) Double.parseDouble(value) : (Object) Long.parseLong(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static List<Map.Entry<String, String>> query(String raw) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? null : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
    }
    return out;
  }

  private static void error(HttpExchange ex, String message) throws IOException {
    send(ex, 400, "application/json", JSON.writeValueAsString(Map.of("error", Map.of("message", message))));
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
