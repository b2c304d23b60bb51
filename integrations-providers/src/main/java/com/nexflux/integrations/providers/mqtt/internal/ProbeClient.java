package com.nexflux.integrations.providers.mqtt.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** One throwaway HiveMQ client (MQTT 5 or 3.1.1) as the probe uses it. */
public interface ProbeClient {

  /** @return {@code mqtt/5.0} or {@code mqtt/3.1.1} */
  String protocol();

  /**
   * Sends CONNECT.
   *
   * @return completes on a successful CONNACK, or exceptionally with the client's exception
   */
  CompletableFuture<Void> connect();

  /**
   * Subscribes (QoS 0) to the {@code $SYS} version topics.
   *
   * @param onMessage called with topic and payload of every message received (on a Netty thread; must not block)
   * @return completes with whether the broker granted at least one of the subscriptions
   */
  CompletableFuture<Boolean> subscribeToVersionTopics(BiConsumer<String, byte[]> onMessage);

  /** Disconnects without waiting; does nothing (and throws nothing) when not connected. */
  void disconnectQuietly();
}
