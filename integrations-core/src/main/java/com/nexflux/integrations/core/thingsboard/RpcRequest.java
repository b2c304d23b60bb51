package com.nexflux.integrations.core.thingsboard;

import java.util.Objects;

/**
 * An RPC command to a device.
 *
 * @param method the RPC method, e.g. {@code setGpio}
 * @param params its parameters as JSON-compatible values (Map, List, String, Number, Boolean or {@code null})
 * @param twoWay whether to wait for the device's answer ({@code /api/rpc/twoway}); else one-way
 * @param timeoutMs how long ThingsBoard waits for the device, {@value #MIN_TIMEOUT_MS}-{@value #MAX_TIMEOUT_MS} ms
 */
public record RpcRequest(String method, Object params, boolean twoWay, int timeoutMs) {
  /** ThingsBoard's minimum RPC timeout. */
  public static final int MIN_TIMEOUT_MS = 5_000;
  /** The longest timeout this API lets a request wait. */
  public static final int MAX_TIMEOUT_MS = 60_000;
  /** ThingsBoard's default RPC timeout. */
  public static final int DEFAULT_TIMEOUT_MS = 10_000;

  public RpcRequest {
    Objects.requireNonNull(method, "method");
    if (timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException("timeoutMs out of range");
    }
  }
}
