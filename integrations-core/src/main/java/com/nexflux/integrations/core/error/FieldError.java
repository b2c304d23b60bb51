package com.nexflux.integrations.core.error;

import java.util.Objects;

/**
 * One problem with one input field.
 *
 * @param field the field's name as the API spells it (snake_case), e.g. {@code broker_url}
 * @param message what is wrong, in words a user can act on
 */
public record FieldError(String field, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
