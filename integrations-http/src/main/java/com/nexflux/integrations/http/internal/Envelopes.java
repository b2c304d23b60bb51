package com.nexflux.integrations.http.internal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.nexflux.integrations.core.error.FieldError;
import java.util.List;

/** The response envelope of every answer: {@code {"success":true,"data":…}} or {@code {"success":false,"error":…}}. */
public final class Envelopes {
  private Envelopes() {}

  /** A successful answer. */
  @JsonPropertyOrder({"success", "data"})
  public record Success(boolean success, Object data) {
    public Success(Object data) {
      this(true, data);
    }
  }

  /** A failed answer. */
  @JsonPropertyOrder({"success", "error"})
  public record Failure(boolean success, ErrorBody error) {
    public Failure(ErrorBody error) {
      this(false, error);
    }
  }

  /**
   * @param code stable machine-readable code, e.g. {@code VALIDATION_FAILED}
   * @param message human-readable, never containing a secret or a stack trace
   * @param details failing fields, empty when none
   */
  @JsonPropertyOrder({"code", "message", "details"})
  public record ErrorBody(String code, String message, List<FieldError> details) {
    public ErrorBody {
      details = details == null ? List.of() : List.copyOf(details);
    }
  }
}
