package com.nexflux.integrations.providers.testing;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An in-process HiveMQ Community Edition broker for tests: a TCP listener and a WebSocket listener (path
 * {@value #WS_PATH}) on free 127.0.0.1 ports, in-memory persistence, configuration and data in a temporary folder,
 * usage statistics off. With credentials, an embedded extension's {@link SimpleAuthenticator} accepts exactly that
 * user name and password and answers anything else (including no credentials) with {@code NOT_AUTHORIZED};
 * without, it accepts every client.
 *
 * <p>Starting takes a few seconds: share one broker per test class ({@code @BeforeAll} / {@code @AfterAll}). Run
 * one at a time per JVM. Needs {@code com.hivemq:hivemq-community-edition-embedded} on the test class path.
 */
public final class EmbeddedHiveMqBroker implements AutoCloseable {
  /** The WebSocket listener's path. */
  public static final String WS_PATH = "/mqtt";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final EmbeddedHiveMQ hivemq;
  private final Path home;
  private final int tcpPort;
  private final int wsPort;

  private EmbeddedHiveMqBroker(EmbeddedHiveMQ hivemq, Path home, int tcpPort, int wsPort) {
    this.hivemq = hivemq;
    this.home = home;
    this.tcpPort = tcpPort;
    this.wsPort = wsPort;
  }

  /** Starts a broker that accepts every client. */
  public static EmbeddedHiveMqBroker start() {
    return start(Optional.empty());
  }

  /**
   * Starts a broker and waits until both listeners accept connections.
   *
   * @param credentials the only user name and password accepted, or empty to accept every client
   */
  public static EmbeddedHiveMqBroker start(Optional<BrokerCredentials> credentials) {
    Path home = TempDirs.create("hivemq-test-");
    int tcpPort = LoopbackPorts.freePort();
    int wsPort = LoopbackPorts.freePort();
    EmbeddedHiveMQ hivemq = null;
    try {
      Path conf = Files.createDirectories(home.resolve("conf"));
      Path data = Files.createDirectories(home.resolve("data"));
      Path extensions = Files.createDirectories(home.resolve("extensions"));
      Files.writeString(conf.resolve("config.xml"), config(tcpPort, wsPort), StandardCharsets.UTF_8);
      EmbeddedExtension auth = EmbeddedExtension.builder()
          .withId("nexflux-test-auth")
          .withName("NexFlux test authenticator")
          .withVersion("1")
          .withAuthor("NexFlux")
          .withPriority(0)
          .withStartPriority(1000)
          .withExtensionMain(new AuthExtension(credentials.orElse(null)))
          .build();
      hivemq = EmbeddedHiveMQ.builder()
          .withConfigurationFolder(conf)
          .withDataFolder(data)
          .withExtensionsFolder(extensions)
          .withEmbeddedExtension(auth)
          .withoutLoggingBootstrap()
          .build();
      hivemq.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      EmbeddedHiveMQ started = hivemq;
      if (!LoopbackPorts.awaitAccepting(tcpPort, Duration.ofSeconds(10), () -> true)
          || !LoopbackPorts.awaitAccepting(wsPort, Duration.ofSeconds(10), () -> true)) {
        throw new IllegalStateException("HiveMQ started but its listeners on 127.0.0.1:" + tcpPort + " / "
            + wsPort + " do not accept connections");
      }
      return new EmbeddedHiveMqBroker(started, home, tcpPort, wsPort);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(hivemq, home);
      throw new IllegalStateException("interrupted while starting HiveMQ", e);
    } catch (Exception e) {
      stopQuietly(hivemq, home);
      throw new IllegalStateException("Could not start the embedded HiveMQ broker: " + e, e);
    }
  }

  private static String config(int tcpPort, int wsPort) {
    return """
        <?xml version="1.0"?>
        <hivemq>
            <listeners>
                <tcp-listener>
                    <port>%d</port>
                    <bind-address>127.0.0.1</bind-address>
                </tcp-listener>
                <websocket-listener>
                    <port>%d</port>
                    <bind-address>127.0.0.1</bind-address>
                    <path>%s</path>
                    <subprotocols>
                        <subprotocol>mqttv3.1</subprotocol>
                        <subprotocol>mqtt</subprotocol>
                    </subprotocols>
                    <allow-extensions>true</allow-extensions>
                </websocket-listener>
            </listeners>
            <persistence>
                <mode>in-memory</mode>
            </persistence>
            <anonymous-usage-statistics>
                <enabled>false</enabled>
            </anonymous-usage-statistics>
        </hivemq>
        """.formatted(tcpPort, wsPort, WS_PATH);
  }

  /** @return the MQTT-over-TCP port on 127.0.0.1 */
  public int tcpPort() {
    return tcpPort;
  }

  /** @return the MQTT-over-WebSocket port on 127.0.0.1 (path {@value #WS_PATH}) */
  public int wsPort() {
    return wsPort;
  }

  /** Stops the broker and deletes its folder. */
  @Override
  public void close() {
    stopQuietly(hivemq, home);
  }

  private static void stopQuietly(EmbeddedHiveMQ hivemq, Path home) {
    if (hivemq != null) {
      try {
        hivemq.stop().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception ignored) {
        // best effort
      }
      try {
        hivemq.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception ignored) {
        // best effort
      }
    }
    TempDirs.deleteQuietly(home);
  }

  /** Registers the authenticator. */
  private static final class AuthExtension implements ExtensionMain {
    private final BrokerCredentials credentials;

    AuthExtension(BrokerCredentials credentials) {
      this.credentials = credentials;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
      SimpleAuthenticator authenticator = new Authenticator(credentials);
      Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
  }

  /** Accepts the configured credentials only, or everyone when there are none. */
  private record Authenticator(BrokerCredentials credentials) implements SimpleAuthenticator {
    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
      if (credentials == null) {
        output.authenticateSuccessfully();
        return;
      }
      ConnectPacket connect = input.getConnectPacket();
      boolean ok = connect.getUserName().filter(credentials.username()::equals).isPresent()
          && connect.getPassword().map(Authenticator::text).filter(credentials.password()::equals).isPresent();
      if (ok) {
        output.authenticateSuccessfully();
      } else {
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "not authorized");
      }
    }

    private static String text(ByteBuffer buffer) {
      ByteBuffer copy = buffer.asReadOnlyBuffer();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
