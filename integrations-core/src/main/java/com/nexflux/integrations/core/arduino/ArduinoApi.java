package com.nexflux.integrations.core.arduino;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.TokenSet;
import java.util.List;
import java.util.Objects;

/**
 * Arduino Cloud's REST API (out-port). Failures are this project's exceptions: {@code UNAVAILABLE} (unreachable,
 * 5xx, an unusable answer), {@code RATE_LIMITED} (429 that outlasted the bounded back-off, or the per-connection
 * limit used up), {@code NOT_FOUND}, {@code VALIDATION_FAILED} (Arduino refused the input);
 * {@link com.nexflux.integrations.core.oauth.CredentialsRejectedException} when the token endpoint refuses the key.
 * Messages never carry a token or secret.
 */
public interface ArduinoApi {
  /**
   * One call's credentials.
   *
   * @param user whose connection (the rate limit's key)
   * @param token the access token
   * @param organizationId sent as {@code X-Organization}, or {@code null}
   */
  record Call(UserId user, Secret token, String organizationId) {
    public Call {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "Call[user=" + user + ", organizationId=" + organizationId + "]";
    }
  }

  /**
   * Requests a token with the client credentials grant ({@code audience=https://api2.arduino.cc/iot}); with an
   * organization both {@code organization_id} and {@code X-Organization}.
   *
   * @throws com.nexflux.integrations.core.oauth.CredentialsRejectedException when Arduino refuses the key
   */
  TokenSet token(UserId user, String clientId, Secret clientSecret, String organizationId);

  /** {@code GET /iot/v2/devices}. */
  List<ArduinoDevice> devices(Call call);

  /** {@code GET /iot/v2/things}. */
  List<ArduinoThing> things(Call call);

  /** {@code GET /iot/v2/things/{id}/properties}. */
  List<ArduinoProperty> properties(Call call, String thingId);

  /** {@code PUT /iot/v2/things/{id}/properties/{pid}/publish} with {@code {"value": value}}. */
  void publish(Call call, String thingId, String propertyId, Object value);

  /**
   * {@code POST /iot/v2/devices/{id}/ota}, multipart {@code ota_file}, streamed from {@link ArduinoOta.Binary#content}.
   *
   * @throws OtaRefusedException for Arduino's 409, 410 and 412
   */
  ArduinoOta.Result uploadOta(Call call, String deviceId, ArduinoOta.Binary binary);
}
