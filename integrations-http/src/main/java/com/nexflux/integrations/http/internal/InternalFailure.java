package com.nexflux.integrations.http.internal;

import com.nexflux.integrations.core.error.IntegrationsException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Wraps an unexpected exception that escaped one of our handlers, so the host's exception mapping (which we must
 * not replace) never sees it and ours answers 500 {@code INTERNAL}. The message is never sent to the client.
 */
public final class InternalFailure extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  private InternalFailure(Throwable cause) {
    super("INTERNAL", "unexpected failure in an integrations handler", cause);
  }

  /**
   * @return {@code failure} itself (unwrapped from completion wrappers) when it is already one of ours, else an
   *     {@code InternalFailure} around it
   */
  public static IntegrationsException translate(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof IntegrationsException ours) {
      return ours;
    }
    return new InternalFailure(t);
  }
}
