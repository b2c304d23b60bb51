package com.nexflux.integrations.core.arduino;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The user's Arduino Cloud API key, validated: every failing field is reported at once.
 *
 * @param clientId the API key's client id
 * @param clientSecret its secret
 * @param organizationId the organization ("space") the key acts in, or {@code null} for the personal space
 */
public record ArduinoSettings(String clientId, Secret clientSecret, String organizationId) {
  /** The longest client id accepted. */
  public static final int MAX_CLIENT_ID_CHARS = 128;
  /** The longest client secret accepted. */
  public static final int MAX_CLIENT_SECRET_CHARS = 512;

  public static final String CLIENT_ID = "client_id";
  public static final String CLIENT_SECRET = "client_secret";
  public static final String ORGANIZATION_ID = "organization_id";

  private static final Pattern CLIENT_ID_CHARS = Pattern.compile("[A-Za-z0-9._~-]+");
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public ArduinoSettings {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
  }

  /**
   * The form as submitted: every field may be missing.
   *
   * @param clientSecret {@code null} keeps the stored secret, while the client id is unchanged
   */
  public record Input(String clientId, Secret clientSecret, String organizationId) {}

  /**
   * @param input what the user sent
   * @param storedClientId the client id stored now, or {@code null}
   * @param storedSecret the secret stored now, or {@code null}
   * @return the settings
   * @throws ValidationException naming every failing field
   */
  public static ArduinoSettings validate(Input input, String storedClientId, Secret storedSecret) {
    Objects.requireNonNull(input, "input");
    List<FieldError> errors = new ArrayList<>();
    String id = input.clientId() == null ? null : input.clientId().strip();
    if (id == null || id.isEmpty()) {
      errors.add(new FieldError(CLIENT_ID, "is required"));
    } else if (id.length() > MAX_CLIENT_ID_CHARS) {
      errors.add(new FieldError(CLIENT_ID, "must be at most " + MAX_CLIENT_ID_CHARS + " characters"));
    } else if (!CLIENT_ID_CHARS.matcher(id).matches()) {
      errors.add(new FieldError(CLIENT_ID, "may contain only letters, digits and . _ ~ -"));
    }
    Secret secret = input.clientSecret();
    if (secret == null) {
      if (storedSecret == null || storedClientId == null) {
        errors.add(new FieldError(CLIENT_SECRET, "is required"));
      } else if (id != null && !id.isEmpty() && !id.equals(storedClientId)) {
        errors.add(new FieldError(CLIENT_SECRET, "is required when client_id changes"));
      } else {
        secret = storedSecret;
      }
    } else if (secret.isEmpty() || secret.reveal().isBlank()) {
      errors.add(new FieldError(CLIENT_SECRET, "must not be empty"));
    } else if (secret.reveal().length() > MAX_CLIENT_SECRET_CHARS) {
      errors.add(new FieldError(CLIENT_SECRET, "must be at most " + MAX_CLIENT_SECRET_CHARS + " characters"));
    }
    String org = input.organizationId() == null || input.organizationId().isBlank() ? null
        : input.organizationId().strip();
    if (org != null && !UUID_TEXT.matcher(org).matches()) {
      errors.add(new FieldError(ORGANIZATION_ID, "must be a UUID"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new ArduinoSettings(id, secret, org == null ? null : org.toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public String toString() {
    return "ArduinoSettings[clientId=" + clientId + ", organizationId=" + organizationId + "]";
  }
}
