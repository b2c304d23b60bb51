package com.nexflux.integrations.core.device;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cross-provider inventory: every {@link DeviceSource} is asked at once on the given executor, and each has
 * {@code perProvider} to answer. The page therefore takes about as long as the slowest provider (bounded), not their
 * sum. A source that throws one of our exceptions contributes its code and message; anything else is
 * {@code INTERNAL} with a generic message (the details are logged, never sent); a source that does not answer in
 * time is {@code UNAVAILABLE} ("did not answer within ..."), and its late answer is dropped. Thread-safe.
 */
public final class DeviceInventoryService implements DeviceInventory {
  private static final Logger LOG = Logger.getLogger(DeviceInventoryService.class.getName());

  private final List<DeviceSource> sources;
  private final Executor executor;
  private final Duration perProvider;
  private final Clock clock;

  /**
   * @param sources the providers' sources, in the overview's order
   * @param executor runs the sources' (blocking) calls
   * @param perProvider how long each source may take
   */
  public DeviceInventoryService(List<DeviceSource> sources, Executor executor, Duration perProvider, Clock clock) {
    this.sources = List.copyOf(sources);
    this.executor = Objects.requireNonNull(executor, "executor");
    this.perProvider = Objects.requireNonNull(perProvider, "perProvider");
    if (perProvider.isNegative() || perProvider.isZero()) {
      throw new IllegalArgumentException("perProvider must be positive");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Listing list(UserId user, boolean refresh) {
    Objects.requireNonNull(user, "user");
    List<CompletableFuture<List<DeviceSummary>>> calls = new ArrayList<>();
    for (DeviceSource source : sources) {
      CompletableFuture<List<DeviceSummary>> call;
      try {
        call = CompletableFuture.supplyAsync(() -> source.devices(user, refresh), executor);
      } catch (RejectedExecutionException e) {
        call = CompletableFuture.failedFuture(new IntegrationsException("UNAVAILABLE", "busy"));
      }
      calls.add(call);
    }
    long deadline = System.nanoTime() + perProvider.toNanos();
    List<DeviceSummary> devices = new ArrayList<>();
    List<ProviderError> errors = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      DeviceSource source = sources.get(i);
      CompletableFuture<List<DeviceSummary>> call = calls.get(i);
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        List<DeviceSummary> found = call.get(left, TimeUnit.NANOSECONDS);
        for (DeviceSummary d : found) {
          if (!d.provider().equals(source.provider())) {
            throw new IllegalStateException("a source listed another provider's device");
          }
        }
        devices.addAll(found);
      } catch (TimeoutException e) {
        call.cancel(true);
        errors.add(new ProviderError(source.provider(), "UNAVAILABLE",
            source.provider().key() + " did not answer within " + perProvider.toMillis() + " ms"));
      } catch (ExecutionException e) {
        errors.add(error(source, e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        errors.add(new ProviderError(source.provider(), "UNAVAILABLE", "interrupted"));
      } catch (RuntimeException e) {
        errors.add(error(source, e));
      }
    }
    return new Listing(devices, errors, clock.instant());
  }

  private static ProviderError error(DeviceSource source, Throwable cause) {
    String key = source.provider().key();
    if (cause instanceof IntegrationsException e && e.code() != null && !"INTERNAL".equals(e.code())) {
      return new ProviderError(source.provider(), e.code(), message(key, e.code()));
    }
    LOG.log(Level.WARNING, "Device listing of " + key + " failed: "
        + (cause == null ? "unknown" : cause.getClass().getName()));
    return new ProviderError(source.provider(), "INTERNAL", key + " could not list its devices");
  }

  /** A message safe to show for a code: never the exception's own text, which may quote a provider's answer. */
  static String message(String key, String code) {
    return switch (code) {
      case "NEEDS_REAUTH", "INVALID_GRANT" -> key + " must be connected again";
      case "CREDENTIALS_REJECTED" -> key + " refused the stored credentials; enter them again";
      case "CREDENTIALS_UNREADABLE" -> "the stored " + key + " credentials cannot be read; save them again";
      case "RATE_LIMITED" -> key + " is rate limiting requests; try again shortly";
      case "UNAVAILABLE", "DEVICE_TIMEOUT" -> key + " is unavailable";
      case "PROVIDER_NOT_CONFIGURED" -> key + " is not configured on this server";
      case "HOST_NOT_ALLOWED" -> "the " + key + " server address is not allowed";
      default -> key + " could not list its devices (" + code + ")";
    };
  }
}
