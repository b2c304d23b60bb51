package com.nexflux.integrations.app;

import com.nexflux.integrations.app.Configuration.ConfigurationException;
import com.nexflux.integrations.persistence.TinkSecretCipher;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar integrations-app.jar} starts the standalone server; {@code ... generate-keyset} prints a new
 * Tink keyset for {@code INTEGRATIONS_KEYSET}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("generate-keyset")) {
      System.out.println(TinkSecretCipher.generateKeysetJson());
      return;
    }
    if (args.length > 0) {
      System.err.println("usage: java -jar integrations-app.jar [generate-keyset]");
      System.exit(2);
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    StandaloneServer server;
    try {
      server = StandaloneServer.start(Configuration.fromEnvironment(System.getenv()));
    } catch (ConfigurationException e) {
      System.err.println("nexflux-integrations: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
