package com.nexflux.integrations.core.thingsboard;

import com.nexflux.integrations.core.domain.Secret;

/**
 * The body of {@code PUT …/thingsboard} as given: every field may be missing ({@code null}). Either
 * {@code username} and {@code password}, or {@code api_key}. {@link #toString()} never shows a secret.
 *
 * @param baseUrl the server, e.g. {@code https://thingsboard.cloud}
 * @param username the login (an e-mail address at ThingsBoard)
 * @param password the login password
 * @param apiKey a ThingsBoard 4.x API key
 */
public record ThingsBoardSettingsInput(String baseUrl, String username, Secret password, Secret apiKey) {
  @Override
  public String toString() {
    return "ThingsBoardSettingsInput[baseUrl=" + baseUrl + ", username=" + username + ", password="
        + (password == null ? "null" : "[redacted]") + ", apiKey=" + (apiKey == null ? "null" : "[redacted]") + "]";
  }
}
