package com.nexflux.integrations.providers.mqtt.internal;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttDecodeException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3DisconnectException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult.Failed;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Maps what the HiveMQ client fails with to a {@link Failed} result: a stable {@link ProbeErrorCode} and a message
 * a student can act on. Messages are built from fixed text, the URL's host, port and path, numbers and reason code
 * names; they never contain the user name, the password or text the broker sent.
 */
public final class ProbeFailures {
  private static final Pattern HTTP_STATUS = Pattern.compile("\\b([1-5][0-9][0-9])\\b");
  /** What the client says when it reads the {@code 'H'} of {@code HTTP/} as a packet header; see httpAnswer. */
  private static final Pattern HTTP_SIGNATURE =
      Pattern.compile("decoding puback: fixed header flags must be \\d+ but were 8\\b");

  private ProbeFailures() {}

  /**
   * What the mapper needs to know about the probe.
   *
   * @param url the broker URL (scheme, host, path)
   * @param port the port connected to
   * @param credentialsGiven whether a user name or password was sent
   * @param timeoutMs the probe's whole timeout, for messages
   */
  public record Context(BrokerUrl url, int port, boolean credentialsGiven, long timeoutMs) {
    String endpoint() {
      String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
      return host + ":" + port;
    }
  }

  /**
   * @return the class names of {@code error} and its causes, e.g.
   *     {@code ConnectionFailedException <- AnnotatedConnectException}; for logs (messages are left out)
   */
  public static String describe(Throwable error) {
    return String.join(" <- ", chain(unwrap(error)).stream().map(t -> t.getClass().getSimpleName()).toList());
  }

  /** @return the exception without {@link CompletionException} / {@link ExecutionException} wrappers */
  public static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * Whether an MQTT 3.1.1 attempt is worth making after this MQTT 5 failure: the other side did something a broker
   * that only knows MQTT 3.1.1 does with an MQTT 5 CONNECT. That is
   * <ul>
   *   <li>a CONNACK refusing the protocol version: the MQTT 5 reason code 0x84, or the 2-byte MQTT 3.1.1 CONNACK
   *       with return code 1 (the HiveMQ client turns it into 0x84);</li>
   *   <li>an answer the MQTT 5 client cannot decode (other than an HTTP answer): a malformed CONNACK, or an MQTT
   *       3.1.1 return code in a CONNACK shaped like MQTT 5 ({@code 20 03 00 01 00}: 0x01 is no MQTT 5 reason
   *       code), or any other packet that breaks MQTT 5 before CONNACK;</li>
   *   <li>a close (or reset) right after the CONNECT, without an answer.</li>
   * </ul>
   * Not for failures MQTT 3.1.1 cannot fix: DNS, a refused connection, a timeout (TCP, TLS, WebSocket or CONNACK),
   * TLS, the WebSocket handshake, an MQTT 5 CONNACK with another reason code (authentication, client id, broker
   * unavailable, ...), a DISCONNECT from the broker, or an HTTP answer.
   */
  public static boolean mqtt311MayHelp(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof Mqtt5ConnAckException x) {
      return x.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
    }
    if (find(e, MqttDecodeException.class) != null) {
      return !httpAnswer(e);
    }
    if (e instanceof Mqtt5DisconnectException && lower(e).endsWith("must not be received before connack")) {
      return true; // a well-formed packet of another type instead of CONNACK
    }
    return closedWithoutAnswer(e);
  }

  /**
   * @return whether the other side closed or reset the connection after the CONNECT without any answer (not for
   *     TLS failures, which also end in a closed connection)
   */
  public static boolean closedWithoutAnswer(Throwable error) {
    Throwable e = unwrap(error);
    if (!(e instanceof ConnectionClosedException)) {
      return false;
    }
    Throwable cause = e.getCause();
    return cause == null || (cause instanceof IOException && chain(cause).stream().noneMatch(ProbeFailures::isTls));
  }

  /**
   * Whether the client failed on an HTTP answer. Every HTTP response starts with {@code HTTP/}; the client reads
   * its first byte {@code 'H'} (0x48) as a PUBACK (type 4) with flags 8 and, once 86 bytes have arrived (the
   * {@code 'T'} is read as the remaining length 84), fails with "Exception while decoding PUBACK: fixed header
   * flags must be 0 but were 8". Shorter answers only show up as a close; see {@link HttpSniff}.
   */
  static boolean httpAnswer(Throwable error) {
    MqttDecodeException decode = find(unwrap(error), MqttDecodeException.class);
    return decode != null && HTTP_SIGNATURE.matcher(lower(decode)).find();
  }

  /**
   * The endpoint answered the MQTT CONNECT with HTTP.
   *
   * @param c the probe
   * @return {@link ProbeErrorCode#NOT_MQTT_ENDPOINT} with a message that says so
   */
  public static Failed speaksHttp(Context c) {
    String hint = switch (c.url().scheme()) {
      case "mqtt" -> " If it offers MQTT over WebSocket, use ws:// or wss:// instead of mqtt:// with its path"
          + " (often /mqtt); if it needs TLS, use mqtts://. Plain MQTT is usually on port 1883.";
      case "mqtts" -> " If it offers MQTT over WebSocket, use wss:// instead of mqtts:// with its path (often"
          + " /mqtt). MQTT over TLS is usually on port 8883.";
      default -> " Check the WebSocket path (often /mqtt) and the port.";
    };
    return new Failed(ProbeErrorCode.NOT_MQTT_ENDPOINT, "The server at " + c.endpoint() + " speaks HTTP, not"
        + " MQTT: it answered the MQTT CONNECT with an HTTP response." + hint);
  }

  /** The whole probe ran out of time before CONNACK. */
  public static Failed overallTimeout(Context c) {
    return new Failed(ProbeErrorCode.CONNECT_TIMEOUT, "The broker at " + c.endpoint()
        + " did not complete the connection within " + c.timeoutMs() + " ms. Check the host, the port and any"
        + " firewall between this server and the broker.");
  }

  /** The probe service was shut down. */
  public static Failed shutDown() {
    return new Failed(ProbeErrorCode.UNKNOWN, "The connection test service is shutting down; try again.");
  }

  /**
   * Maps a failed connection attempt.
   *
   * @param error what {@code connect()} failed with (wrappers are removed)
   * @param c the probe
   * @return the result to report
   */
  public static Failed map(Throwable error, Context c) {
    Throwable e = unwrap(error);
    if (e instanceof Mqtt5ConnAckException x) {
      return connAck5(x.getMqttMessage().getReasonCode(), c);
    }
    if (e instanceof Mqtt3ConnAckException x) {
      return connAck3(x.getMqttMessage().getReturnCode(), c);
    }
    if (find(e, MqttDecodeException.class) != null) {
      return httpAnswer(e) ? speaksHttp(c) : notMqtt(c);
    }
    if (e instanceof Mqtt5DisconnectException || e instanceof Mqtt3DisconnectException) {
      return disconnected(e, c);
    }
    if (e instanceof ConnectionClosedException) {
      Failed transport = e.getCause() == null ? null : transport(e.getCause(), c);
      return transport != null ? transport : closedByBroker(c);
    }
    if (e instanceof ConnectionFailedException && e.getCause() != null) {
      Failed transport = transport(e.getCause(), c);
      if (transport != null) {
        return transport;
      }
    }
    Failed transport = transport(e, c);
    return transport != null ? transport : unknown(e);
  }

  private static Failed connAck5(Mqtt5ConnAckReasonCode code, Context c) {
    return switch (code) {
      case BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED, BAD_AUTHENTICATION_METHOD -> authFailed(c);
      case CLIENT_IDENTIFIER_NOT_VALID -> clientIdRejected();
      case SERVER_UNAVAILABLE, SERVER_BUSY, QUOTA_EXCEEDED, CONNECTION_RATE_EXCEEDED -> new Failed(
          ProbeErrorCode.BROKER_UNAVAILABLE, "The broker at " + c.endpoint() + " is reachable but does not accept"
          + " connections right now (" + code + "). Try again later, or check the broker's limits.");
      case BANNED -> new Failed(ProbeErrorCode.BROKER_UNAVAILABLE, "The broker at " + c.endpoint()
          + " has banned this client (BANNED). Ask the broker's administrator to allow it.");
      case USE_ANOTHER_SERVER, SERVER_MOVED -> new Failed(ProbeErrorCode.BROKER_UNAVAILABLE, "The broker at "
          + c.endpoint() + " sends its clients to another server (" + code + "). Ask the broker's administrator"
          + " for the new address and update the broker URL.");
      case UNSUPPORTED_PROTOCOL_VERSION -> protocolUnsupported();
      default -> new Failed(ProbeErrorCode.UNKNOWN, "The broker at " + c.endpoint() + " refused the connection ("
          + code + "). Check the broker's logs for the reason.");
    };
  }

  private static Failed connAck3(Mqtt3ConnAckReturnCode code, Context c) {
    return switch (code) {
      case BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED -> authFailed(c);
      case IDENTIFIER_REJECTED -> clientIdRejected();
      case SERVER_UNAVAILABLE -> new Failed(ProbeErrorCode.BROKER_UNAVAILABLE, "The broker at " + c.endpoint()
          + " is reachable but does not accept connections right now (SERVER_UNAVAILABLE). Try again later.");
      case UNSUPPORTED_PROTOCOL_VERSION -> protocolUnsupported();
      default -> new Failed(ProbeErrorCode.UNKNOWN, "The broker at " + c.endpoint() + " refused the connection ("
          + code + "). Check the broker's logs for the reason.");
    };
  }

  private static Failed authFailed(Context c) {
    return new Failed(ProbeErrorCode.AUTH_FAILED, c.credentialsGiven()
        ? "The broker refused the user name or password, or this user may not connect. Check both (they are"
          + " case-sensitive) and the user's rights on the broker."
        : "The broker requires a user name and password. Turn on authentication and enter them.");
  }

  private static Failed clientIdRejected() {
    return new Failed(ProbeErrorCode.CLIENT_ID_REJECTED, "The broker refused the client identifier the test"
        + " used. It may only accept identifiers of a certain form; check the broker's client id rules.");
  }

  private static Failed protocolUnsupported() {
    return new Failed(ProbeErrorCode.PROTOCOL_UNSUPPORTED, "The broker accepts neither MQTT 5 nor MQTT 3.1.1."
        + " Check that this is an MQTT broker and that it is recent enough.");
  }

  private static Failed notMqtt(Context c) {
    String scheme = c.url().scheme();
    String hint = switch (scheme) {
      case "mqtt" -> " If it is a WebSocket port, use ws:// or wss:// instead of mqtt://; if it needs TLS, use"
          + " mqtts://.";
      case "mqtts" -> " If it is a WebSocket port, use wss:// instead of mqtts://.";
      default -> " Check the WebSocket path (often /mqtt) and the port.";
    };
    return new Failed(ProbeErrorCode.NOT_MQTT_ENDPOINT, "Something answered on " + c.endpoint()
        + " but it does not speak MQTT." + hint);
  }

  private static Failed closedByBroker(Context c) {
    return new Failed(ProbeErrorCode.CLOSED_BY_BROKER, "The broker at " + c.endpoint() + " closed the connection"
        + " without answering. Check the scheme (TLS or not, WebSocket or not) matches the port, and the"
        + " broker's connection limits and logs.");
  }

  private static Failed connAckTimeout(Context c) {
    String hint = switch (c.url().scheme()) {
      case "mqtt" -> " Check that this port serves plain MQTT: if it is a WebSocket port, use ws:// or wss://"
          + " instead of mqtt://; if it needs TLS, use mqtts://.";
      case "mqtts" -> " Check that this port serves MQTT over TLS: if it is a WebSocket port, use wss:// instead"
          + " of mqtts://.";
      default -> " Check the WebSocket path (often /mqtt) and that this endpoint serves MQTT.";
    };
    return new Failed(ProbeErrorCode.CONNACK_TIMEOUT, "The connection to " + c.endpoint() + " opened but the"
        + " broker did not answer the MQTT CONNECT within " + c.timeoutMs() + " ms." + hint);
  }

  private static Failed disconnected(Throwable e, Context c) {
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (message.contains("timeout") && message.contains("connack")) {
      return connAckTimeout(c);
    }
    if (e instanceof Mqtt5DisconnectException d && message.startsWith("server sent disconnect")) {
      Mqtt5DisconnectReasonCode code = d.getMqttMessage().getReasonCode();
      return switch (code) {
        case NOT_AUTHORIZED, BAD_AUTHENTICATION_METHOD -> authFailed(c);
        case SERVER_BUSY, SERVER_SHUTTING_DOWN, QUOTA_EXCEEDED, CONNECTION_RATE_EXCEEDED, USE_ANOTHER_SERVER,
            SERVER_MOVED, ADMINISTRATIVE_ACTION -> new Failed(ProbeErrorCode.BROKER_UNAVAILABLE, "The broker at "
            + c.endpoint() + " ended the connection (" + code + "). Try again later, or check the broker's"
            + " limits.");
        default -> closedByBroker(c);
      };
    }
    // the client gave up because the other side broke the MQTT protocol before CONNACK
    return notMqtt(c);
  }

  /** Maps a network, TLS or WebSocket failure; {@code null} when {@code e} is none of these. */
  private static Failed transport(Throwable e, Context c) {
    List<Throwable> chain = chain(e);
    for (Throwable t : chain) {
      if (t instanceof UnknownHostException) {
        return new Failed(ProbeErrorCode.DNS_FAILURE, "The host name '" + c.url().host()
            + "' could not be resolved; check the spelling.");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof WebSocketHandshakeException) {
        return webSocket(t, c);
      }
    }
    for (Throwable t : chain) {
      if (isTls(t)) {
        return tls(chain, c);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SocketTimeoutException || t.getClass().getName().equals("io.netty.channel.ConnectTimeoutException")
          || (t instanceof ConnectException && lower(t).contains("timed out"))) {
        return new Failed(ProbeErrorCode.CONNECT_TIMEOUT, "Could not open a connection to " + c.endpoint()
            + " within " + c.timeoutMs() + " ms. Check the host, the port and any firewall between this server"
            + " and the broker.");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectException) {
        return new Failed(ProbeErrorCode.CONNECTION_REFUSED, "Nothing accepts connections on " + c.endpoint()
            + " (connection refused). Check the port and that the broker is running.");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof NoRouteToHostException) {
        return new Failed(ProbeErrorCode.NETWORK_ERROR, "There is no network route to " + c.endpoint()
            + ". Check the host and any firewall.");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof IOException) {
        String hint;
        if (c.url().webSocket()) {
          hint = " If this is a plain MQTT port (often 1883), use mqtt:// instead of " + c.url().scheme() + "://.";
        } else if (c.url().tls()) {
          hint = " If the port does not use TLS, use mqtt:// instead of mqtts://.";
        } else {
          hint = " Check the port and any firewall or proxy in between.";
        }
        return new Failed(ProbeErrorCode.NETWORK_ERROR, "The connection to " + c.endpoint() + " failed ("
            + t.getClass().getSimpleName() + ")." + hint);
      }
    }
    return null;
  }

  private static boolean isTls(Throwable t) {
    return t instanceof SSLException || t instanceof CertificateException
        || t.getClass().getName().equals("io.netty.handler.ssl.NotSslRecordException");
  }

  private static Failed tls(List<Throwable> chain, Context c) {
    String all = String.join(" | ", chain.stream().map(ProbeFailures::lower).toList());
    String detail;
    if (chain.stream().anyMatch(t -> t instanceof CertificateExpiredException
        || t instanceof CertificateNotYetValidException)) {
      detail = "The broker's TLS certificate has expired or is not yet valid.";
    } else if (all.contains("pkix path") || all.contains("certification path")) {
      detail = "The broker's TLS certificate is not trusted by this server (self-signed or from an unknown"
          + " authority). Use a certificate from a public certificate authority.";
    } else if (all.contains("no subject alternative") || all.contains("no name matching")) {
      detail = "The broker's TLS certificate is not valid for the host name '" + c.url().host() + "'.";
    } else if (all.contains("timed out")
        || chain.stream().anyMatch(t -> t.getClass().getSimpleName().equals("SslHandshakeTimeoutException"))) {
      detail = "The TLS handshake did not finish within " + c.timeoutMs() + " ms. Check that this port serves"
          + " TLS.";
    } else if (all.contains("not an ssl/tls record") || all.contains("unrecognized ssl message")
        || chain.stream().anyMatch(t -> t.getClass().getSimpleName().equals("NotSslRecordException"))) {
      detail = "The port does not speak TLS. For a plain port use " + (c.url().webSocket() ? "ws://" : "mqtt://")
          + " instead of " + c.url().scheme() + "://.";
    } else {
      detail = "Check that this port serves TLS (mqtts:// is usually 8883, wss:// usually 443) and that its"
          + " certificate is valid for the host name.";
    }
    return new Failed(ProbeErrorCode.TLS_ERROR, "The TLS connection to " + c.endpoint() + " failed. " + detail);
  }

  private static Failed webSocket(Throwable t, Context c) {
    String message = lower(t);
    String where = c.endpoint() + c.url().path();
    String detail;
    Matcher status = HTTP_STATUS.matcher(message);
    if (message.contains("timed out")) {
      detail = "the server did not finish it within " + c.timeoutMs() + " ms. Check that this port serves MQTT"
          + " over WebSocket.";
    } else if (message.contains("closed during handshake")) {
      detail = "the server closed the connection. If this is a plain MQTT port (often 1883), use mqtt:// instead"
          + " of " + c.url().scheme() + "://.";
    } else if (message.contains("subprotocol")) {
      detail = "the server does not accept the WebSocket subprotocol 'mqtt'.";
    } else if (status.find()) {
      detail = "the server answered HTTP " + status.group(1) + ". Check the path (often /mqtt) and that this port"
          + " serves MQTT over WebSocket.";
    } else {
      detail = "check the path (often /mqtt) and that this port serves MQTT over WebSocket.";
    }
    return new Failed(ProbeErrorCode.WEBSOCKET_HANDSHAKE_FAILED, "The WebSocket handshake with " + where
        + " failed: " + detail);
  }

  private static Failed unknown(Throwable e) {
    List<Throwable> chain = chain(e);
    Throwable root = chain.get(chain.size() - 1);
    return new Failed(ProbeErrorCode.UNKNOWN, "The connection test failed unexpectedly ("
        + root.getClass().getName() + ").");
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t : chain(e)) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** @return {@code e} and its causes, outermost first, each once */
  private static List<Throwable> chain(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String lower(Throwable t) {
    return t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
  }
}
