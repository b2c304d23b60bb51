package com.nexflux.integrations.providers.http;

import com.nexflux.integrations.core.error.IntegrationsException;
import java.util.Objects;

/**
 * A guarded client refused to send a request: the host is not one it may reach, or a redirect pointed somewhere it
 * may not follow. Nothing was sent to that host. The code is {@value #CODE}, the one a refused MQTT broker gets in
 * a connection test. The message names the host, never the URL (whose query may carry a token), and has gone
 * through the client's {@link Redactor}.
 */
public final class OutboundRefusedException extends IntegrationsException {
  private static final long serialVersionUID = 1L;

  /** The error code of every refusal. */
  public static final String CODE = "HOST_NOT_ALLOWED";

  /** Why the request was refused. */
  public enum Reason {
    /** The host is, or resolves to, an address in a network the outbound guard refuses (loopback, private…). */
    NETWORK_NOT_ALLOWED,
    /** The host is not on the client's list of fixed provider hosts. */
    NOT_ON_ALLOW_LIST,
    /** A numeric host that is not a plain dotted-quad IPv4 or an IPv6 address, such as {@code 2130706433}. */
    NOT_A_CANONICAL_ADDRESS,
    /** A redirect from {@code https} to {@code http}. */
    INSECURE_REDIRECT
  }

  private final String host;
  private final Reason reason;

  /**
   * @param host the refused host (no port, path or query)
   * @param reason why
   * @param message the whole message, already redacted
   */
  public OutboundRefusedException(String host, Reason reason, String message) {
    super(CODE, message);
    this.host = Objects.requireNonNull(host, "host");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** @return the refused host */
  public String host() {
    return host;
  }

  /** @return why it was refused */
  public Reason reason() {
    return reason;
  }
}
