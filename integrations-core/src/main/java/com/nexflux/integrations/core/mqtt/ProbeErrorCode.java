package com.nexflux.integrations.core.mqtt;

/** Why a connection test failed. Stable codes that a frontend can translate. */
public enum ProbeErrorCode {
  /** The broker's address is in a network this server may not reach. */
  HOST_NOT_ALLOWED,
  /** The host name did not resolve. */
  DNS_FAILURE,
  /** Nothing listens on that port. */
  CONNECTION_REFUSED,
  /** The TCP connection (or the whole test) did not complete in time. */
  CONNECT_TIMEOUT,
  /** Another network failure (reset, no route). */
  NETWORK_ERROR,
  /** The TLS handshake failed (untrusted or expired certificate, host name mismatch, not TLS). */
  TLS_ERROR,
  /** The WebSocket upgrade was refused (wrong path, not a WebSocket endpoint). */
  WEBSOCKET_HANDSHAKE_FAILED,
  /** Something answered that does not speak MQTT (for example an HTTP server). */
  NOT_MQTT_ENDPOINT,
  /** The broker refused both MQTT 5 and MQTT 3.1.1. */
  PROTOCOL_UNSUPPORTED,
  /** Wrong user name or password, or not authorised. */
  AUTH_FAILED,
  /** The broker refused the client identifier. */
  CLIENT_ID_REJECTED,
  /** The broker is busy, unavailable, over quota, banned us, or moved. */
  BROKER_UNAVAILABLE,
  /** The connection opened but the broker never answered CONNECT. */
  CONNACK_TIMEOUT,
  /** The broker closed the connection before answering. */
  CLOSED_BY_BROKER,
  /** Anything else. */
  UNKNOWN
}
