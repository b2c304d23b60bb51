package com.nexflux.integrations.core.blynk;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.oauth.TokenSet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Blynk's organization-level platform HTTPS API (SPI): an OAuth client of the organization (client credentials,
 * HTTP Basic) and calls with its bearer token, each to one server (a host of {@link BlynkServers}); redirects are
 * not followed.
 *
 * <p>Failures: a refused client ({@code invalid_client}, HTTP 401 at the token endpoint) and a refused access token
 * (HTTP 401 on a call) are {@link com.nexflux.integrations.core.oauth.CredentialsRejectedException}s; HTTP 429 is a
 * {@link com.nexflux.integrations.core.error.RateLimitedException}; anything else, network failures and timeouts
 * are {@link com.nexflux.integrations.core.error.UnavailableException}s. No message contains a secret or a token,
 * and the device auth token Blynk lists with each device is never read into a value.
 */
public interface BlynkPlatformApi {
  /** The largest page asked for (Blynk's older reference allows 1 to 100, its newer one up to 1000). */
  int PAGE_SIZE = 100;

  /**
   * {@code POST /oauth2/token?grant_type=client_credentials} with {@code Authorization: Basic}: the connect-time
   * check of a client (renewals go through the shared token lifecycle, which sends the same request).
   *
   * @return the access token and its expiry (Blynk's refresh token is not kept)
   */
  TokenSet token(String server, String clientId, Secret clientSecret);

  /** {@code GET /api/v1/organization/devices?page=&size=}: one page of the organization's devices. */
  Page devices(String server, Secret accessToken, int page, int size);

  /** {@code GET /api/v1/organization/device/online?deviceId=}: whether the device is connected. */
  boolean online(String server, Secret accessToken, long deviceId);

  /**
   * One of the organization's devices, without its auth token.
   *
   * @param id Blynk's device id
   * @param name its name
   * @param templateId its template, or {@code null}
   * @param activatedAt when it was activated, or {@code null}
   */
  record OrgDevice(long id, String name, Long templateId, Instant activatedAt) {
    public OrgDevice {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * One page.
   *
   * @param devices its devices
   * @param totalElements how many devices the organization has in all
   */
  record Page(List<OrgDevice> devices, long totalElements) {
    public Page {
      devices = List.copyOf(devices);
    }
  }
}
