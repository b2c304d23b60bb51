package com.nexflux.integrations.core.error;

import java.util.List;

/** Input was rejected; {@link #errors()} names every failing field. Nothing was stored. */
public final class ValidationException extends IntegrationsException {
  private static final long serialVersionUID = 1L;
  private final transient List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super("VALIDATION_FAILED", "Validation failed: " + fieldsOf(errors));
    this.errors = List.copyOf(errors);
  }

  /** Convenience for a single failing field. */
  public static ValidationException of(String field, String message) {
    return new ValidationException(List.of(new FieldError(field, message)));
  }

  /** @return every failing field, in the order found */
  public List<FieldError> errors() {
    return errors;
  }

  private static String fieldsOf(List<FieldError> errors) {
    return String.join(", ", errors.stream().map(FieldError::field).distinct().toList());
  }
}
