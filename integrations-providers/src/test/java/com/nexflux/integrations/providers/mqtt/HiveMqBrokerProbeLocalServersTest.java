package com.nexflux.integrations.providers.mqtt;

import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.CANARY_PASSWORD;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.CANARY_USER;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertConnected;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.assertFailed;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.await;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.probe;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.target;
import static com.nexflux.integrations.providers.mqtt.ProbeTestSupport.url;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.ProbeErrorCode;
import com.nexflux.integrations.providers.testing.FakeMqtt311Broker;
import com.nexflux.integrations.providers.testing.LoopbackPorts;
import com.nexflux.integrations.providers.testing.SilentListener;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe against things on 127.0.0.1 that are not (proper) brokers: closed ports, silence, HTTP, an old broker. */
class HiveMqBrokerProbeLocalServersTest {
  private static HiveMqBrokerProbe probe;
  private HttpServer http;

  @BeforeAll
  static void createProbe() {
    probe = new HiveMqBrokerProbe(Duration.ofMillis(300));
  }

  @AfterAll
  static void closeProbe() {
    probe.close();
  }

  @AfterEach
  void stopHttp() {
    if (http != null) {
      http.stop(0);
    }
  }

  @Test
  void aClosedPortIsConnectionRefused() {
    int port = LoopbackPorts.closedPort();

    var failed = assertFailed(probe(probe, "mqtt://127.0.0.1:" + port, port, CANARY_USER, CANARY_PASSWORD));

    assertThat(failed.code()).isEqualTo(ProbeErrorCode.CONNECTION_REFUSED);
    assertThat(failed.message()).contains("127.0.0.1:" + port);
  }

  @Test
  void aClosedPortOverWebSocketAndTlsIsConnectionRefusedToo() {
    int port = LoopbackPorts.closedPort();

    for (String scheme : new String[] {"ws", "wss", "mqtts"}) {
      var failed = assertFailed(probe(probe, scheme + "://127.0.0.1:" + port, port, CANARY_USER, CANARY_PASSWORD));
      assertThat(failed.code()).as(scheme).isEqualTo(ProbeErrorCode.CONNECTION_REFUSED);
    }
  }

  @Test
  void aSilentServerTimesOutWithinTheTimeoutAndIsHungUpOn() {
    try (SilentListener silent = new SilentListener()) {
      Duration timeout = Duration.ofMillis(1500);
      long started = System.nanoTime();

      CompletableFuture<ConnectionTestResult> future = probe.probe(url("mqtt://127.0.0.1:" + silent.port()),
          target(silent.port()), CANARY_USER, Secret.of(CANARY_PASSWORD), timeout);
      ConnectionTestResult result = await(future);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      var failed = assertFailed(result);
      // the client's own CONNACK timeout fires a little before the probe's overall bound
      assertThat(failed.code()).isEqualTo(ProbeErrorCode.CONNACK_TIMEOUT);
      assertThat(took).as("bounded by the timeout plus slack").isLessThan(timeout.plusSeconds(1));
      assertThat(silent.acceptedCount()).isEqualTo(1);
      assertThat(silent.awaitAllClosedByClient(Duration.ofSeconds(5)))
          .as("the probe closed its connection").isTrue();
    }
  }

  @Test
  void aSilentWebSocketServerTimesOutWithinTheTimeout() {
    try (SilentListener silent = new SilentListener()) {
      Duration timeout = Duration.ofMillis(1500);
      long started = System.nanoTime();

      ConnectionTestResult result = await(probe.probe(url("ws://127.0.0.1:" + silent.port() + "/mqtt"),
          target(silent.port()), null, null, timeout));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      var failed = assertFailed(result);
      // the WebSocket handshake timeout is the first to fire: the server never answers the upgrade
      assertThat(failed.code()).isEqualTo(ProbeErrorCode.WEBSOCKET_HANDSHAKE_FAILED);
      assertThat(took).as("bounded by the timeout plus slack").isLessThan(timeout.plusSeconds(1));
      assertThat(silent.awaitAllClosedByClient(Duration.ofSeconds(5))).isTrue();
    }
  }

  /**
   * Stages that each stay within their own timeout can still add up past the probe's: here the WebSocket upgrade
   * takes 60% of it and CONNACK never comes. The overall bound answers in time, and the client still closes its
   * connection once its own CONNACK timeout fires.
   */
  @Test
  void theOverallTimeoutBoundsSlowStagesThatAddUp() throws IOException {
    Duration timeout = Duration.ofMillis(1500);
    try (SlowWebSocketServer server = new SlowWebSocketServer(Duration.ofMillis(900))) {
      long started = System.nanoTime();

      var failed = assertFailed(await(probe.probe(url("ws://127.0.0.1:" + server.port() + "/mqtt"),
          target(server.port()), CANARY_USER, Secret.of(CANARY_PASSWORD), timeout)));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.CONNECT_TIMEOUT);
      assertThat(took).as("bounded by the timeout plus slack").isLessThan(timeout.plusSeconds(1));
      assertThat(server.awaitClosedByClient(Duration.ofSeconds(5))).as("the client hung up later").isTrue();
    }
  }

  /**
   * A typical HTTP server (nginx, Jetty) parses the request as it arrives and answers an MQTT CONNECT's first byte
   * (0x10, not a method character) with {@code 400 Bad Request} at once; this one then closes with the rest of the
   * CONNECT unread (a reset). The client decodes the {@code 'H'} of {@code HTTP/1.1} (0x48) as a packet with bad
   * flags: {@code MqttDecodeException} before CONNACK, recognised as HTTP.
   */
  @Test
  void anHttpServerThatRejectsTheRequestIsNotAnMqttEndpoint() throws IOException {
    try (BadRequestServer server = new BadRequestServer()) {
      int port = server.port();

      var failed = assertFailed(probe(probe, "mqtt://127.0.0.1:" + port, port, CANARY_USER, CANARY_PASSWORD));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.NOT_MQTT_ENDPOINT);
      assertThat(failed.message())
          .contains("speaks HTTP, not MQTT")
          .contains("use ws:// or wss:// instead of mqtt://");
    }
  }

  /**
   * The JDK's own HTTP server is different: it waits for a CRLF-terminated request line, which an MQTT CONNECT
   * never contains, so it never answers and the probe reports the missing CONNACK.
   */
  @Test
  void theJdkHttpServerStaysSilentSoItIsAConnAckTimeout() throws IOException {
    http = startJdkHttpServer();
    int port = http.getAddress().getPort();

    var failed = assertFailed(await(probe.probe(url("mqtt://127.0.0.1:" + port), target(port), CANARY_USER,
        Secret.of(CANARY_PASSWORD), Duration.ofMillis(1500))));

    assertThat(failed.code()).isEqualTo(ProbeErrorCode.CONNACK_TIMEOUT);
    assertThat(failed.message()).contains("did not answer the MQTT CONNECT");
  }

  @Test
  void webSocketToAPlainHttpServerFailsTheHandshakeWithItsStatus() throws IOException {
    http = startJdkHttpServer();
    int port = http.getAddress().getPort();

    var failed = assertFailed(probe(probe, "ws://127.0.0.1:" + port + "/mqtt", port, CANARY_USER, CANARY_PASSWORD));

    assertThat(failed.code()).isEqualTo(ProbeErrorCode.WEBSOCKET_HANDSHAKE_FAILED);
    assertThat(failed.message()).contains("HTTP 200");
  }

  @Test
  void tlsToAPlainServerIsATlsError() throws IOException {
    try (BadRequestServer server = new BadRequestServer()) {
      int port = server.port();

      var failed = assertFailed(probe(probe, "mqtts://127.0.0.1:" + port, port, CANARY_USER, CANARY_PASSWORD));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.TLS_ERROR);
      assertThat(failed.message()).contains("does not speak TLS").contains("mqtt://");
    }
  }

  @Test
  void aSelfSignedCertificateIsAnUntrustedTlsError(@TempDir Path dir) throws Exception {
    try (SelfSignedTlsServer server = new SelfSignedTlsServer(dir)) {
      int port = server.port();

      for (String scheme : new String[] {"mqtts", "wss"}) {
        var failed = assertFailed(probe(probe, scheme + "://127.0.0.1:" + port, port, CANARY_USER, CANARY_PASSWORD));
        assertThat(failed.code()).as(scheme).isEqualTo(ProbeErrorCode.TLS_ERROR);
        assertThat(failed.message()).as(scheme).contains("not trusted");
      }
    }
  }

  @Test
  void aSilentTlsServerIsATlsHandshakeTimeout() {
    try (SilentListener silent = new SilentListener()) {
      Duration timeout = Duration.ofMillis(1500);

      var failed = assertFailed(await(probe.probe(url("mqtts://127.0.0.1:" + silent.port()), target(silent.port()),
          null, null, timeout)));

      assertThat(failed.code()).isEqualTo(ProbeErrorCode.TLS_ERROR);
      assertThat(failed.message()).contains("did not finish");
    }
  }

  @Test
  void fallsBackToMqtt311WhenTheBrokerRefusesMqtt5() {
    try (FakeMqtt311Broker old = FakeMqtt311Broker.start()) {
      var result = probe(probe, "mqtt://127.0.0.1:" + old.port(), old.port(), CANARY_USER, CANARY_PASSWORD);

      var connected = assertConnected(result);
      assertThat(connected.brokerInfo().protocol()).isEqualTo(BrokerInfo.MQTT_3_1_1);
      assertThat(connected.brokerInfo().version()).isNull();
      assertThat(old.connects()).extracting(FakeMqtt311Broker.Connect::protocolLevel).containsExactly(5, 4);
    }
  }

  @Test
  void usesAThrowawayClientIdEveryTime() {
    try (FakeMqtt311Broker old = FakeMqtt311Broker.start()) {
      assertConnected(probe(probe, "mqtt://127.0.0.1:" + old.port(), old.port(), null, null));
      assertConnected(probe(probe, "mqtt://127.0.0.1:" + old.port(), old.port(), null, null));

      assertThat(old.connects()).hasSize(4)
          .allSatisfy(c -> assertThat(c.clientId()).matches("nexflux-probe-[0-9a-f]{9}"))
          .extracting(FakeMqtt311Broker.Connect::clientId).doesNotHaveDuplicates();
    }
  }

  @Test
  void aClosedProbeAnswersAtOnce() {
    HiveMqBrokerProbe closed = new HiveMqBrokerProbe();
    closed.close();

    var failed = assertFailed(await(closed.probe(url("mqtt://127.0.0.1:1883"), target(1883), null, null,
        Duration.ofSeconds(1))));

    assertThat(failed.code()).isEqualTo(ProbeErrorCode.UNKNOWN);
  }

  private static HttpServer startJdkHttpServer() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(LoopbackPorts.loopback(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  /**
   * Answers a WebSocket upgrade correctly (subprotocol {@code mqtt}) but only after a delay, then stays silent.
   */
  private static final class SlowWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private final ServerSocket server;
    private final CountDownLatch closedByClient = new CountDownLatch(1);

    SlowWebSocketServer(Duration delay) throws IOException {
      server = new ServerSocket(0, 50, LoopbackPorts.loopback());
      Thread acceptor = new Thread(() -> {
        try (Socket socket = server.accept()) {
          var in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
              StandardCharsets.ISO_8859_1));
          String key = null;
          for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
              key = line.substring(line.indexOf(':') + 1).trim();
            }
          }
          Thread.sleep(delay.toMillis());
          String accept = Base64.getEncoder().encodeToString(MessageDigest
              .getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
          socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
              + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n"
              + "Sec-WebSocket-Protocol: mqtt\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          socket.getOutputStream().flush();
          while (in.read() != -1) {
            // swallow the CONNECT frame; never answer
          }
          closedByClient.countDown();
        } catch (IOException e) {
          closedByClient.countDown(); // reset by the client
        } catch (Exception e) {
          // interrupted or closed by the test
        }
      }, "slow-websocket-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    boolean awaitClosedByClient(Duration timeout) {
      try {
        return closedByClient.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** A TLS server on 127.0.0.1 with a fresh self-signed certificate (made by the JDK's keytool). */
  private static final class SelfSignedTlsServer implements AutoCloseable {
    private final SSLServerSocket server;

    SelfSignedTlsServer(Path dir) throws Exception {
      Path keystore = dir.resolve("server.p12");
      char[] password = "changeit".toCharArray();
      Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-genkeypair", "-alias", "server", "-keyalg", "EC", "-keystore", keystore.toString(),
          "-storetype", "PKCS12", "-storepass", "changeit", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
          "-validity", "2").redirectErrorStream(true).start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(keystore)) {
        ks.load(in, password);
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, LoopbackPorts.loopback());
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (SSLSocket socket = (SSLSocket) server.accept()) {
            socket.startHandshake(); // fails: the client does not trust the certificate
          } catch (IOException e) {
            // expected
          }
        }
      }, "self-signed-tls-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** Answers the first byte of any connection with {@code HTTP/1.1 400 Bad Request}, as nginx does for a bad method. */
  private static final class BadRequestServer implements AutoCloseable {
    private final ServerSocket server;

    BadRequestServer() throws IOException {
      server = new ServerSocket(0, 50, LoopbackPorts.loopback());
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket socket = server.accept()) {
            if (socket.getInputStream().read() != -1) {
              socket.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                  + "Content-Length: 11\r\nConnection: close\r\n\r\nBad Request").getBytes(StandardCharsets.US_ASCII));
              socket.getOutputStream().flush();
            }
          } catch (IOException e) {
            // closed, or the client went away
          }
        }
      }, "bad-request-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
