package com.nexflux.integrations.app.arduino;

import com.nexflux.integrations.app.provider.Environment;
import com.nexflux.integrations.app.provider.OAuthEngine;
import com.nexflux.integrations.app.provider.ProviderModule;
import com.nexflux.integrations.app.provider.ProviderSlice;
import com.nexflux.integrations.app.provider.SharedParts;
import com.nexflux.integrations.app.provider.TokenRegistration;
import com.nexflux.integrations.core.arduino.ArduinoApi;
import com.nexflux.integrations.core.arduino.ArduinoIntegrationService;
import com.nexflux.integrations.core.arduino.ArduinoIntegrations;
import com.nexflux.integrations.core.arduino.ArduinoLabDeviceService;
import com.nexflux.integrations.core.arduino.ArduinoLabDevices;
import com.nexflux.integrations.core.arduino.ArduinoStatusSource;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.oauth.GrantStrategy;
import com.nexflux.integrations.core.provider.Capability;
import com.nexflux.integrations.core.provider.ConnectionMethod;
import com.nexflux.integrations.core.provider.ProviderDescriptor;
import com.nexflux.integrations.http.arduino.ArduinoRoutes;
import com.nexflux.integrations.providers.arduino.OkHttpArduinoApi;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.RateLimit;
import com.nexflux.integrations.providers.http.RateLimiter;
import com.nexflux.integrations.providers.http.Timeouts;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Arduino Cloud: each user connects their own API key (client credentials); the engine's client credentials strategy
 * keeps their 300 s tokens fresh. Always available (a user brings their own key); the deployment's own key
 * ({@code ARDUINO_CLIENT_ID}/{@code ARDUINO_CLIENT_SECRET}) only adds the {@link ArduinoLabDevices} use case.
 */
public final class ArduinoModule implements ProviderModule {
  /** Arduino Cloud's descriptor (the placeholder's, now built). */
  public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(Provider.ARDUINO_CLOUD, "Arduino Cloud",
      List.of(ConnectionMethod.CLIENT_CREDENTIALS), Set.of(Capability.LINK, Capability.DEVICES));
  /** {@code ARDUINO_API_BASE_URL}'s default. */
  public static final String DEFAULT_API_BASE_URL = "https://api2.arduino.cc";
  /** {@code ARDUINO_REQUESTS_PER_SECOND}'s default (Arduino's free tier). */
  public static final int DEFAULT_REQUESTS_PER_SECOND = 1;
  /** {@code ARDUINO_CACHE_SECONDS}'s default. */
  public static final int DEFAULT_CACHE_SECONDS = 15;
  /** {@code ARDUINO_OTA_MAX_BYTES}'s default: 4 MiB. */
  public static final int DEFAULT_OTA_MAX_BYTES = 4 * 1024 * 1024;
  /** The longest a request waits for its turn under the per-connection rate limit. */
  public static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(10);

  /**
   * The module's settings.
   *
   * @param apiBaseUrl {@code ARDUINO_API_BASE_URL}
   * @param requestsPerSecond {@code ARDUINO_REQUESTS_PER_SECOND}, per connection
   * @param cacheTtl {@code ARDUINO_CACHE_SECONDS}
   * @param otaMaxBytes {@code ARDUINO_OTA_MAX_BYTES} (the largest binary {@code POST …/devices/{id}/ota} takes)
   * @param labClientId {@code ARDUINO_CLIENT_ID}, or {@code null}
   * @param labClientSecret {@code ARDUINO_CLIENT_SECRET}, or {@code null}
   */
  public record Settings(URI apiBaseUrl, int requestsPerSecond, Duration cacheTtl, long otaMaxBytes,
      String labClientId, Secret labClientSecret) {
    public Settings {
      Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
      Objects.requireNonNull(cacheTtl, "cacheTtl");
      if ((labClientId == null) != (labClientSecret == null)) {
        throw new IllegalArgumentException("the lab client id and secret go together");
      }
    }

    /** The defaults, without a lab key. */
    public static Settings defaults(URI apiBaseUrl) {
      return new Settings(apiBaseUrl, DEFAULT_REQUESTS_PER_SECOND, Duration.ofSeconds(DEFAULT_CACHE_SECONDS),
          DEFAULT_OTA_MAX_BYTES, null, null);
    }

    @Override
    public String toString() {
      return "Settings[apiBaseUrl=" + apiBaseUrl + ", requestsPerSecond=" + requestsPerSecond + ", cacheTtl="
          + cacheTtl + ", otaMaxBytes=" + otaMaxBytes + ", lab=" + (labClientId != null) + "]";
    }
  }

  private final Settings settings;
  private ArduinoApi api;

  public ArduinoModule(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Arduino Cloud's variables: {@code ARDUINO_API_BASE_URL} (default {@value #DEFAULT_API_BASE_URL}),
   * {@code ARDUINO_REQUESTS_PER_SECOND} (1 to 100, default 1), {@code ARDUINO_CACHE_SECONDS} (0 to 3600, default
   * 15), {@code ARDUINO_OTA_MAX_BYTES} (1 to 64 MiB, default 4 MiB), {@code ARDUINO_CLIENT_ID} and
   * {@code ARDUINO_CLIENT_SECRET} (together or neither).
   */
  public static ArduinoModule fromEnvironment(Environment env) {
    String base = env.url("ARDUINO_API_BASE_URL", DEFAULT_API_BASE_URL).replaceAll("/+$", "");
    int rps = env.integer("ARDUINO_REQUESTS_PER_SECOND", DEFAULT_REQUESTS_PER_SECOND, 1, 100);
    int cache = env.integer("ARDUINO_CACHE_SECONDS", DEFAULT_CACHE_SECONDS, 0, 3600);
    int ota = env.integer("ARDUINO_OTA_MAX_BYTES", DEFAULT_OTA_MAX_BYTES, 1, 64 * 1024 * 1024);
    String id = env.text("ARDUINO_CLIENT_ID");
    String secret = env.text("ARDUINO_CLIENT_SECRET");
    if ((id == null) != (secret == null)) {
      env.problem("ARDUINO_CLIENT_ID and ARDUINO_CLIENT_SECRET must be set together");
      id = null;
      secret = null;
    }
    return new ArduinoModule(new Settings(URI.create(base), rps, Duration.ofSeconds(cache), ota,
        id == null ? null : id.trim(), secret == null ? null : Secret.of(secret.trim())));
  }

  /** @return the settings */
  public Settings settings() {
    return settings;
  }

  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Optional<TokenRegistration> tokens(SharedParts shared) {
    return Optional.of(TokenRegistration.of(new GrantStrategy.ClientCredentials(
        OkHttpArduinoApi.tokenEndpoint(settings.apiBaseUrl()), List.of(),
        Map.of("audience", OkHttpArduinoApi.AUDIENCE), GrantStrategy.ClientAuthentication.REQUEST_BODY)));
  }

  private synchronized ArduinoApi api(SharedParts shared) {
    if (api == null) {
      var http = shared.outbound().fixedHosts(OutboundHttpClients.hostsOf(settings.apiBaseUrl()))
          .timeouts(Timeouts.DEFAULT)
          .rateLimit(RateLimit.perSecond(settings.requestsPerSecond(), 1, RATE_LIMIT_WAIT))
          .build();
      api = new OkHttpArduinoApi(http, settings.apiBaseUrl(), shared.clock(), RateLimiter.Sleeper.SYSTEM);
    }
    return api;
  }

  @Override
  public ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth) {
    ProviderSlice.Builder slice = ProviderSlice.builder();
    if (oauth.isEmpty()) {
      return slice.routes(new ArduinoRoutes(null, settings.otaMaxBytes())).build();
    }
    OAuthEngine engine = oauth.get();
    var connections = shared.persistence().oauthConnections();
    ArduinoApi arduino = api(shared);
    ArduinoIntegrationService service = new ArduinoIntegrationService(connections,
        shared.persistence().auditLog(), engine.tokens(),
        engine.disconnects(), arduino, shared.cipher(), shared.clock(), settings.cacheTtl());
    slice.status(new ArduinoStatusSource(connections))
        .routes(new ArduinoRoutes(service, settings.otaMaxBytes()))
        .devices(service)
        .useCase(ArduinoIntegrations.class, service);
    if (settings.labClientId() != null) {
      slice.useCase(ArduinoLabDevices.class, new ArduinoLabDeviceService(arduino, settings.labClientId(),
          settings.labClientSecret(), null, shared.clock()));
    }
    return slice.build();
  }
}
