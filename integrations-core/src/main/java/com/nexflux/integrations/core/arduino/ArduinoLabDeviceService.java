package com.nexflux.integrations.core.arduino;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.TokenSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@link ArduinoLabDevices} with the deployment's key: its token is kept in memory only and requested again when
 * less than a minute is left (Arduino's tokens last 300 s). Requests are rate-limited under a fixed key of their own.
 */
public final class ArduinoLabDeviceService implements ArduinoLabDevices {
  /** The rate-limit key of the deployment's own connection (no user has this id). */
  public static final UserId DEPLOYMENT = new UserId(new UUID(0L, 0L));
  private static final Duration SKEW = Duration.ofSeconds(60);

  private final ArduinoApi api;
  private final String clientId;
  private final Secret clientSecret;
  private final String organizationId;
  private final Clock clock;
  private TokenSet token;

  public ArduinoLabDeviceService(ArduinoApi api, String clientId, Secret clientSecret, String organizationId,
      Clock clock) {
    this.api = Objects.requireNonNull(api, "api");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    this.organizationId = organizationId;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public List<ArduinoDevice> devices() {
    return api.devices(new ArduinoApi.Call(DEPLOYMENT, token(), organizationId));
  }

  private synchronized Secret token() {
    if (token == null || (token.expiresAt() != null
        && !clock.instant().plus(SKEW).isBefore(token.expiresAt()))) {
      token = api.token(DEPLOYMENT, clientId, clientSecret, organizationId);
    }
    return token.accessToken();
  }
}
