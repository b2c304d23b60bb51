package com.nexflux.integrations.providers.http.internal;

import com.nexflux.integrations.providers.http.OutboundRefusedException;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A refusal on its way through OkHttp, which only lets {@link java.io.IOException}s out of a {@link okhttp3.Dns} or
 * an interceptor cleanly. {@link RefusalInterceptor} turns it into an {@link OutboundRefusedException} at the top
 * of the chain. An {@link UnknownHostException} so that OkHttp gives up on the route instead of retrying it.
 */
public final class RefusedHostException extends UnknownHostException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final OutboundRefusedException.Reason reason;

  /**
   * @param host the refused host
   * @param reason why
   * @param message the whole (redacted) message
   */
  public RefusedHostException(String host, OutboundRefusedException.Reason reason, String message) {
    super(message);
    this.host = Objects.requireNonNull(host, "host");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** @return the refused host */
  public String host() {
    return host;
  }

  /** @return why it was refused */
  public OutboundRefusedException.Reason reason() {
    return reason;
  }

  /** @return the public exception for this refusal */
  public OutboundRefusedException toPublic() {
    return new OutboundRefusedException(host, reason, getMessage());
  }
}
