package com.nexflux.integrations.http.support;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves a JWK set (public keys only) from the JDK's HTTP server on 127.0.0.1. */
public final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  public final AtomicInteger fetches = new AtomicInteger();
  /** When set, answers 500 instead of the key set. */
  public volatile boolean broken;

  public JwksServer(JWKSet keys) {
    byte[] body = keys.toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/.well-known/jwks.json", exchange -> {
      fetches.incrementAndGet();
      if (broken) {
        exchange.sendResponseHeaders(500, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public URL url() {
    try {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json").toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
