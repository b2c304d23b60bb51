package com.nexflux.integrations.core.thingsboard;

/**
 * What a device did with an RPC.
 *
 * @param twoWay whether it was a two-way RPC
 * @param response the device's answer as JSON-compatible values (two-way), or {@code null} (one-way: delivered)
 */
public record RpcReply(boolean twoWay, Object response) {}
