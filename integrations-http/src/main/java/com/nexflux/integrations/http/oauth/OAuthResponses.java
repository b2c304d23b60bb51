package com.nexflux.integrations.http.oauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.MqttView;
import com.nexflux.integrations.core.github.GitHubView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The {@code data} shapes of the OAuth routes. */
public final class OAuthResponses {
  private OAuthResponses() {}

  /** {@code GET /api/v1/auth/github/connect} with {@code Accept: application/json}. */
  public record Authorization(@JsonProperty("authorization_url") String authorizationUrl) {}
}
