package com.nexflux.integrations.app.provider;

import com.nexflux.integrations.core.device.DeviceSource;
import com.nexflux.integrations.core.provider.StatusSource;
import com.nexflux.integrations.http.kit.RouteModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a built provider module contributes: its overview status (absent: {@code not_available} in this deployment),
 * its route modules, its part of the device inventory, the use cases the facade hands out by type, and what to close with the facade.
 */
public final class ProviderSlice {
  private final StatusSource status;
  private final List<RouteModule> routes;
  private final Map<Class<?>, Object> useCases;
  private final List<AutoCloseable> closeables;
  private final DeviceSource devices;

  private ProviderSlice(Builder b) {
    this.status = b.status;
    this.devices = b.devices;
    this.routes = List.copyOf(b.routes);
    this.useCases = Map.copyOf(b.useCases);
    this.closeables = List.copyOf(b.closeables);
  }

  /** @return a slice builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return where the overview reads the user's status, or empty when the provider is not available here */
  public Optional<StatusSource> status() {
    return Optional.ofNullable(status);
  }

  /** @return the provider's part of the device inventory, when it has devices */
  public Optional<DeviceSource> devices() {
    return Optional.ofNullable(devices);
  }

  /** @return the provider's route modules */
  public List<RouteModule> routes() {
    return routes;
  }

  /** @return the use case of this type, when the slice offers one */
  public <T> Optional<T> useCase(Class<T> type) {
    return Optional.ofNullable(useCases.get(type)).map(type::cast);
  }

  /** @return what the facade closes (in reverse order) */
  public List<AutoCloseable> closeables() {
    return closeables;
  }

  /** Collects a slice. */
  public static final class Builder {
    private StatusSource status;
    private final List<RouteModule> routes = new ArrayList<>();
    private final Map<Class<?>, Object> useCases = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private DeviceSource devices;

    private Builder() {}

    /** The provider's part of the device inventory ({@code GET /api/v1/users/me/devices}). */
    public Builder devices(DeviceSource value) {
      this.devices = Objects.requireNonNull(value, "devices");
      return this;
    }

    /** The overview status; without one the provider is {@code not_available}. */
    public Builder status(StatusSource value) {
      this.status = Objects.requireNonNull(value, "status");
      return this;
    }

    /** Adds route modules. */
    public Builder routes(RouteModule... modules) {
      for (RouteModule m : modules) {
        routes.add(Objects.requireNonNull(m, "route module"));
      }
      return this;
    }

    /** Offers a use case under its type. */
    public <T> Builder useCase(Class<T> type, T value) {
      useCases.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(value, "value")));
      return this;
    }

    /** Closes this with the facade. */
    public Builder closeable(AutoCloseable value) {
      closeables.add(Objects.requireNonNull(value, "closeable"));
      return this;
    }

    public ProviderSlice build() {
      return new ProviderSlice(this);
    }
  }
}
