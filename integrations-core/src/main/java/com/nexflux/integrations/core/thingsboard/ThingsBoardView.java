package com.nexflux.integrations.core.thingsboard;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET …/thingsboard} shows: the connection and, when it works, the devices. Never a password or token.
 *
 * @param connected whether a working connection is stored (status {@code connected})
 * @param status {@code connected}, {@code needs_reauth}, {@code error} (stored, but ThingsBoard could not be read
 *     just now) or {@code not_configured}
 * @param baseUrl the server, or {@code null} when not configured
 * @param username the login, or the API key's user; {@code null} when not configured
 * @param authMethod {@code password} or {@code api_key}; {@code null} when not configured
 * @param devices the devices (every page, at most {@link ThingsBoardIntegrations#MAX_DEVICES}); empty unless
 *     connected
 * @param fetchedAt when the devices were read, or {@code null}
 * @param error the error code that made the status {@code error} or {@code needs_reauth}, or {@code null}
 */
public record ThingsBoardView(boolean connected, String status, URI baseUrl, String username, String authMethod,
    List<ThingsBoardDevice> devices, Instant fetchedAt, String error) {
  public ThingsBoardView {
    devices = List.copyOf(devices);
  }

  /** The view of a user without a connection. */
  public static final ThingsBoardView NOT_CONFIGURED =
      new ThingsBoardView(false, "not_configured", null, null, null, List.of(), null, null);
}
