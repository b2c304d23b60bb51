package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.domain.Secret;
import java.util.Map;
import java.util.Objects;

/**
 * Blynk's device HTTPS API (SPI), authenticated by a device's auth token. Each call goes to one server (a host of
 * {@link BlynkServers}); a {@code 308} to another Blynk server is followed and the answering server reported in the
 * {@link Reply}, so the caller can remember it; a redirect anywhere else is refused.
 *
 * <p>Failures: Blynk's HTTP 400 is a {@link BlynkRejectedException}; a refused redirect, network failures,
 * timeouts and other statuses are {@link com.nexflux.integrations.core.error.UnavailableException}s; no message
 * contains the token.
 */
public interface BlynkDeviceApi {
  /** {@code GET /external/api/isHardwareConnected}: whether the device is online. */
  Reply<Boolean> isHardwareConnected(String server, Secret token);

  /**
   * {@code GET /external/api/getAll}: the device's datastream values by pin ({@code v0}, {@code a0}, ...), each a
   * String, Number, Boolean or List.
   */
  Reply<Map<String, Object>> getAll(String server, Secret token);

  /**
   * Writes pins: one pin through {@code /external/api/update}, several through {@code /external/api/batch/update}
   * (one timestamp for all).
   *
   * @param values the text of each pin's value, at least one
   */
  Reply<Void> update(String server, Secret token, Map<BlynkPin, String> values);

  /**
   * An answer and the server that gave it.
   *
   * @param value the answer ({@code null} for an update)
   * @param server the host that answered: the one asked, or the region a 308 led to
   */
  record Reply<T>(T value, String server) {
    public Reply {
      Objects.requireNonNull(server, "server");
    }
  }
}
