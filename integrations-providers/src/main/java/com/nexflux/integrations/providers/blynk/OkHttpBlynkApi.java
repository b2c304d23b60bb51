package com.nexflux.integrations.providers.blynk;

import com.nexflux.integrations.core.blynk.BlynkDeviceApi;
import com.nexflux.integrations.core.blynk.BlynkPin;
import com.nexflux.integrations.core.blynk.BlynkServers;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.RateLimitedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.providers.blynk.internal.BlynkAnswers;
import com.nexflux.integrations.providers.http.NoRedirects;
import com.nexflux.integrations.providers.internal.BoundedBodies;
import com.nexflux.integrations.providers.internal.RetryAfter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Blynk's device HTTPS API on OkHttp. The client must be a guarded fixed-host client of the deployment's Blynk
 * servers that redacts {@code token} (best with {@code maxRedirects(0)}); every request is tagged
 * {@link NoRedirects}, so redirects come back to this adapter, which
 * follows a {@code 308} itself, only to another of {@link BlynkServers#hosts()} on the same scheme and port, by
 * sending the same request there (so nothing of the {@code Location} but its host is used), and reports that
 * server; any other redirect is refused ({@link UnavailableException}), as is a second one.
 *
 * <p>HTTP 400 is a {@link com.nexflux.integrations.core.blynk.BlynkRejectedException} with Blynk's message, 429 a
 * {@link RateLimitedException}, anything else, network failures and timeouts an {@link UnavailableException}. The
 * token travels only in the query string of the request; no message names the URL or the token.
 */
public final class OkHttpBlynkApi implements BlynkDeviceApi {
  private static final long MAX_BODY_BYTES = 2L * 1024 * 1024;
  private static final int MAX_REGION_HOPS = 1;

  private final OkHttpClient client;
  private final BlynkServers servers;
  private final Clock clock;

  public OkHttpBlynkApi(OkHttpClient client, BlynkServers servers, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.servers = Objects.requireNonNull(servers, "servers");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Reply<Boolean> isHardwareConnected(String server, Secret token) {
    Answer a = call(server, "isHardwareConnected", token, Map.of());
    return new Reply<>(BlynkAnswers.bool(a.body()), a.server());
  }

  @Override
  public Reply<Map<String, Object>> getAll(String server, Secret token) {
    Answer a = call(server, "getAll", token, Map.of());
    return new Reply<>(BlynkAnswers.values(a.body()), a.server());
  }

  @Override
  public Reply<Void> update(String server, Secret token, Map<BlynkPin, String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("at least one pin");
    }
    Answer a = call(server, values.size() == 1 ? "update" : "batch/update", token, values);
    return new Reply<>(null, a.server());
  }

  private record Answer(String body, String server) {}

  private Answer call(String server, String endpoint, Secret token, Map<BlynkPin, String> pins) {
    String what = endpoint;
    String host = server;
    for (int hop = 0; ; hop++) {
      HttpUrl base = HttpUrl.get(servers.urlOf(host));
      HttpUrl.Builder url = base.newBuilder().addPathSegments("external/api/" + endpoint)
          .addQueryParameter("token", token.reveal());
      pins.forEach((pin, value) -> url.addQueryParameter(pin.parameter(), value));
      Request request = new Request.Builder().url(url.build()).get()
          .tag(NoRedirects.class, NoRedirects.INSTANCE).build();
      try (Response response = client.newCall(request).execute()) {
        int code = response.code();
        if (code >= 300 && code < 400) {
          String next = region(base, response);
          if (code != 308 || next == null || hop >= MAX_REGION_HOPS) {
            throw new UnavailableException("Blynk redirected " + what + " (HTTP " + code + ") somewhere that is not "
                + "another Blynk server of this deployment; the redirect was refused", null);
          }
          host = next;
          continue;
        }
        String body = BoundedBodies.utf8(response.body(), MAX_BODY_BYTES);
        if (code == 200) {
          return new Answer(body, host);
        }
        if (code == 400) {
          throw BlynkAnswers.rejection(body);
        }
        if (code == 429) {
          Duration wait = RetryAfter.parse(response.header("Retry-After"), clock).orElse(Duration.ofMinutes(1));
          throw new RateLimitedException("Blynk's rate limit was reached on " + what, RetryAfter.clamp(wait));
        }
        throw new UnavailableException("Blynk failed on " + what + " (HTTP " + code + ")", null);
      } catch (BoundedBodies.TooLargeException e) {
        throw new UnavailableException("Blynk's answer to " + what + " is larger than " + MAX_BODY_BYTES
            + " bytes", null);
      } catch (InterruptedIOException e) {
        throw new UnavailableException("Blynk did not answer " + what + " in time", null);
      } catch (IOException e) {
        // OkHttp's messages may quote the address; only the kind of failure is passed on
        throw new UnavailableException("Blynk could not be reached for " + what + " ("
            + e.getClass().getSimpleName() + ")", null);
      }
    }
  }

  /** @return the host of a redirect to another Blynk server on the same scheme and port, else {@code null} */
  private String region(HttpUrl asked, Response response) {
    String location = response.header("Location");
    HttpUrl target = location == null ? null : asked.resolve(location);
    if (target == null || !target.scheme().equals(asked.scheme()) || target.port() != asked.port()
        || target.host().equals(asked.host()) || !servers.isAllowed(target.host())) {
      return null;
    }
    return target.host();
  }
}
