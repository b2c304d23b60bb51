package com.nexflux.integrations.providers.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nexflux.integrations.core.net.CidrRange;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.testing.FixedResolver;
import com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.LoggerFactory;

/**
 * What the outbound HTTP tests share: a base client whose sockets connect to loopback only (the safety net: a broken
 * guard fails the test instead of sending traffic elsewhere), a {@link FixedResolver} that maps fake names to
 * loopback addresses, real HTTP servers on 127.0.0.1 and a capture of this package's log lines.
 */
final class OutboundHttpFixture implements AutoCloseable {
  /** A token as Blynk takes it, in the query string: must never reach a message or a log line. */
  static final String CANARY = "CANARYtoken9f8e7d6c5b4a";

  final FixedResolver resolver = new FixedResolver();
  final LoopbackOnlySocketFactory sockets = new LoopbackOnlySocketFactory();
  final ConnectionPool pool = new ConnectionPool();
  final OkHttpClient base = new OkHttpClient.Builder().socketFactory(sockets).connectionPool(pool).build();
  private final List<MockWebServer> servers = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("com.nexflux.integrations.providers.http");

  OutboundHttpFixture() {
    logs.start();
    logger.addAppender(logs);
    logger.setLevel(Level.DEBUG);
  }

  /** @return clients whose guard lets {@code allowedNetworks} through (comma-separated CIDRs, or "") */
  OutboundHttpClients clients(String allowedNetworks) {
    List<CidrRange> networks = OutboundGuard.parseNetworks(allowedNetworks);
    return new OutboundHttpClients(base, new OutboundGuard(resolver, networks), resolver);
  }

  /** @return a started server on 127.0.0.1 (closed with the fixture) */
  MockWebServer server() {
    MockWebServer server = new MockWebServer();
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    servers.add(server);
    return server;
  }

  static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).body(body).build();
  }

  static MockResponse redirect(int code, String location) {
    return new MockResponse.Builder().code(code).addHeader("Location", location).build();
  }

  /** Sends {@code request} and returns the status and body. */
  static String call(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.code() + " " + response.body().string();
    }
  }

  static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  /** @return every captured log line of {@code com.nexflux.integrations.providers.http}, formatted */
  List<String> logLines() {
    return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  @Override
  public void close() {
    logger.detachAppender(logs);
    for (MockWebServer server : servers) {
      server.close();
    }
    pool.evictAll();
  }
}
