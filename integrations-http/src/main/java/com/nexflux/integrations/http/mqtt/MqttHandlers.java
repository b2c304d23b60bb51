package com.nexflux.integrations.http.mqtt;

import com.nexflux.integrations.http.internal.BearerAuthentication;
import com.nexflux.integrations.http.internal.InternalFailure;
import com.nexflux.integrations.http.internal.JsonResponses;
import com.nexflux.integrations.http.internal.RequestBodies;
import com.nexflux.integrations.http.internal.RequestScope;
import com.nexflux.integrations.http.internal.Responses;

import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.mqtt.ConnectionTestResult;
import com.nexflux.integrations.core.mqtt.MqttSettingsInput;
import com.nexflux.integrations.core.mqtt.MqttIntegrations;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@code /api/v1/users/me/integrations/mqtt[/test]}. */
public final class MqttHandlers {
  private final MqttIntegrations mqtt;
  private final BearerAuthentication auth;
  private final RequestBodies bodies;
  private final JsonResponses json;

  public MqttHandlers(MqttIntegrations mqtt, BearerAuthentication auth, RequestBodies bodies, JsonResponses json) {
    this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
    this.auth = auth;
    this.bodies = bodies;
    this.json = json;
  }

  /** {@code GET}: the saved settings, never the password. */
  public void get(Context ctx) {
    UserId user = auth.user(ctx);
    json.ok(ctx, MqttResponses.Mqtt.of(mqtt.get(user)));
  }

  /** {@code PUT}: validate and save; answers like {@code GET}. */
  public void put(Context ctx) {
    UserId user = auth.user(ctx);
    MqttSettingsRequest request = bodies.bind(bodies.object(bodies.read(ctx)), MqttSettingsRequest.class);
    json.ok(ctx, MqttResponses.Mqtt.of(mqtt.put(user, request.toInput(), RequestScope.context(ctx))));
  }

  /** {@code DELETE}: idempotent; {@code {"deleted":true}} whether or not anything was saved. */
  public void delete(Context ctx) {
    UserId user = auth.user(ctx);
    mqtt.delete(user, RequestScope.context(ctx));
    json.ok(ctx, new Responses.Deleted(true));
  }

  /**
   * {@code POST …/test}: no body, a blank body or {@code {}} tests the saved settings; an object with fields tests
   * those (unsaved) settings. Runs through {@code ctx.future}, so no Jetty thread waits for the broker.
   */
  public void test(Context ctx) {
    UserId user = auth.user(ctx);
    byte[] raw = bodies.read(ctx);
    MqttSettingsInput input = null;
    if (!RequestBodies.isBlank(raw)) {
      RequestBodies.ObjectNodeBody body = bodies.object(raw);
      if (!body.isEmpty()) {
        input = bodies.bind(body, MqttSettingsRequest.class).toInput();
      }
    }
    RequestContext context = RequestScope.context(ctx);
    MqttSettingsInput unsaved = input;
    ctx.future(() -> {
      CompletableFuture<ConnectionTestResult> test;
      try {
        test = unsaved == null ? mqtt.testSaved(user, context) : mqtt.testUnsaved(user, unsaved, context);
        Objects.requireNonNull(test, "the test future");
      } catch (RuntimeException e) {
        throw InternalFailure.translate(e);
      }
      return test.handle((result, failure) -> {
        if (failure != null) {
          throw InternalFailure.translate(failure);
        }
        json.ok(ctx, MqttResponses.TestResult.of(result));
        return null;
      });
    });
  }
}
