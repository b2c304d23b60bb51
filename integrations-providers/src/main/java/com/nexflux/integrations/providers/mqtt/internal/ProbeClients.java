package com.nexflux.integrations.providers.mqtt.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.BrokerUrl;
import com.nexflux.integrations.core.net.ResolvedTarget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Builds the probe's HiveMQ clients: pinned address, timeouts, TLS and WebSocket as the URL says, a throwaway
 * client id, no automatic reconnect.
 */
public final class ProbeClients {

  /** The prefix of every probe client id. */
  public static final String CLIENT_ID_PREFIX = "nexflux-probe-";

  /** mosquitto (and the HiveMQ 3 $SYS plugin). */
  public static final String SYS_BROKER_VERSION = "$SYS/broker/version";
  /** EMQX. */
  public static final String SYS_BROKERS_VERSION = "$SYS/brokers/+/version";
  /** EMQX. */
  public static final String SYS_BROKERS_SYSDESCR = "$SYS/brokers/+/sysdescr";

  private static final SecureRandom RANDOM = new SecureRandom();

  private ProbeClients() {}

  /**
   * @return {@code nexflux-probe-} and 9 random hex digits: 23 characters, the length every broker must accept
   */
  public static String newClientId() {
    byte[] bytes = new byte[5];
    RANDOM.nextBytes(bytes);
    return CLIENT_ID_PREFIX + HexFormat.of().formatHex(bytes).substring(0, 9);
  }

  /**
   * The transport: the pinned address (the host name kept, no DNS lookup), TLS for {@code mqtts}/{@code wss},
   * WebSocket for {@code ws}/{@code wss}, every client-side timeout set to {@code stageTimeoutMs}.
   */
  public static MqttClientTransportConfig transport(BrokerUrl url, ResolvedTarget target, long stageTimeoutMs) {
    MqttClientTransportConfigBuilder builder = MqttClientTransportConfig.builder()
        .serverAddress(address(target))
        .socketConnectTimeout(stageTimeoutMs, TimeUnit.MILLISECONDS)
        .mqttConnectTimeout(stageTimeoutMs, TimeUnit.MILLISECONDS);
    if (url.tls()) {
      // the default configuration (JVM trust store, host name verification) with our handshake timeout
      builder = builder.sslConfig().handshakeTimeout(stageTimeoutMs, TimeUnit.MILLISECONDS).applySslConfig();
    }
    if (url.webSocket()) {
      String path = url.path().startsWith("/") ? url.path().substring(1) : url.path();
      builder = builder.webSocketConfig()
          .serverPath(path)
          .queryString(url.query())
          .subprotocol("mqtt")
          .handshakeTimeout(stageTimeoutMs, TimeUnit.MILLISECONDS)
          .applyWebSocketConfig();
    }
    return builder.build();
  }

  /** @return the pinned address: the resolved IP with the host name kept, no DNS lookup */
  public static InetSocketAddress address(ResolvedTarget target) {
    try {
      return new InetSocketAddress(
          InetAddress.getByAddress(target.host(), target.address().getAddress()), target.port());
    } catch (UnknownHostException e) { // only for an address of illegal length, which InetAddress never has
      throw new IllegalArgumentException("bad address", e);
    }
  }

  /** An MQTT 5 client: clean start, session expiry 0. */
  public static ProbeClient mqtt5(MqttClientTransportConfig transport, String username, Secret password) {
    Mqtt5ClientBuilder builder = MqttClient.builder()
        .useMqttVersion5()
        .identifier(newClientId())
        .transportConfig(transport)
        .automaticReconnect(null);
    byte[] pw = password == null ? null : password.reveal().getBytes(StandardCharsets.UTF_8);
    if (username != null || pw != null) {
      Mqtt5SimpleAuthBuilder.Complete auth = username != null
          ? Mqtt5SimpleAuth.builder().username(username)
          : Mqtt5SimpleAuth.builder().password(pw);
      if (username != null && pw != null) {
        auth = auth.password(pw);
      }
      builder = builder.simpleAuth(auth.build());
    }
    return new V5(builder.buildAsync());
  }

  /** An MQTT 3.1.1 client: clean session. A password without a user name is not sent (3.1.1 forbids it). */
  public static ProbeClient mqtt3(MqttClientTransportConfig transport, String username, Secret password) {
    Mqtt3ClientBuilder builder = MqttClient.builder()
        .useMqttVersion3()
        .identifier(newClientId())
        .transportConfig(transport)
        .automaticReconnect(null);
    if (username != null) {
      Mqtt3SimpleAuth auth = password == null
          ? Mqtt3SimpleAuth.builder().username(username).build()
          : Mqtt3SimpleAuth.builder().username(username)
              .password(password.reveal().getBytes(StandardCharsets.UTF_8)).build();
      builder = builder.simpleAuth(auth);
    }
    return new V3(builder.buildAsync());
  }

  private record V5(Mqtt5AsyncClient client) implements ProbeClient {
    @Override
    public String protocol() {
      return BrokerInfo.MQTT_5;
    }

    @Override
    public CompletableFuture<Void> connect() {
      return client.connectWith().cleanStart(true).sessionExpiryInterval(0).send().thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Boolean> subscribeToVersionTopics(BiConsumer<String, byte[]> onMessage) {
      return client.subscribeWith()
          .addSubscription().topicFilter(SYS_BROKER_VERSION).qos(MqttQos.AT_MOST_ONCE).applySubscription()
          .addSubscription().topicFilter(SYS_BROKERS_VERSION).qos(MqttQos.AT_MOST_ONCE).applySubscription()
          .addSubscription().topicFilter(SYS_BROKERS_SYSDESCR).qos(MqttQos.AT_MOST_ONCE).applySubscription()
          .callback(p -> onMessage.accept(p.getTopic().toString(), p.getPayloadAsBytes()))
          .send()
          .thenApply(subAck -> subAck.getReasonCodes().stream().anyMatch(rc -> !rc.isError()));
    }

    @Override
    public void disconnectQuietly() {
      try {
        client.disconnect().exceptionally(e -> null);
      } catch (RuntimeException ignored) {
        // not connected: nothing to close
      }
    }
  }

  private record V3(Mqtt3AsyncClient client) implements ProbeClient {
    @Override
    public String protocol() {
      return BrokerInfo.MQTT_3_1_1;
    }

    @Override
    public CompletableFuture<Void> connect() {
      return client.connectWith().cleanSession(true).send().thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Boolean> subscribeToVersionTopics(BiConsumer<String, byte[]> onMessage) {
      return client.subscribeWith()
          .addSubscription().topicFilter(SYS_BROKER_VERSION).qos(MqttQos.AT_MOST_ONCE).applySubscription()
          .addSubscription().topicFilter(SYS_BROKERS_VERSION).qos(MqttQos.AT_MOST_ONCE).applySubscription()
          .addSubscription().topicFilter(SYS_BROKERS_SYSDESCR).qos(MqttQos.AT_MOST_ONCE).applySubscription()
          .callback(p -> onMessage.accept(p.getTopic().toString(), p.getPayloadAsBytes()))
          .send()
          .thenApply(subAck -> subAck.getReturnCodes().stream().anyMatch(rc -> rc != Mqtt3SubAckReturnCode.FAILURE));
    }

    @Override
    public void disconnectQuietly() {
      try {
        client.disconnect().exceptionally(e -> null);
      } catch (RuntimeException ignored) {
        // not connected: nothing to close
      }
    }
  }
}
