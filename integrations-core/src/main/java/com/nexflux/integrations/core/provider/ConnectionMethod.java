package com.nexflux.integrations.core.provider;

import java.util.Locale;

/** How a user connects a provider; a frontend picks its form or button from this. */
public enum ConnectionMethod {
  /** A settings form that the user fills in (MQTT). */
  SETTINGS_FORM,
  /** The OAuth 2.0 authorization code flow in the browser (GitHub, Google, Microsoft). */
  OAUTH_AUTHORIZATION_CODE,
  /** The user's own API client id and secret, exchanged for tokens (Arduino Cloud, Blynk's platform API). */
  CLIENT_CREDENTIALS,
  /** A static API key or device token (Blynk, ThingsBoard 4.x). */
  API_KEY,
  /** A username and password that log in for an access and a refresh token (ThingsBoard). */
  PASSWORD_LOGIN;

  /** @return the wire name, e.g. {@code oauth_authorization_code} */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
