/**
 * The device inventory shared by every device platform: one {@link com.nexflux.integrations.core.device.DeviceSource}
 * per provider slice (Arduino Cloud, Blynk, ThingsBoard, MQTT) lists a user's devices as
 * {@link com.nexflux.integrations.core.device.DeviceSummary} values; the inventory asks them in parallel.
 */
package com.nexflux.integrations.core.device;
