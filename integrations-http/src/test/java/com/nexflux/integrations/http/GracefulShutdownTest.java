package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.mqtt.BrokerInfo;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.http.support.ApiFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.junit.jupiter.api.Test;

/** {@code stop()} of a {@link IntegrationsApi#createServer()} server waits for requests in flight. */
class GracefulShutdownTest {

  @Test
  void createdServer_hasADrainTimeoutAndAGracefulHandler() {
    ApiFixture api = new ApiFixture();
    try {
      Server server = api.app.jettyServer().server();
      assertThat(server.getStopTimeout()).isEqualTo(IntegrationsApi.SHUTDOWN_DRAIN_TIMEOUT.toMillis());
      assertThat(server.getDescendant(GracefulHandler.class)).isNotNull();
    } finally {
      api.close();
    }
  }

  @Test
  void stop_letsAnAsyncRequestInFlightFinish() throws Exception {
    ApiFixture api = new ApiFixture();
    CompletableFuture<ConnectionTestResult> pending = new CompletableFuture<>();
    api.mqtt.testResult = () -> pending;
    CompletableFuture<HttpResponse<String>> response = api.sendAsync(
        api.authed("/api/v1/users/me/integrations/mqtt/test").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(api.mqtt.testStarted.await(30, TimeUnit.SECONDS)).as("the test reached the use case").isTrue();

    Thread stopper = new Thread(api.app::stop, "stopper");
    stopper.start();
    GracefulHandler graceful = api.app.jettyServer().server().getDescendant(GracefulHandler.class);
    while (!graceful.isShutdown()) {
      Thread.onSpinWait();
    }
    assertThat(stopper.isAlive()).as("stop() waits for the request").isTrue();
    assertThat(response).isNotDone();

    pending.complete(new ConnectionTestResult.Connected(7, new BrokerInfo("mosquitto/2.0.18", BrokerInfo.MQTT_5)));

    assertThat(data(response.get(), 200).get("latency_ms").asLong()).isEqualTo(7);
    stopper.join();
    assertThat(api.app.jettyServer().server().isStopped()).isTrue();
  }
}
