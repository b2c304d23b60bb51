package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.net.ResolvedTarget;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Opens one short-lived connection to a broker and reports what happened (SPI). Implementations connect to
 * {@link ResolvedTarget#address()} only, use a throwaway client id, never block the calling thread, complete
 * within {@code timeout}, always disconnect, and complete normally (a failure is a
 * {@link ConnectionTestResult.Failed}, never an exceptional future).
 */
public interface MqttBrokerProbe {
  /**
   * @param url the broker URL (scheme, path, query)
   * @param target the checked address to connect to
   * @param username the user name, or {@code null}
   * @param password the password, or {@code null}
   * @param timeout the bound on the whole test
   */
  CompletableFuture<ConnectionTestResult> probe(BrokerUrl url, ResolvedTarget target, String username,
      Secret password, Duration timeout);
}
