package com.nexflux.integrations.providers.blynk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nexflux.integrations.core.blynk.BlynkPlatformApi;
import com.nexflux.integrations.core.blynk.BlynkServers;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.oauth.CredentialsRejectedException;
import com.nexflux.integrations.core.oauth.TokenSet;
import com.nexflux.integrations.providers.http.NoRedirects;
import com.nexflux.integrations.providers.internal.BoundedBodies;
import com.nexflux.integrations.providers.internal.RetryAfter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Blynk's platform API on OkHttp, as Blynk documents it (docs.blynk.io, "Platform API": authentication and devices):
 * the token request is {@code POST {server}/oauth2/token?grant_type=client_credentials} with an empty body and
 * {@code Authorization: Basic base64(clientId:clientSecret)}; the calls carry {@code Authorization: Bearer} and
 * every id as a query parameter. The client must be a guarded fixed-host client of the deployment's Blynk servers;
 * every request is tagged {@link NoRedirects} and a redirect is refused ({@link UnavailableException}).
 *
 * <p>Token endpoint: {@code invalid_client}, {@code unauthorized_client} or HTTP 401 is a
 * {@link CredentialsRejectedException}. Calls: HTTP 401 is a {@link CredentialsRejectedException} ({@code http_401},
 * the access token), 429 a {@link RateLimitedException}, anything else an {@link UnavailableException}. The device
 * auth token Blynk lists with each device ({@code token}) is never read. No message names a URL, a secret or a token.
 */
public final class OkHttpBlynkPlatformApi implements BlynkPlatformApi {
  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OkHttpClient client;
  private final BlynkServers servers;
  private final Clock clock;

  public OkHttpBlynkPlatformApi(OkHttpClient client, BlynkServers servers, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.servers = Objects.requireNonNull(servers, "servers");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public TokenSet token(String server, String clientId, Secret clientSecret) {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    HttpUrl url = HttpUrl.get(servers.tokenEndpointOf(server)).newBuilder()
        .addQueryParameter("grant_type", "client_credentials").build();
    Request request = new Request.Builder().url(url)
        .header("Authorization", Credentials.basic(clientId, clientSecret.reveal(), StandardCharsets.UTF_8))
        .header("Accept", "application/json")
        .post(RequestBody.create(new byte[0], null))
        .tag(NoRedirects.class, NoRedirects.INSTANCE).build();
    Instant sentAt = clock.instant();
    String what = "the token request";
    try (Response response = client.newCall(request).execute()) {
      int code = response.code();
      String body = BoundedBodies.utf8(response.body(), MAX_BODY_BYTES);
      JsonNode json = parse(body);
      String error = json != null && json.path("error").isTextual() ? json.path("error").asText() : null;
      if (code == 429) {
        throw rateLimited(response, what);
      }
      if (code >= 500 || code >= 300 && code < 400) {
        throw new UnavailableException("Blynk failed on " + what + " (HTTP " + code + ")", null);
      }
      if (code == 401 || "invalid_client".equals(error) || "unauthorized_client".equals(error)) {
        throw new CredentialsRejectedException(error == null ? "http_" + code : error);
      }
      if (code != 200 || error != null || json == null || !json.path("access_token").isTextual()
          || json.path("access_token").asText().isEmpty()
          || !"bearer".equals(json.path("token_type").asText("").toLowerCase(Locale.ROOT))) {
        throw new UnavailableException("Blynk's answer to " + what + " is not a bearer token (HTTP " + code
            + (error == null ? "" : ", " + safe(error)) + ")", null);
      }
      JsonNode expires = json.path("expires_in");
      Instant expiresAt = expires.canConvertToLong() ? sentAt.plusSeconds(expires.asLong()) : null;
      return new TokenSet(Secret.of(json.path("access_token").asText()), null, expiresAt, null, List.of());
    } catch (BoundedBodies.TooLargeException e) {
      throw new UnavailableException("Blynk's answer to " + what + " is too large", null);
    } catch (InterruptedIOException e) {
      throw new UnavailableException("Blynk did not answer " + what + " in time", null);
    } catch (IOException e) {
      throw new UnavailableException("Blynk could not be reached for " + what + " ("
          + e.getClass().getSimpleName() + ")", null);
    }
  }

  @Override
  public Page devices(String server, Secret accessToken, int page, int size) {
    if (page < 0 || size < 1) {
      throw new IllegalArgumentException("page >= 0, size >= 1");
    }
    JsonNode json = get(server, accessToken, "organization/devices", "the device list",
        "page", Integer.toString(page), "size", Integer.toString(size));
    JsonNode content = json.path("content");
    if (!content.isArray()) {
      throw new UnavailableException("Blynk's device list has no content array", null);
    }
    List<OrgDevice> out = new ArrayList<>();
    for (JsonNode d : content) {
      // only these fields are read: the device's auth token ("token") never becomes a value here
      if (!d.path("id").canConvertToLong()) {
        continue;
      }
      String name = d.path("name").isTextual() ? d.path("name").asText() : "";
      Long template = d.path("templateId").canConvertToLong() ? d.path("templateId").asLong() : null;
      Instant activated = d.path("activatedAt").canConvertToLong()
          ? Instant.ofEpochMilli(d.path("activatedAt").asLong()) : null;
      out.add(new OrgDevice(d.path("id").asLong(), name, template, activated));
    }
    long total = json.path("totalElements").canConvertToLong() ? json.path("totalElements").asLong() : out.size();
    return new Page(out, total);
  }

  @Override
  public boolean online(String server, Secret accessToken, long deviceId) {
    JsonNode json = get(server, accessToken, "organization/device/online", "a device's online state",
        "deviceId", Long.toString(deviceId));
    JsonNode connected = json.path("connected");
    if (!connected.isBoolean()) {
      throw new UnavailableException("Blynk's online answer has no connected flag", null);
    }
    return connected.asBoolean();
  }

  private JsonNode get(String server, Secret accessToken, String path, String what, String... query) {
    HttpUrl.Builder url = HttpUrl.get(servers.urlOf(server)).newBuilder().addPathSegments("api/v1/" + path);
    for (int i = 0; i < query.length; i += 2) {
      url.addQueryParameter(query[i], query[i + 1]);
    }
    Request request = new Request.Builder().url(url.build()).get()
        .header("Authorization", "Bearer " + accessToken.reveal())
        .header("Accept", "application/json")
        .tag(NoRedirects.class, NoRedirects.INSTANCE).build();
    try (Response response = client.newCall(request).execute()) {
      int code = response.code();
      if (code == 429) {
        throw rateLimited(response, what);
      }
      if (code == 401) {
        throw new CredentialsRejectedException("http_401");
      }
      if (code != 200) {
        throw new UnavailableException("Blynk failed on " + what + " (HTTP " + code + ")", null);
      }
      JsonNode json = parse(BoundedBodies.utf8(response.body(), MAX_BODY_BYTES));
      if (json == null || !json.isObject()) {
        throw new UnavailableException("Blynk's answer to " + what + " is not a JSON object", null);
      }
      return json;
    } catch (BoundedBodies.TooLargeException e) {
      throw new UnavailableException("Blynk's answer to " + what + " is too large", null);
    } catch (InterruptedIOException e) {
      throw new UnavailableException("Blynk did not answer " + what + " in time", null);
    } catch (IOException e) {
      throw new UnavailableException("Blynk could not be reached for " + what + " ("
          + e.getClass().getSimpleName() + ")", null);
    }
  }

  private RateLimitedException rateLimited(Response response, String what) {
    Duration wait = RetryAfter.parse(response.header("Retry-After"), clock).orElse(Duration.ofMinutes(1));
    return new RateLimitedException("Blynk's platform API rate limit was reached on " + what,
        RetryAfter.clamp(wait));
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String safe(String error) {
    return error.replaceAll("[^a-z_]", "").substring(0, Math.min(error.replaceAll("[^a-z_]", "").length(), 40));
  }
}
