package com.nexflux.integrations.http.internal;

import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.http.ReadinessCheck;
import io.javalin.http.Context;
import java.util.Objects;

/** {@code /health/live}, {@code /health/ready} and {@code /openapi.json}; no authentication. */
public final class SystemHandlers {
  private final ReadinessCheck readiness;
  private final byte[] openApi;
  private final JsonResponses json;

  public SystemHandlers(ReadinessCheck readiness, byte[] openApi, JsonResponses json) {
    this.readiness = Objects.requireNonNull(readiness, "readiness");
    this.openApi = openApi.clone();
    this.json = json;
  }

  /** The process is up. */
  public void live(Context ctx) {
    json.ok(ctx, Responses.Health.UP);
  }

  /** The service can take traffic; 503 {@code UNAVAILABLE} otherwise. */
  public void ready(Context ctx) {
    try {
      readiness.check();
    } catch (UnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnavailableException("not ready", e);
    }
    json.ok(ctx, Responses.Health.UP);
  }

  /** The OpenAPI document, as shipped. */
  public void openApi(Context ctx) {
    json.writeRaw(ctx, 200, openApi);
  }
}
